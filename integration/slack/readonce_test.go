package slack_test

import (
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/slack"
	"github.com/hookbridge/hookbridge/integration/slack/slacktest"
)

// TestADeliveryReadsItsBodyOnce: Prepare, Validate, the batcher and the
// reading of a refusal read a template's request once between them.
func TestADeliveryReadsItsBodyOnce(t *testing.T) {
	integ := slack.New()
	creds := hookbridge.Credentials{slack.FieldWebhookURL: slacktest.WebhookURL()}
	refused := hookbridge.Answer{Status: 400, Body: []byte(`invalid_blocks`)}
	for _, c := range []struct{ template, eventType string }{
		{"payments", "payment.succeeded"},
	} {
		templatetest.ReadsOnce(t, integ, c.template, c.eventType, creds, refused)
	}
}
