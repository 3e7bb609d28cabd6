// Package loops is the Loops integration: transactional emails (POST
// /api/v1/transactional), events that start Loops workflows (POST
// /api/v1/events/send) and contact updates (PUT /api/v1/contacts/update),
// with the delivery's idempotency key as Idempotency-Key.
package loops

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "loops"

// FieldAPIKey is the credential holding the Loops API key.
const FieldAPIKey = "api_key"

// Host is Loops' API host.
const Host = "app.loops.so"

// The API's paths.
const (
	PathTransactional = "/api/v1/transactional"
	PathEvents        = "/api/v1/events/send"
	PathContactUpdate = "/api/v1/contacts/update"
)

// DefaultURL is where a handler's request goes unless it sets webhook.url.
const DefaultURL = "https://" + Host + PathTransactional

// maxIdempotencyKey is the longest Idempotency-Key Loops takes.
const maxIdempotencyKey = 100

//go:embed templates/*.js
var templateFiles embed.FS

// New returns the Loops integration.
func New() hookbridge.Integration {
	return kit.New(Spec())
}

// Spec describes the integration.
func Spec() kit.Spec {
	return kit.Spec{
		ID:    ID,
		Name:  "Loops",
		Group: hookbridge.GroupEmail,
		Description: "Send receipts, failed-payment, refund and dispute emails as Loops transactional emails, " +
			"and subscription events that start your Loops workflows.",
		Logo:        logo,
		Docs:        "docs/integrations/loops.md",
		Credentials: []hookbridge.CredentialField{apiKeyField()},
		Hosts:       []string{Host},
		DefaultURL:  DefaultURL,
		Auth:        kit.Bearer(FieldAPIKey),
		// Loops' documented limit: 10 requests per second per team.
		RateLimit:              &hookbridge.RateLimitDefault{Requests: 10, Burst: 10},
		RequiresTransformation: true,
		Templates:              templates(),
		Prepare:                prepare,
		Validate:               validate,
		ReadAnswer:             readAnswer,
		Verify:                 verify,
	}
}

func apiKeyField() hookbridge.CredentialField {
	return hookbridge.CredentialField{
		Name:     FieldAPIKey,
		Label:    "API key",
		Help:     "In Loops: Settings → API → Generate key. Use a key for hookbridge alone, so that it can be revoked on its own.",
		Secret:   true,
		Required: true,
		Check:    checkAPIKey,
	}
}

// checkAPIKey refuses what cannot be a Loops API key.
func checkAPIKey(v string) string {
	if strings.ContainsAny(v, " \t\r\n:") {
		return "an API key has no spaces or colons: copy it again from Loops' Settings → API"
	}
	return ""
}

// prepare sends the delivery's idempotency key as Idempotency-Key on the
// sending endpoints (transactional emails and events), unless the handler
// set one. Loops takes keys of up to 100 characters: a longer key is
// replaced by its SHA-256, the same for every attempt.
func prepare(req *hookbridge.OutboundRequest, _ hookbridge.Credentials, sc hookbridge.SendContext) error {
	if sc.IdempotencyKey == "" || req.Header("Idempotency-Key") != "" {
		return nil
	}
	if p := outbound.TrimmedPath(req); p != PathTransactional && p != PathEvents {
		return nil
	}
	key := sc.IdempotencyKey
	if len(key) > maxIdempotencyKey {
		sum := sha256.Sum256([]byte(key))
		key = hex.EncodeToString(sum[:])
	}
	req.SetHeader("Idempotency-Key", key)
	return nil
}

func templates() []hookbridge.Template {
	return kit.LoadTemplates(templateFiles, []kit.Template{
		{File: "templates/payment-receipt.js", Template: hookbridge.Template{
			ID: "loops-payment-receipt", Name: "Payment receipt",
			Description: "Sends your receipt transactional email for each successful payment, with the amount, tax, card and invoice link as data variables.",
			EventTypes:  []string{"payment.succeeded"},
		}},
		{File: "templates/payment-failed.js", Template: hookbridge.Template{
			ID: "loops-payment-failed", Name: "Failed payment notice",
			Description: "Sends your failed-payment transactional email with the amount, the reason and where to update the payment method.",
			EventTypes:  []string{"payment.failed"},
		}},
		{File: "templates/subscription-lifecycle.js", Template: hookbridge.Template{
			ID: "loops-subscription-lifecycle", Name: "Subscription lifecycle events",
			Description: "Sends a Loops event for each subscription step (active, renewed, plan changed, paused, resumed, on hold, failed, cancelled, expired) to start your workflows.",
			EventTypes: []string{
				"subscription.active", "subscription.renewed", "subscription.plan_changed", "subscription.paused",
				"subscription.unpaused", "subscription.on_hold", "subscription.failed", "subscription.cancelled",
				"subscription.expired",
			},
		}},
		{File: "templates/customer-contact.js", Template: hookbridge.Template{
			ID: "loops-customer-contact", Name: "Customer contact",
			Description: "Keeps the customer's Loops contact up to date with their subscription's status, product and next billing date.",
			EventTypes: []string{
				"subscription.active", "subscription.renewed", "subscription.plan_changed", "subscription.paused",
				"subscription.unpaused", "subscription.on_hold", "subscription.failed", "subscription.cancelled",
				"subscription.expired",
			},
		}},
		{File: "templates/refund-confirmation.js", Template: hookbridge.Template{
			ID: "loops-refund-confirmation", Name: "Refund confirmation",
			Description: "Sends your refund transactional email with the amount, the kind of refund and the reason.",
			EventTypes:  []string{"refund.succeeded"},
		}},
		{File: "templates/dispute-alert.js", Template: hookbridge.Template{
			ID: "loops-dispute-alert", Name: "Dispute alert to your team",
			Description: "Sends a transactional email to your own team (not the customer) when a dispute is opened, changes stage or is settled.",
			EventTypes: []string{
				"dispute.opened", "dispute.challenged", "dispute.accepted", "dispute.cancelled",
				"dispute.expired", "dispute.won", "dispute.lost",
			},
		}},
	})
}

// logo is an original monogram, not Loops' trademark.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Loops"><rect width="64" height="64" rx="14" fill="#E8590C"/><text x="32" y="44" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="34" font-weight="700" fill="#FFFFFF">L</text></svg>`
