package teams_test

import (
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/teams"
	"github.com/hookbridge/hookbridge/integration/teams/teamstest"
)

// TestADeliveryReadsItsBodyOnce: Prepare, Validate, the batcher and the
// reading of a refusal read a template's request once between them.
func TestADeliveryReadsItsBodyOnce(t *testing.T) {
	integ := teams.New()
	creds := hookbridge.Credentials{teams.FieldWebhookURL: teamstest.WorkflowURL(teamstest.PowerPlatformHost)}
	refused := hookbridge.Answer{Status: 400, Body: []byte(`{"error":{"code":"InvalidRequestContent","message":"bad"}}`)}
	for _, c := range []struct{ template, eventType string }{
		{"payments", "payment.succeeded"},
	} {
		templatetest.ReadsOnce(t, integ, c.template, c.eventType, creds, refused)
	}
}
