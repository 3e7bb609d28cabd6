package hubspot

import (
	"embed"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "hubspot"

// FieldAccessToken is the credential holding the private app's token.
const FieldAccessToken = "access_token"

// Host is HubSpot's API host.
const Host = "api.hubapi.com"

// DefaultURL is where a handler's request goes unless it sets webhook.url.
const DefaultURL = "https://" + Host + "/crm/v3/objects/contacts/batch/upsert"

//go:embed templates/*.js
var templateFiles embed.FS

// New returns the HubSpot integration.
func New() hookbridge.Integration {
	return kit.New(kit.Spec{
		ID:    ID,
		Name:  "HubSpot",
		Group: hookbridge.GroupCRM,
		Description: "Keep HubSpot contacts current with their last payment and subscription status, " +
			"record each payment as a custom event, and open a task for every dispute.",
		Logo:        logo,
		Docs:        "docs/integrations/hubspot.md",
		DefaultURL:  DefaultURL,
		Credentials: credentialFields(),
		Hosts:       []string{Host},
		Auth:        kit.Bearer(FieldAccessToken),
		// HubSpot allows 100 requests per 10 seconds to most accounts'
		// private apps (more with the API limit increase), shared by every
		// app of the account.
		RateLimit:              &hookbridge.RateLimitDefault{Requests: 100, Period: hookbridge.Duration(10 * time.Second)},
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
	return []hookbridge.CredentialField{{
		Name:  FieldAccessToken,
		Label: "Private app access token",
		Help: "In HubSpot: Settings → Integrations → Private Apps → your app → Auth → Access token (it starts with pat-). " +
			"The app needs the scopes crm.objects.contacts.write (contacts and tasks) and analytics.behavioral_events.send (custom events).",
		Secret:   true,
		Required: true,
		Check:    checkToken,
	}}
}

// checkToken refuses what cannot be an access token: text with spaces, or
// the whole header pasted.
func checkToken(v string) string {
	switch {
	case strings.HasPrefix(strings.ToLower(v), "bearer "):
		return "paste the token alone, without \"Bearer \""
	case strings.ContainsAny(v, " \t\r\n\""):
		return "holds a space or a quote: paste the access token alone"
	}
	return ""
}

var templateList = []kit.Template{
	{File: "templates/contact-payments.js", Template: hookbridge.Template{
		ID:   "contact-payments",
		Name: "Contact: last payment and refund",
		Description: "Upserts the customer's contact by email with last_payment_amount, _currency, _date, _status and _id, " +
			"and last_refund_amount and _date, amounts in the currency's own units. Create these contact properties first (see the docs page).",
		EventTypes: []string{"payment.succeeded", "payment.failed", "refund.succeeded"},
	}},
	{File: "templates/subscription-status.js", Template: hookbridge.Template{
		ID:   "subscription-status",
		Name: "Contact: subscription status",
		Description: "Upserts the customer's contact by email with subscription_status, subscription_id, the recurring amount " +
			"and currency, and the next billing date.",
		EventTypes: []string{
			"subscription.active", "subscription.renewed", "subscription.on_hold", "subscription.paused",
			"subscription.unpaused", "subscription.plan_changed", "subscription.failed",
			"subscription.expired", "subscription.cancelled",
		},
	}},
	{File: "templates/payment-events.js", Template: hookbridge.Template{
		ID:   "payment-events",
		Name: "Custom events per payment and refund",
		Description: "Sends a custom event for every payment and refund to the customer's contact, with the amount, " +
			"which HubSpot can sum into a lifetime value in reports. Needs an Enterprise account and your Hub ID in the event names.",
		EventTypes: []string{"payment.succeeded", "payment.failed", "refund.succeeded", "refund.failed"},
	}},
	{File: "templates/dispute-tasks.js", Template: hookbridge.Template{
		ID:   "dispute-tasks",
		Name: "Tasks for disputes",
		Description: "Opens a task for every dispute that needs someone (opened, challenged, lost) and records the others " +
			"(accepted, cancelled, expired, won) as completed tasks.",
		EventTypes: []string{
			"dispute.opened", "dispute.challenged", "dispute.lost",
			"dispute.accepted", "dispute.cancelled", "dispute.expired", "dispute.won",
		},
	}},
}

const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="HubSpot"><rect width="64" height="64" rx="14" fill="#E8603C"/><text x="32" y="44" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="30" font-weight="700" fill="#FFFFFF">Hs</text></svg>`
