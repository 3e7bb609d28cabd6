package discord_test

import (
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/discord"
	"github.com/hookbridge/hookbridge/integration/discord/discordtest"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
)

// TestADeliveryReadsItsBodyOnce: Prepare, Validate, the batcher and the
// reading of a refusal read a template's request once between them.
func TestADeliveryReadsItsBodyOnce(t *testing.T) {
	integ := discord.New()
	creds := hookbridge.Credentials{discord.FieldWebhookURL: discordtest.WebhookURL()}
	refused := hookbridge.Answer{Status: 400, Body: []byte(`{"code":50006,"message":"Cannot send an empty message"}`)}
	for _, c := range []struct{ template, eventType string }{
		{"payments", "payment.succeeded"},
	} {
		templatetest.ReadsOnce(t, integ, c.template, c.eventType, creds, refused)
	}
}
