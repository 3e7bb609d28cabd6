package slack

import (
	"embed"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "slack"

// FieldWebhookURL is the credential holding the incoming webhook's URL.
const FieldWebhookURL = "webhook_url"

// Host is the incoming webhooks' host; PathPrefix starts every webhook
// URL's path.
const (
	Host       = "hooks.slack.com"
	PathPrefix = "/services/"
)

//go:embed templates/*.js
var templateFiles embed.FS

// New returns the Slack integration.
func New() hookbridge.Integration {
	return kit.New(Spec())
}

// Spec describes the Slack integration.
func Spec() kit.Spec {
	return kit.Spec{
		ID:    ID,
		Name:  "Slack",
		Group: hookbridge.GroupTeamNotifications,
		Description: "Post payments, subscriptions, refunds and disputes to a Slack channel " +
			"through an incoming webhook, as readable Block Kit messages.",
		Logo: logo,
		Docs: "docs/integrations/slack.md",
		Credentials: []hookbridge.CredentialField{
			kit.URLField(FieldWebhookURL, "Webhook URL",
				"In Slack: your app's page at api.slack.com/apps → Incoming Webhooks → Add New Webhook to Workspace, "+
					"pick the channel, then copy the URL (https://hooks.slack.com/services/T…/B…/…). "+
					"It is a secret: anyone who has it can post to the channel.",
				[]string{Host}, PathPrefix),
		},
		Hosts:                  []string{Host},
		URLCredential:          FieldWebhookURL,
		URLHosts:               []string{Host},
		RateLimit:              &hookbridge.RateLimitDefault{Requests: 1, Period: hookbridge.Duration(time.Second)},
		RequiresTransformation: true,
		Templates:              kit.LoadTemplates(templateFiles, templates),
		Validate:               Validate,
		ReadAnswer:             ReadAnswer,
	}
}

// templates are the built-in handlers.
var templates = []kit.Template{
	{File: "templates/payments.js", Template: hookbridge.Template{
		ID:          "payments",
		Name:        "Payments",
		Description: "Posts each payment that succeeds, fails, is processing or is cancelled, with the amount in the currency's own units, the customer and the reason of a failure.",
		EventTypes:  []string{"payment.succeeded", "payment.failed", "payment.processing", "payment.cancelled"},
	}},
	{File: "templates/subscriptions.js", Template: hookbridge.Template{
		ID:          "subscriptions",
		Name:        "Subscriptions",
		Description: "Posts each step of a subscription's life: started, renewed, on hold, paused, resumed, plan changed, updated, payment method replaced, cancelled, failed and expired.",
		EventTypes: []string{
			"subscription.active", "subscription.renewed", "subscription.on_hold",
			"subscription.paused", "subscription.unpaused", "subscription.cancelled",
			"subscription.failed", "subscription.expired", "subscription.plan_changed",
			"subscription.updated", "subscription.update_payment_method",
		},
	}},
	{File: "templates/refunds.js", Template: hookbridge.Template{
		ID:          "refunds",
		Name:        "Refunds",
		Description: "Posts each refund that succeeds or fails, full or partial, with its amount and reason.",
		EventTypes:  []string{"refund.succeeded", "refund.failed"},
	}},
	{File: "templates/disputes.js", Template: hookbridge.Template{
		ID:          "disputes",
		Name:        "Disputes",
		Description: "Posts each step of a dispute; a newly opened dispute notifies the channel's active members (@here), since it has a deadline.",
		EventTypes: []string{
			"dispute.opened", "dispute.expired", "dispute.accepted", "dispute.cancelled",
			"dispute.challenged", "dispute.won", "dispute.lost",
		},
	}},
}

// logo is an original monogram, not Slack's trademark.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Slack"><rect width="64" height="64" rx="14" fill="#4A3B5C"/><text x="32" y="44" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="34" font-weight="700" fill="#FFFFFF">#</text></svg>`
