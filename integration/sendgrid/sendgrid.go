// Package sendgrid is the Twilio SendGrid integration: emails sent through
// the v3 Mail Send API (POST /v3/mail/send), with inline content or a
// Dynamic Template, from the global host or the EU one.
package sendgrid

import (
	"embed"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "sendgrid"

// Credential field names.
const (
	FieldAPIKey = "api_key"
	FieldRegion = "region"
)

// Regions and their v3 API hosts.
const (
	RegionGlobal = "global"
	RegionEU     = "eu"

	HostGlobal = "api.sendgrid.com"
	HostEU     = "api.eu.sendgrid.com"
)

// DefaultURL is where a handler's request goes unless it sets webhook.url.
const DefaultURL = "https://" + HostGlobal + pathMailSend

//go:embed templates/*.js
var templateFiles embed.FS

// New returns the SendGrid integration.
func New() hookbridge.Integration {
	return kit.New(Spec())
}

// Spec describes the integration.
func Spec() kit.Spec {
	return kit.Spec{
		ID:    ID,
		Name:  "SendGrid",
		Group: hookbridge.GroupEmail,
		Description: "Send receipts, failed-payment notices, subscription and refund emails to customers, " +
			"and dispute alerts to your team, through Twilio SendGrid's Mail Send API, with inline content or Dynamic Templates.",
		Logo:        logo,
		Docs:        "docs/integrations/sendgrid.md",
		Credentials: []hookbridge.CredentialField{apiKeyField(), regionField()},
		Hosts:       []string{HostGlobal, HostEU},
		Regions: &kit.Regions{Field: FieldRegion, Default: RegionGlobal,
			Hosts: map[string]string{RegionGlobal: HostGlobal, RegionEU: HostEU}},
		DefaultURL: DefaultURL,
		Auth:       kit.Bearer(FieldAPIKey),
		// SendGrid publishes no number for Mail Send (it is left out of the
		// 600 requests a minute of its other endpoints): ten a second is
		// hookbridge's own, cautious default.
		RateLimit:              &hookbridge.RateLimitDefault{Requests: 10, Burst: 10},
		RequiresTransformation: true,
		Templates:              templates(),
		Validate:               validate,
		ReadAnswer:             readAnswer,
		Verify:                 verify,
	}
}

func apiKeyField() hookbridge.CredentialField {
	return hookbridge.CredentialField{
		Name:  FieldAPIKey,
		Label: "API key",
		Help: "In SendGrid: Settings → API Keys → Create API Key, with Restricted Access and Mail Send " +
			"set to Full Access. The key starts with SG. and is shown once.",
		Secret:   true,
		Required: true,
		Check:    checkAPIKey,
	}
}

func regionField() hookbridge.CredentialField {
	return hookbridge.CredentialField{
		Name:  FieldRegion,
		Label: "Region",
		Help: "global (api.sendgrid.com) for most accounts; eu (api.eu.sendgrid.com) for an EU regional " +
			"subuser, whose key works only there.",
		Choices: []string{RegionGlobal, RegionEU},
		Default: RegionGlobal,
	}
}

// checkAPIKey refuses what cannot be a SendGrid API key.
func checkAPIKey(v string) string {
	switch {
	case strings.ContainsAny(v, " \t\r\n"):
		return "an API key has no spaces: copy it again from SendGrid's API Keys page"
	case !strings.HasPrefix(v, "SG."):
		return "a SendGrid API key starts with SG.: create one under Settings → API Keys"
	}
	return ""
}

func templates() []hookbridge.Template {
	return kit.LoadTemplates(templateFiles, []kit.Template{
		{File: "templates/payment-receipt.js", Template: hookbridge.Template{
			ID: "sendgrid-payment-receipt", Name: "Payment receipt",
			Description: "Emails the customer a receipt for each successful payment, with the amount, tax, card and invoice link.",
			EventTypes:  []string{"payment.succeeded"},
		}},
		{File: "templates/dynamic-template-receipt.js", Template: hookbridge.Template{
			ID: "sendgrid-dynamic-template-receipt", Name: "Payment receipt (Dynamic Template)",
			Description: "Sends the receipt through one of your SendGrid Dynamic Templates, giving it the amount, tax, card and invoice link.",
			EventTypes:  []string{"payment.succeeded"},
		}},
		{File: "templates/payment-failed.js", Template: hookbridge.Template{
			ID: "sendgrid-payment-failed", Name: "Failed payment notice",
			Description: "Tells the customer a payment failed, why, and where to update their payment method.",
			EventTypes:  []string{"payment.failed"},
		}},
		{File: "templates/subscription-lifecycle.js", Template: hookbridge.Template{
			ID: "sendgrid-subscription-lifecycle", Name: "Subscription lifecycle",
			Description: "Emails the customer when a subscription starts, renews, changes plan, pauses, resumes, is put on hold, fails, is cancelled or expires.",
			EventTypes: []string{
				"subscription.active", "subscription.renewed", "subscription.plan_changed", "subscription.paused",
				"subscription.unpaused", "subscription.on_hold", "subscription.failed", "subscription.cancelled",
				"subscription.expired",
			},
		}},
		{File: "templates/refund-confirmation.js", Template: hookbridge.Template{
			ID: "sendgrid-refund-confirmation", Name: "Refund confirmation",
			Description: "Confirms a full or partial refund to the customer, with the amount and reason.",
			EventTypes:  []string{"refund.succeeded"},
		}},
		{File: "templates/dispute-alert.js", Template: hookbridge.Template{
			ID: "sendgrid-dispute-alert", Name: "Dispute alert to your team",
			Description: "Alerts your own team (not the customer) when a dispute is opened, changes stage or is settled.",
			EventTypes: []string{
				"dispute.opened", "dispute.challenged", "dispute.accepted", "dispute.cancelled",
				"dispute.expired", "dispute.won", "dispute.lost",
			},
		}},
	})
}

// logo is an original monogram, not SendGrid's trademark.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="SendGrid"><rect width="64" height="64" rx="14" fill="#1A82E2"/><text x="32" y="43" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="28" font-weight="700" fill="#FFFFFF">SG</text></svg>`
