package zapier

import (
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/flatevent"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "zapier"

// FieldWebhookURL is the credential holding the Catch Hook URL.
const FieldWebhookURL = "webhook_url"

// Host is the host of every Catch Hook URL; PathPrefix starts its path.
const (
	Host       = "hooks.zapier.com"
	PathPrefix = "/hooks/catch/"
)

// MaxBodyBytes is Zapier's documented webhook payload limit (10 MB).
const MaxBodyBytes = 10 << 20

// New returns the Zapier integration.
func New() hookbridge.Integration {
	return kit.New(kit.Spec{
		ID:    ID,
		Name:  "Zapier",
		Group: hookbridge.GroupAutomation,
		Description: "Start a Zap on every payment, subscription, refund or dispute event, " +
			"through the Catch Hook of Webhooks by Zapier, with flat fields its editor maps easily.",
		Logo: logo,
		Docs: "docs/integrations/zapier.md",
		Credentials: []hookbridge.CredentialField{kit.URLField(FieldWebhookURL, "Catch Hook URL",
			"In the Zap editor: trigger Webhooks by Zapier → Catch Hook → copy the webhook URL (https://hooks.zapier.com/hooks/catch/…). Anyone with it can start the Zap, so it is kept as a secret.",
			[]string{Host}, PathPrefix)},
		URLCredential: FieldWebhookURL,
		URLHosts:      []string{Host},
		// Zapier answers 429 past 30 requests a second on one hook (and
		// 10,000 every 5 minutes for a user).
		RateLimit: &hookbridge.RateLimitDefault{Requests: 30, Period: hookbridge.Duration(time.Second), Burst: 30},
		Templates: flatevent.Templates("Zapier"),
		Prepare: func(req *hookbridge.OutboundRequest, _ hookbridge.Credentials, sc hookbridge.SendContext) error {
			return flatevent.AddDeliveryID(req, sc.IdempotencyKey)
		},
		Validate:   validate,
		ReadAnswer: readAnswer,
	})
}

// logo is an original monogram, not Zapier's trademark.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Zapier"><rect width="64" height="64" rx="14" fill="#C2410C"/><text x="32" y="44" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="34" font-weight="700" fill="#FFFFFF">Z</text></svg>`
