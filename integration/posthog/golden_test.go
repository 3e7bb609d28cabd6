package posthog_test

import (
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/golden"
)

// The requests each template builds, prepared, as PostHog receives them.
func TestPreparedRequests(t *testing.T) {
	cases := []struct {
		name      string
		creds     hookbridge.Credentials
		template  string
		eventType string
	}{
		{"payment-us", hookbridge.Credentials{"api_key": "phc_golden"}, "payment-events", "payment.succeeded"},
		{"subscription-eu", hookbridge.Credentials{"api_key": "phc_golden", "region": "eu"}, "subscription-lifecycle", "subscription.on_hold"},
		{"dispute-self-hosted", hookbridge.Credentials{"api_key": "phc_golden", "region": "custom", "host": "posthog.example.com"}, "refunds-disputes", "dispute.opened"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := preparedWith(t, tc.creds, tc.template, tc.eventType, "idem_golden")
			golden.Check(t, "prepare/"+tc.name+".golden", golden.Request(req))
		})
	}
}
