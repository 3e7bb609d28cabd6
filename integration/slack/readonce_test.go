package slack_test

import (
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/slack"
	"github.com/hookbridge/hookbridge/integration/slack/slacktest"
)

// TestADeliveryReadsItsBodyOnce: Prepare, Validate and ReadAnswer of a
// template's request read its body once between them.
func TestADeliveryReadsItsBodyOnce(t *testing.T) {
	integ := slack.New()
	et, _ := catalog.Lookup("payment.succeeded")
	url := slacktest.WebhookURL()
	req, _ := templatetest.RunPrepared(t, integ, templatetest.ByID(t, integ, "payments"), et.Name, et.Sample, url,
		hookbridge.Credentials{slack.FieldWebhookURL: url}, hookbridge.SendContext{IdempotencyKey: "msg_1/ep_1", Now: time.Now()})
	if ps := integ.Validate(req, time.Now()); len(ps) > 0 {
		t.Fatalf("problems: %+v", ps)
	}
	integ.(hookbridge.AnswerReader).ReadAnswer(req, hookbridge.Answer{Status: 400, Body: []byte("invalid_blocks")})
	if n := req.BodyReads(); n != 1 {
		t.Errorf("the body was read %d times, want once", n)
	}
}
