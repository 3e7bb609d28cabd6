package windmill

import (
	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/flatevent"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "windmill"

// Credential field names.
const (
	FieldWebhookURL = "webhook_url"
	FieldToken      = "token"
)

// CloudHost is Windmill's hosted service.
const CloudHost = "app.windmill.dev"

// New returns the Windmill integration.
func New() hookbridge.Integration {
	return kit.New(kit.Spec{
		ID:    ID,
		Name:  "Windmill",
		Group: hookbridge.GroupAutomation,
		Description: "Run a Windmill script or flow on every payment, subscription, refund or dispute event, " +
			"asynchronously, on app.windmill.dev or your own instance, each event field an argument.",
		Logo:          logo,
		Docs:          "docs/integrations/windmill.md",
		Credentials:   credentialFields(),
		URLCredential: FieldWebhookURL,
		// No URLHosts: the webhook URL's own host is Windmill's (a
		// self-hosted instance's, or app.windmill.dev), and only it gets
		// the token. No rate limit: Windmill documents none for webhooks.
		Auth:      kit.Bearer(FieldToken),
		Templates: flatevent.Templates("Windmill"),
		Prepare: func(req *hookbridge.OutboundRequest, _ hookbridge.Credentials, sc hookbridge.SendContext) error {
			return flatevent.AddDeliveryID(req, sc.IdempotencyKey)
		},
		Validate:   validate,
		ReadAnswer: readAnswer,
		Verify:     verify,
	})
}

func credentialFields() []hookbridge.CredentialField {
	webhook := kit.URLField(FieldWebhookURL, "Async webhook URL",
		"In Windmill: the script's or flow's Details & Triggers → Webhooks → UUID/Async, copy the URL (https://app.windmill.dev/api/w/<workspace>/jobs/run/p/<path>, or your instance's). Not the Result/Sync URL: it holds each delivery until the run ends.",
		nil, "")
	webhook.Check = checkWebhookURL
	return []hookbridge.CredentialField{webhook, {
		Name:     FieldToken,
		Label:    "Token",
		Help:     "In Windmill: your avatar → Account settings → Tokens → Create token (a label, an expiry, and scopes limited to running this script or flow where your edition offers them). Sent as Authorization: Bearer to the webhook URL's host only.",
		Secret:   true,
		Required: true,
		Check:    checkToken,
	}}
}

// logo is an original monogram, not Windmill's trademark.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Windmill"><rect width="64" height="64" rx="14" fill="#1D4ED8"/><text x="32" y="44" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="34" font-weight="700" fill="#FFFFFF">W</text></svg>`
