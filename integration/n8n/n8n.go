package n8n

import (
	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/flatevent"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "n8n"

// FieldWebhookURL is the credential holding the Webhook node's URL.
const FieldWebhookURL = "webhook_url"

// DefaultMaxBodyBytes is n8n's default body limit (N8N_PAYLOAD_SIZE_MAX,
// 16 MB); a self-hosted instance may set another.
const DefaultMaxBodyBytes = 16 << 20

// New returns the n8n integration.
func New() hookbridge.Integration {
	return kit.New(kit.Spec{
		ID:    ID,
		Name:  "n8n",
		Group: hookbridge.GroupAutomation,
		Description: "Start an n8n workflow on every payment, subscription, refund or dispute event, " +
			"through its Webhook node — on n8n Cloud or your own instance — with flat fields.",
		Logo: logo,
		Docs: "docs/integrations/n8n.md",
		Credentials: []hookbridge.CredentialField{kit.URLField(FieldWebhookURL, "Production webhook URL",
			"In the workflow: Webhook node (HTTP Method POST) → Webhook URLs → Production URL (https://<your n8n>/webhook/…), then activate the workflow. Any https host: n8n is often self-hosted. Anyone with it can run the workflow, so it is kept as a secret.",
			nil, "")},
		URLCredential: FieldWebhookURL,
		// No URLHosts: the URL's own host is n8n's, whichever it is, and
		// no rate limit: n8n documents none; a self-hosted instance takes
		// what its machine takes.
		Templates: flatevent.Templates("n8n"),
		Prepare: func(req *hookbridge.OutboundRequest, _ hookbridge.Credentials, sc hookbridge.SendContext) error {
			return flatevent.AddDeliveryID(req, sc.IdempotencyKey)
		},
		Validate:   validate,
		ReadAnswer: readAnswer,
	})
}

// logo is an original monogram, not n8n's trademark.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="n8n"><rect width="64" height="64" rx="14" fill="#BE185D"/><text x="32" y="42" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="24" font-weight="700" fill="#FFFFFF">n8</text></svg>`
