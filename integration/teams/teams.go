package teams

import (
	"embed"
	"net/url"
	"regexp"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// ID names the integration in endpoints and in the catalogue.
const ID = "teams"

// FieldWebhookURL is the credential holding the webhook URL.
const FieldWebhookURL = "webhook_url"

// The host patterns of Teams webhook URLs.
const (
	// HostsWorkflowsPowerPlatform is where Teams Workflows webhooks run:
	// Power Platform environments.
	HostsWorkflowsPowerPlatform = "*.environment.api.powerplatform.com"
	// HostsWorkflowsLogicApps is where Workflows webhooks made before
	// Microsoft moved them to Power Platform run.
	HostsWorkflowsLogicApps = "*.logic.azure.com"
	// HostsConnectors is where the legacy incoming webhooks (Microsoft
	// 365 connectors) are.
	HostsConnectors = "*.webhook.office.com"
)

// Hosts are the host patterns a Teams webhook URL may name.
var Hosts = []string{HostsWorkflowsPowerPlatform, HostsWorkflowsLogicApps, HostsConnectors}

// workflowPath matches a Workflows trigger's path: /workflows/{id}/
// triggers/manual/paths/invoke, under /powerautomate/automations/direct
// on Power Platform hosts.
var workflowPath = regexp.MustCompile(`^(/powerautomate/automations/direct)?/workflows/[A-Za-z0-9-]+/triggers/[A-Za-z0-9_-]+/paths/invoke/?$`)

//go:embed templates/*.js
var templateFiles embed.FS

// New returns the Microsoft Teams integration.
func New() hookbridge.Integration {
	return kit.New(kit.Spec{
		ID:    ID,
		Name:  "Microsoft Teams",
		Group: hookbridge.GroupTeamNotifications,
		Description: "Post payments, subscriptions, refunds and disputes to a Teams channel as " +
			"Adaptive Cards, through a Teams Workflows webhook.",
		Logo:          logo,
		Docs:          "docs/integrations/teams.md",
		Credentials:   []hookbridge.CredentialField{webhookURLField()},
		Hosts:         Hosts,
		URLCredential: FieldWebhookURL,
		URLHosts:      Hosts,
		// Microsoft throttles an incoming webhook that is sent more than
		// four requests in a second.
		RateLimit:              &hookbridge.RateLimitDefault{Requests: 4},
		RequiresTransformation: true,
		Templates:              kit.LoadTemplates(templateFiles, templates),
		Validate:               validate,
		ReadAnswer:             readAnswer,
	})
}

// webhookURLField is the webhook URL credential: an https URL on one of
// Hosts whose path is a Workflows trigger's (with its signature) or a
// connector's.
func webhookURLField() hookbridge.CredentialField {
	f := kit.URLField(FieldWebhookURL, "Webhook URL",
		"In Teams: the channel's ••• → Workflows → \"Send webhook alerts to a channel\" (or a flow started by "+
			"\"When a Teams webhook request is received\"); copy the whole URL the trigger shows, with its ?…&sig=… part. "+
			"Anyone holding it can post to the channel.",
		Hosts, "")
	check := f.Check
	f.Check = func(v string) string {
		if msg := check(v); msg != "" {
			return msg
		}
		return checkWebhookPath(v)
	}
	return f
}

// checkWebhookPath says what is wrong with the path or query of a
// webhook URL whose host is one of Hosts, "" if nothing.
func checkWebhookPath(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "is not a URL"
	}
	if isConnector(outbound.Host(u)) {
		if !strings.HasPrefix(u.Path, "/webhookb2/") {
			return "is not an incoming webhook URL: its path should start with /webhookb2/"
		}
		return ""
	}
	switch {
	case !workflowPath.MatchString(u.Path):
		return "is not a Workflows webhook URL: its path should end with /triggers/manual/paths/invoke"
	case u.Query().Get("sig") == "":
		return "lacks its signature: copy the whole URL, with the ?api-version=…&sig=… part"
	}
	return ""
}

// isConnector reports whether host is a legacy incoming webhook's.
func isConnector(host string) bool {
	return kit.MatchHost([]string{HostsConnectors}, host)
}

// isLogicApps reports whether host is an older Workflows host.
func isLogicApps(host string) bool {
	return kit.MatchHost([]string{HostsWorkflowsLogicApps}, host)
}

// logo is an original monogram, not Microsoft's trademark.
const logo = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Microsoft Teams"><rect width="64" height="64" rx="14" fill="#4B53BC"/><text x="32" y="44" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="34" font-weight="700" fill="#FFFFFF">T</text></svg>`
