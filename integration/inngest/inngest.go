package inngest

import (
	"embed"
	"slices"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/flatevent"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "inngest"

// Credential field names.
const (
	FieldEventKey = "event_key"
	FieldHost     = "event_api_host"
)

// DefaultHost is Inngest Cloud's Event API host.
const DefaultHost = "inn.gs"

// DefaultURL is where a handler's request goes unless it sets webhook.url;
// Prepare puts the event key in its path.
const DefaultURL = "https://" + DefaultHost + "/e/"

//go:embed templates/*.js
var templateFiles embed.FS

// New returns the Inngest integration.
func New() hookbridge.Integration {
	return kit.New(kit.Spec{
		ID:    ID,
		Name:  "Inngest",
		Group: hookbridge.GroupAutomation,
		Description: "Send every payment, subscription, refund or dispute event to Inngest as an event " +
			"that triggers your functions once, even when a delivery is retried.",
		Logo:           logo,
		Docs:           "docs/integrations/inngest.md",
		Credentials:    credentialFields(),
		Hosts:          []string{DefaultHost},
		HostCredential: FieldHost,
		DefaultURL:     DefaultURL,
		// No rate limit: Inngest documents none for its Event API.
		RequiresTransformation: true,
		Templates:              templates(),
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
			Name:     FieldEventKey,
			Label:    "Event key",
			Help:     "In Inngest: Manage → Event Keys → Create event key, in the environment your functions run in (Production, or a branch environment). It goes in the Event API URL's path and is kept as a secret.",
			Secret:   true,
			Required: true,
			Check:    checkEventKey,
		},
		{
			Name:    FieldHost,
			Label:   "Event API host",
			Help:    "inn.gs for Inngest Cloud. For a self-hosted Inngest, the host (and port) of its Event API, such as inngest.acme.internal:8288. Requests go there over https.",
			Default: DefaultHost,
			Check:   checkHost,
		},
	}
}

// checkEventKey refuses what cannot go in the URL's path as a key.
func checkEventKey(v string) string {
	if strings.ContainsAny(v, "/?#% \t\r\n") {
		return "an event key has no slashes, spaces or query characters: copy it from Manage → Event Keys"
	}
	return ""
}

// checkHost refuses a host that is a URL or carries a path.
func checkHost(v string) string {
	if strings.Contains(v, "://") || strings.ContainsAny(v, "/?#@ ") {
		return "give the host only (inn.gs, or inngest.acme.internal:8288), without https:// or a path"
	}
	return ""
}

// The templates, one per event category; the event types each handles
// are the flat templates' (the same categories).
func templates() []hookbridge.Template {
	return kit.LoadTemplates(templateFiles, []kit.Template{
		{File: "templates/payments.js", Template: hookbridge.Template{ID: "payments", Name: "Payment events",
			Description: "billing/payment.* events with the payment as data, amounts formatted, the customer as user.",
			EventTypes:  slices.Clone(flatevent.PaymentEvents)}},
		{File: "templates/subscriptions.js", Template: hookbridge.Template{ID: "subscriptions", Name: "Subscription events",
			Description: "billing/subscription.* events with the subscription as data, the recurring amount formatted, the customer as user.",
			EventTypes:  slices.Clone(flatevent.SubscriptionEvents)}},
		{File: "templates/refunds.js", Template: hookbridge.Template{ID: "refunds", Name: "Refund events",
			Description: "billing/refund.* events with the refund as data, the amount formatted, the customer as user.",
			EventTypes:  slices.Clone(flatevent.RefundEvents)}},
		{File: "templates/disputes.js", Template: hookbridge.Template{ID: "disputes", Name: "Dispute events",
			Description: "billing/dispute.* events with the dispute as data and the disputed amount formatted.",
			EventTypes:  slices.Clone(flatevent.DisputeEvents)}},
	})
}

// logo is an original monogram, not Inngest's trademark.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Inngest"><rect width="64" height="64" rx="14" fill="#111827"/><text x="32" y="44" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="34" font-weight="700" fill="#FFFFFF">I</text></svg>`
