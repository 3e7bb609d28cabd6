package loops_test

import (
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/loops"
)

// TestADeliveryReadsItsBodyOnce: Prepare, Validate, the batcher and the
// reading of a refusal read a template's request once between them.
func TestADeliveryReadsItsBodyOnce(t *testing.T) {
	integ := loops.New()
	creds := hookbridge.Credentials{loops.FieldAPIKey: "key"}
	refused := hookbridge.Answer{Status: 400, Body: []byte(`{"success":false,"message":"bad"}`)}
	for _, c := range []struct{ template, eventType string }{
		{"loops-payment-receipt", "payment.succeeded"},
		{"loops-subscription-lifecycle", "subscription.active"},
		{"loops-customer-contact", "subscription.active"},
	} {
		templatetest.ReadsOnce(t, integ, c.template, c.eventType, creds, refused)
	}
}
