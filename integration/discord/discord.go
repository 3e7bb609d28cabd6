package discord

import (
	"embed"
	"regexp"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "discord"

// FieldWebhookURL is the credential holding the channel's webhook URL.
const FieldWebhookURL = "webhook_url"

// Hosts are the hosts Discord serves webhook URLs on: discord.com, the
// older discordapp.com, and the hosts of its test clients (the URL a user
// copies in Discord Canary or PTB names canary. or ptb.).
var Hosts = []string{
	"discord.com", "discordapp.com",
	"canary.discord.com", "ptb.discord.com",
	"canary.discordapp.com", "ptb.discordapp.com",
}

// webhookPath matches the path of an Execute Webhook URL, with or without
// an API version: /api/webhooks/{id}/{token} or /api/v10/webhooks/….
var webhookPath = regexp.MustCompile(`^/api(/v\d+)?/webhooks/\d+/[A-Za-z0-9_.-]+/?$`)

//go:embed templates/*.js
var templateFiles embed.FS

// New returns the Discord integration.
func New() hookbridge.Integration {
	return kit.New(kit.Spec{
		ID:    ID,
		Name:  "Discord",
		Group: hookbridge.GroupTeamNotifications,
		Description: "Post payments, subscriptions, refunds and disputes to a Discord channel " +
			"through its webhook, as embeds coloured by what happened.",
		Logo:          logo,
		Docs:          "docs/integrations/discord.md",
		Credentials:   []hookbridge.CredentialField{webhookURLField()},
		Hosts:         Hosts,
		URLCredential: FieldWebhookURL,
		URLHosts:      Hosts,
		// Discord does not publish its webhook limits and asks clients to
		// read its rate-limit headers; a webhook's bucket allows 5
		// requests per 2 seconds.
		RateLimit:              &hookbridge.RateLimitDefault{Requests: 5, Period: hookbridge.Duration(2 * time.Second)},
		RequiresTransformation: true,
		Templates:              kit.LoadTemplates(templateFiles, templates),
		Prepare:                prepare,
		Validate:               validate,
		ReadAnswer:             readAnswer,
		Verify:                 verify,
	})
}

// webhookURLField is the webhook URL credential: an https URL on one of
// Hosts whose path is an Execute Webhook path.
func webhookURLField() hookbridge.CredentialField {
	f := kit.URLField(FieldWebhookURL, "Webhook URL",
		"In Discord: the channel's Edit Channel → Integrations → Webhooks → your webhook → Copy Webhook URL. "+
			"It looks like https://discord.com/api/webhooks/123…/abc…; anyone holding it can post to the channel.",
		Hosts, "/api/")
	check := f.Check
	f.Check = func(v string) string {
		if msg := check(v); msg != "" {
			return msg
		}
		return checkWebhookPath(v)
	}
	return f
}

// logo is an original monogram, not Discord's trademark.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Discord"><rect width="64" height="64" rx="14" fill="#4E5AB8"/><text x="32" y="44" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="34" font-weight="700" fill="#FFFFFF">D</text></svg>`
