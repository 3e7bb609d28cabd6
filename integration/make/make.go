package make

import (
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/flatevent"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "make"

// FieldWebhookURL is the credential holding the custom webhook's URL.
const FieldWebhookURL = "webhook_url"

// Hosts are Make's webhook hosts, one per zone.
var Hosts = []string{"hook.eu1.make.com", "hook.eu2.make.com", "hook.us1.make.com", "hook.us2.make.com"}

// MaxBodyBytes is Make's webhook payload limit (5 MB).
const MaxBodyBytes = 5 << 20

// New returns the Make integration.
func New() hookbridge.Integration {
	return kit.New(kit.Spec{
		ID:    ID,
		Name:  "Make",
		Group: hookbridge.GroupAutomation,
		Description: "Run a Make scenario on every payment, subscription, refund or dispute event, " +
			"through a custom webhook, with flat fields its mapping panel lists directly.",
		Logo: logo,
		Docs: "docs/integrations/make.md",
		Credentials: []hookbridge.CredentialField{kit.URLField(FieldWebhookURL, "Webhook URL",
			"In the scenario: Webhooks → Custom webhook → Add → copy the address (https://hook.eu1.make.com/…, the zone of your organization). Anyone with it can run the scenario, so it is kept as a secret.",
			Hosts, "")},
		URLCredential: FieldWebhookURL,
		URLHosts:      Hosts,
		// Make answers 429 past 30 requests a second on one webhook.
		RateLimit: &hookbridge.RateLimitDefault{Requests: 30, Period: hookbridge.Duration(time.Second), Burst: 30},
		Templates: flatevent.Templates("Make"),
		Prepare: func(req *hookbridge.OutboundRequest, _ hookbridge.Credentials, sc hookbridge.SendContext) error {
			return flatevent.AddDeliveryID(req, sc.IdempotencyKey)
		},
		Validate:   validate,
		ReadAnswer: readAnswer,
	})
}

// logo is an original monogram, not Make's trademark.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Make"><rect width="64" height="64" rx="14" fill="#5B21B6"/><text x="32" y="44" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="34" font-weight="700" fill="#FFFFFF">M</text></svg>`
