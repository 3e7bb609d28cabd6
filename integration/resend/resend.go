// Package resend is the Resend integration: transactional emails sent
// through Resend's Email API (POST /emails, and /emails/batch for several
// at once), with the delivery's idempotency key as Idempotency-Key.
package resend

import (
	"embed"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "resend"

// FieldAPIKey is the credential holding the Resend API key.
const FieldAPIKey = "api_key"

// Host is Resend's API host; it has no regional hosts.
const Host = "api.resend.com"

// DefaultURL is where a handler's request goes unless it sets webhook.url.
const DefaultURL = "https://" + Host + "/emails"

//go:embed templates/*.js
var templateFiles embed.FS

// New returns the Resend integration.
func New() hookbridge.Integration {
	return kit.New(Spec())
}

// Spec describes the integration.
func Spec() kit.Spec {
	return kit.Spec{
		ID:    ID,
		Name:  "Resend",
		Group: hookbridge.GroupEmail,
		Description: "Send receipts, failed-payment notices, subscription and refund emails to customers, " +
			"and dispute alerts to your team, through Resend's Email API.",
		Logo:        logo,
		Docs:        "docs/integrations/resend.md",
		Credentials: []hookbridge.CredentialField{apiKeyField()},
		Hosts:       []string{Host},
		DefaultURL:  DefaultURL,
		Auth:        kit.Bearer(FieldAPIKey),
		// Resend's documented default: 2 requests per second per team,
		// across all of its API keys.
		RateLimit:              &hookbridge.RateLimitDefault{Requests: 2, Burst: 2},
		RequiresTransformation: true,
		Templates:              templates(),
		Prepare:                prepare,
		Validate:               validate,
		ReadAnswer:             readAnswer,
		Verify:                 verify,
		Batch:                  batcher{},
	}
}

func apiKeyField() hookbridge.CredentialField {
	return hookbridge.CredentialField{
		Name:  FieldAPIKey,
		Label: "API key",
		Help: "In Resend: API Keys → Create API Key. \"Sending access\" is enough, limited to the domain " +
			"you send from. The key starts with re_ and is shown once.",
		Secret:   true,
		Required: true,
		Check:    checkAPIKey,
	}
}

// checkAPIKey refuses what cannot be a Resend API key.
func checkAPIKey(v string) string {
	switch {
	case strings.ContainsAny(v, " \t\r\n"):
		return "an API key has no spaces: copy it again from Resend's API Keys page"
	case !strings.HasPrefix(v, "re_"):
		return "a Resend API key starts with re_: copy it from Resend's API Keys page"
	}
	return ""
}

// prepare sends the delivery's idempotency key as Idempotency-Key on the
// sending endpoints, unless the handler set one: Resend then answers a
// retried request with the first answer and sends no second email.
func prepare(req *hookbridge.OutboundRequest, _ hookbridge.Credentials, sc hookbridge.SendContext) error {
	if sc.IdempotencyKey == "" || req.Header("Idempotency-Key") != "" {
		return nil
	}
	if p := outbound.TrimmedPath(req); p == pathEmails || p == pathBatch {
		req.SetHeader("Idempotency-Key", sc.IdempotencyKey)
	}
	return nil
}

func templates() []hookbridge.Template {
	return kit.LoadTemplates(templateFiles, []kit.Template{
		{File: "templates/payment-receipt.js", Template: hookbridge.Template{
			ID: "resend-payment-receipt", Name: "Payment receipt",
			Description: "Emails the customer a receipt for each successful payment, with the amount, tax, card and invoice link.",
			EventTypes:  []string{"payment.succeeded"},
		}},
		{File: "templates/payment-failed.js", Template: hookbridge.Template{
			ID: "resend-payment-failed", Name: "Failed payment notice",
			Description: "Tells the customer a payment failed, why, and where to update their payment method.",
			EventTypes:  []string{"payment.failed"},
		}},
		{File: "templates/subscription-lifecycle.js", Template: hookbridge.Template{
			ID: "resend-subscription-lifecycle", Name: "Subscription lifecycle",
			Description: "Emails the customer when a subscription starts, renews, changes plan, pauses, resumes, is put on hold, fails, is cancelled or expires.",
			EventTypes: []string{
				"subscription.active", "subscription.renewed", "subscription.plan_changed", "subscription.paused",
				"subscription.unpaused", "subscription.on_hold", "subscription.failed", "subscription.cancelled",
				"subscription.expired",
			},
		}},
		{File: "templates/refund-confirmation.js", Template: hookbridge.Template{
			ID: "resend-refund-confirmation", Name: "Refund confirmation",
			Description: "Confirms a full or partial refund to the customer, with the amount and reason.",
			EventTypes:  []string{"refund.succeeded"},
		}},
		{File: "templates/dispute-alert.js", Template: hookbridge.Template{
			ID: "resend-dispute-alert", Name: "Dispute alert to your team",
			Description: "Alerts your own team (not the customer) when a dispute is opened, changes stage or is settled.",
			EventTypes: []string{
				"dispute.opened", "dispute.challenged", "dispute.accepted", "dispute.cancelled",
				"dispute.expired", "dispute.won", "dispute.lost",
			},
		}},
	})
}

// logo is an original monogram, not Resend's trademark.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Resend"><rect width="64" height="64" rx="14" fill="#1F1F1F"/><text x="32" y="44" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="28" font-weight="700" fill="#FFFFFF">Re</text></svg>`
