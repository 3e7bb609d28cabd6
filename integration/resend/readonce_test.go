package resend_test

import (
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/resend"
)

// TestADeliveryReadsItsBodyOnce: Prepare, Validate, the batcher and the
// reading of a refusal read a template's request once between them.
func TestADeliveryReadsItsBodyOnce(t *testing.T) {
	integ := resend.New()
	creds := hookbridge.Credentials{resend.FieldAPIKey: "re_key"}
	refused := hookbridge.Answer{Status: 400, Body: []byte(`{"name":"validation_error","message":"bad"}`)}
	for _, c := range []struct{ template, eventType string }{
		{"resend-payment-receipt", "payment.succeeded"},
	} {
		templatetest.ReadsOnce(t, integ, c.template, c.eventType, creds, refused)
	}
}

// TestABatchReadsItsBodyOnce: Prepare, Validate and ReadAnswer of an
// /emails/batch request, an array, read its body once between them.
func TestABatchReadsItsBodyOnce(t *testing.T) {
	integ := resend.New()
	email := `{"from":"Billing <billing@acme.dev>","to":["jane.doe@example.com"],"subject":"Your receipt","html":"<p>Thanks</p>"}`
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://api.resend.com/emails/batch", Body: []byte("[" + email + "," + email + "]")}
	if err := integ.Prepare(req, hookbridge.Credentials{resend.FieldAPIKey: "re_key"}, hookbridge.SendContext{IdempotencyKey: "msg_1/ep_1"}); err != nil {
		t.Fatal(err)
	}
	if ps := integ.Validate(req, time.Now()); len(ps) > 0 {
		t.Fatalf("problems: %+v", ps)
	}
	integ.(hookbridge.AnswerReader).ReadAnswer(req, hookbridge.Answer{Status: 422, Body: []byte(`{"name":"validation_error","message":"bad"}`)})
	if n := req.BodyReads(); n != 1 {
		t.Errorf("the body was read %d times, want once", n)
	}
}
