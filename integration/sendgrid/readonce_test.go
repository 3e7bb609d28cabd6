package sendgrid_test

import (
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/sendgrid"
)

// TestADeliveryReadsItsBodyOnce: Prepare, Validate and ReadAnswer of a
// template's request read its body once between them.
func TestADeliveryReadsItsBodyOnce(t *testing.T) {
	integ := sendgrid.New()
	et, _ := catalog.Lookup("payment.succeeded")
	req, _ := templatetest.RunPrepared(t, integ, templatetest.ByID(t, integ, "sendgrid-payment-receipt"), et.Name, et.Sample, sendgrid.DefaultURL,
		hookbridge.Credentials{sendgrid.FieldAPIKey: "SG.key"}, hookbridge.SendContext{IdempotencyKey: "msg_1/ep_1", Now: time.Now()})
	if ps := hookbridge.Blocking(integ.Validate(req, time.Now())); len(ps) > 0 {
		t.Fatalf("problems: %+v", ps)
	}
	integ.(hookbridge.AnswerReader).ReadAnswer(req, hookbridge.Answer{Status: 400, Body: []byte(`{"errors":[{"message":"bad","field":"from"}]}`)})
	if n := req.BodyReads(); n != 1 {
		t.Errorf("the body was read %d times, want once", n)
	}
}
