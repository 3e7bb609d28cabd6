package sendgrid_test

import (
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/sendgrid"
)

// TestADeliveryReadsItsBodyOnce: Prepare, Validate, the batcher and the
// reading of a refusal read a template's request once between them.
func TestADeliveryReadsItsBodyOnce(t *testing.T) {
	integ := sendgrid.New()
	creds := hookbridge.Credentials{sendgrid.FieldAPIKey: "SG.key"}
	refused := hookbridge.Answer{Status: 400, Body: []byte(`{"errors":[{"message":"bad","field":"from"}]}`)}
	for _, c := range []struct{ template, eventType string }{
		{"sendgrid-payment-receipt", "payment.succeeded"},
	} {
		templatetest.ReadsOnce(t, integ, c.template, c.eventType, creds, refused)
	}
}
