package pipedream

import (
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/flatevent"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "pipedream"

// FieldWebhookURL is the credential holding the trigger's endpoint URL.
const FieldWebhookURL = "webhook_url"

// HostPattern matches every HTTP trigger endpoint's host.
const HostPattern = "*.m.pipedream.net"

// MaxBodyBytes is Pipedream's HTTP trigger body limit (512 KB).
const MaxBodyBytes = 512 << 10

// New returns the Pipedream integration.
func New() hookbridge.Integration {
	return kit.New(kit.Spec{
		ID:    ID,
		Name:  "Pipedream",
		Group: hookbridge.GroupAutomation,
		Description: "Trigger a Pipedream workflow on every payment, subscription, refund or dispute event, " +
			"through its HTTP / Webhook trigger, with flat fields under steps.trigger.event.body.",
		Logo: logo,
		Docs: "docs/integrations/pipedream.md",
		Credentials: []hookbridge.CredentialField{kit.URLField(FieldWebhookURL, "Endpoint URL",
			"In the workflow: trigger HTTP / Webhook Requests → copy the endpoint URL (https://<id>.m.pipedream.net). Anyone with it can run the workflow, so it is kept as a secret.",
			[]string{HostPattern}, "")},
		URLCredential: FieldWebhookURL,
		URLHosts:      []string{HostPattern},
		// Pipedream takes an average of 10 requests a second on an HTTP
		// trigger and answers 429 above it.
		RateLimit: &hookbridge.RateLimitDefault{Requests: 10, Period: hookbridge.Duration(time.Second), Burst: 10},
		Templates: flatevent.Templates("Pipedream"),
		Prepare: func(req *hookbridge.OutboundRequest, _ hookbridge.Credentials, sc hookbridge.SendContext) error {
			return flatevent.AddDeliveryID(req, sc.IdempotencyKey)
		},
		Validate:   validate,
		ReadAnswer: readAnswer,
	})
}

// logo is an original monogram, not Pipedream's trademark.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Pipedream"><rect width="64" height="64" rx="14" fill="#15803D"/><text x="32" y="44" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="34" font-weight="700" fill="#FFFFFF">P</text></svg>`
