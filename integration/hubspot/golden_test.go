package hubspot_test

import (
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/golden"
)

// The requests each template builds, prepared, as HubSpot receives them.
func TestPreparedRequests(t *testing.T) {
	creds := hookbridge.Credentials{"access_token": "pat-na1-golden"}
	for _, tc := range []struct{ name, template, eventType string }{
		{"contact-payment", "contact-payments", "payment.succeeded"},
		{"contact-subscription", "subscription-status", "subscription.cancelled"},
		{"event-refund", "payment-events", "refund.succeeded"},
		{"task-dispute", "dispute-tasks", "dispute.opened"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			golden.Check(t, "prepare/"+tc.name+".golden", golden.Request(run(t, creds, tc.template, tc.eventType, "idem_golden")))
		})
	}
}
