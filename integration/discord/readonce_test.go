package discord_test

import (
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/integration/discord"
	"github.com/hookbridge/hookbridge/integration/discord/discordtest"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
)

// TestADeliveryReadsItsBodyOnce: Prepare, Validate and ReadAnswer of a
// template's request read its body once between them.
func TestADeliveryReadsItsBodyOnce(t *testing.T) {
	integ := discord.New()
	et, _ := catalog.Lookup("payment.succeeded")
	url := discordtest.WebhookURL()
	req, _ := templatetest.RunPrepared(t, integ, templatetest.ByID(t, integ, "payments"), et.Name, et.Sample, url,
		hookbridge.Credentials{discord.FieldWebhookURL: url}, hookbridge.SendContext{IdempotencyKey: "msg_1/ep_1", Now: time.Now()})
	if ps := integ.Validate(req, time.Now()); len(ps) > 0 {
		t.Fatalf("problems: %+v", ps)
	}
	integ.(hookbridge.AnswerReader).ReadAnswer(req, hookbridge.Answer{Status: 400, Body: []byte(`{"code":50006,"message":"Cannot send an empty message"}`)})
	if n := req.BodyReads(); n != 1 {
		t.Errorf("the body was read %d times, want once", n)
	}
}
