package loops_test

import (
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/loops"
)

// TestADeliveryReadsItsBodyOnce: Prepare, Validate and ReadAnswer of a
// template's request read its body once between them, on each endpoint
// Validate checks.
func TestADeliveryReadsItsBodyOnce(t *testing.T) {
	integ := loops.New()
	for _, c := range []struct{ template, event string }{
		{"loops-payment-receipt", "payment.succeeded"},          // transactional
		{"loops-subscription-lifecycle", "subscription.active"}, // events
		{"loops-customer-contact", "subscription.active"},       // contacts/update
	} {
		et, _ := catalog.Lookup(c.event)
		req, _ := templatetest.RunPrepared(t, integ, templatetest.ByID(t, integ, c.template), et.Name, et.Sample, loops.DefaultURL,
			hookbridge.Credentials{loops.FieldAPIKey: "key"}, hookbridge.SendContext{IdempotencyKey: "msg_1/ep_1", Now: time.Now()})
		if ps := hookbridge.Blocking(integ.Validate(req, time.Now())); len(ps) > 0 {
			t.Fatalf("%s: problems: %+v", c.template, ps)
		}
		integ.(hookbridge.AnswerReader).ReadAnswer(req, hookbridge.Answer{Status: 400, Body: []byte(`{"success":false,"message":"bad"}`)})
		if n := req.BodyReads(); n != 1 {
			t.Errorf("%s: the body was read %d times, want once", c.template, n)
		}
	}
}
