package posthog

import (
	"embed"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "posthog"

// Credential field names.
const (
	FieldAPIKey = "api_key"
	FieldRegion = "region"
	FieldHost   = "host"
)

// Regions and their capture hosts; RegionCustom sends events to the host
// in FieldHost (a self-hosted install).
const (
	RegionUS     = "us"
	RegionEU     = "eu"
	RegionCustom = kit.CustomRegion

	HostUS = "us.i.posthog.com"
	HostEU = "eu.i.posthog.com"
)

// DefaultURL is where a handler's request goes unless it sets webhook.url.
const DefaultURL = "https://" + HostUS + "/i/v0/e/"

//go:embed templates/*.js
var templateFiles embed.FS

// New returns the PostHog integration.
func New() hookbridge.Integration {
	return kit.New(kit.Spec{
		ID:    ID,
		Name:  "PostHog",
		Group: hookbridge.GroupAnalytics,
		Description: "Capture payment, subscription, refund and dispute events in PostHog, " +
			"on the US or EU cloud or your own install, each counted once however often it is retried.",
		Logo:        logo,
		Docs:        "docs/integrations/posthog.md",
		DefaultURL:  DefaultURL,
		Credentials: credentialFields(),
		Hosts:       []string{HostUS, HostEU},
		Regions: &kit.Regions{
			Field: FieldRegion, Default: RegionUS,
			Hosts:           map[string]string{RegionUS: HostUS, RegionEU: HostEU},
			CustomHostField: FieldHost,
		},
		// PostHog documents no rate limit on its capture endpoints.
		RateLimit:              nil,
		RequiresTransformation: true,
		Templates:              kit.LoadTemplates(templateFiles, templateList),
		Prepare:                prepare,
		Validate:               validate,
		ReadAnswer:             readAnswer,
		Verify:                 verify,
		Batch:                  batcher{},
	})
}

func credentialFields() []hookbridge.CredentialField {
	return []hookbridge.CredentialField{
		{
			Name:  FieldAPIKey,
			Label: "Project API key",
			Help: "In PostHog: Settings → Project → General → Project API key (it starts with phc_). " +
				"PostHog calls it public; hookbridge keeps it write-only and masks it all the same.",
			Secret:   true,
			Required: true,
			Check:    checkAPIKey,
		},
		{
			Name:    FieldRegion,
			Label:   "Region",
			Help:    "us for US Cloud (us.posthog.com), eu for EU Cloud (eu.posthog.com), custom for a self-hosted install.",
			Choices: []string{RegionUS, RegionEU, RegionCustom},
			Default: RegionUS,
		},
		{
			Name:  FieldHost,
			Label: "Self-hosted host",
			Help:  "Only for the custom region: your install's host, such as posthog.example.com.",
			Check: kit.CustomHostCheck,
		},
	}
}

// checkAPIKey refuses what cannot be a project API key: a personal API
// key, which the capture endpoints reject, or text with spaces.
func checkAPIKey(v string) string {
	switch {
	case strings.HasPrefix(v, "phx_"):
		return "is a personal API key (phx_…): the capture endpoints take the project API key (phc_…) from Settings → Project"
	case strings.ContainsAny(v, " \t\r\n\""):
		return "holds a space or a quote: paste the project API key alone"
	}
	return ""
}

var templateList = []kit.Template{
	{File: "templates/payment-events.js", Template: hookbridge.Template{
		ID:          "payment-events",
		Name:        "Payment events",
		Description: "Captures payment_succeeded (with revenue), payment_failed and payment_cancelled on the customer, amounts in the currency's own units, and keeps the person's email and name.",
		EventTypes:  []string{"payment.succeeded", "payment.failed", "payment.cancelled"},
	}},
	{File: "templates/subscription-lifecycle.js", Template: hookbridge.Template{
		ID:          "subscription-lifecycle",
		Name:        "Subscription lifecycle",
		Description: "Captures subscription_started, renewed, on_hold, paused, resumed, plan_changed, failed, expired and cancelled, and keeps the person's subscription_status current.",
		EventTypes: []string{
			"subscription.active", "subscription.renewed", "subscription.on_hold", "subscription.paused",
			"subscription.unpaused", "subscription.plan_changed", "subscription.failed",
			"subscription.expired", "subscription.cancelled",
		},
	}},
	{File: "templates/refunds-disputes.js", Template: hookbridge.Template{
		ID:   "refunds-disputes",
		Name: "Refunds and disputes",
		Description: "Captures refund_succeeded and refund_failed on the customer, and dispute_opened … dispute_lost as events " +
			"without a person (a dispute names the payment, not the customer), keyed by the payment id.",
		EventTypes: []string{
			"refund.succeeded", "refund.failed",
			"dispute.opened", "dispute.challenged", "dispute.accepted", "dispute.cancelled",
			"dispute.expired", "dispute.won", "dispute.lost",
		},
	}},
}

const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="PostHog"><rect width="64" height="64" rx="14" fill="#1D4AFF"/><text x="32" y="44" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="30" font-weight="700" fill="#FFFFFF">Ph</text></svg>`
