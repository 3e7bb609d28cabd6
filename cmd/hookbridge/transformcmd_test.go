package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/integration/builtin"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// chatToken is the token in the test integration's webhook URL: it must
// never be printed.
const chatToken = "T0001/B0002/secret-token-0123456789"

// chatIntegration is a test-only integration whose destination URL is a
// credential, as Slack's incoming webhooks are: hosts hooks.chat.example,
// paths under /services/, and a body that needs a text.
func chatIntegration() hookbridge.Integration {
	return kit.New(kit.Spec{
		ID: "chat", Name: "Chat", Group: hookbridge.GroupTeamNotifications, Description: "A test chat tool.",
		URLCredential: "webhook_url",
		URLHosts:      []string{"hooks.chat.example"},
		Credentials: []hookbridge.CredentialField{
			kit.URLField("webhook_url", "Webhook URL", "Create an incoming webhook in Chat.", []string{"hooks.chat.example"}, "/services/"),
		},
		Validate: func(req *hookbridge.OutboundRequest, _ time.Time) []hookbridge.Problem {
			var body struct {
				Text string `json:"text"`
			}
			if json.Unmarshal(req.Body, &body) != nil || body.Text == "" {
				return []hookbridge.Problem{kit.Problem("text", "Chat needs a text", "set webhook.payload = {text: \"…\"}")}
			}
			return nil
		},
	})
}

// runLocal runs the transform command's work on integrations, as the
// command does on the built-in ones.
func runLocal(t *testing.T, integrations *hookbridge.Integrations, code, integration, eventType string, creds map[string]string) (string, error) {
	t.Helper()
	et, ok := catalog.Lookup(eventType)
	if !ok {
		t.Fatalf("no event type %s", eventType)
	}
	var out bytes.Buffer
	cmd := &cobra.Command{}
	cmd.SetContext(context.Background())
	cmd.SetOut(&out)
	err := runTransform(cmd, integrations, code, integration, eventType, et.Sample, creds)
	return out.String(), err
}

const chatHandler = `function handler(webhook) {
  webhook.payload = { text: "Payment " + webhook.payload.data.id };
  return webhook;
}`

func TestTransformSendsToTheURLCredential(t *testing.T) {
	integrations := hookbridge.NewIntegrations(chatIntegration())
	url := "https://hooks.chat.example/services/" + chatToken
	out, err := runLocal(t, integrations, chatHandler, "chat", "payment.succeeded", map[string]string{"webhook_url": url})
	if err != nil {
		t.Fatalf("transform: %v\n%s", err, out)
	}
	if !strings.Contains(out, "POST https://hooks.chat.example") || !strings.Contains(out, "Chat would accept this request") {
		t.Errorf("want a POST to the webhook URL's host, accepted:\n%s", out)
	}
	if strings.Contains(out, chatToken) || strings.Contains(out, "secret-token") {
		t.Errorf("the webhook URL's token is printed:\n%s", out)
	}
}

func TestTransformNeedsTheURLCredential(t *testing.T) {
	integrations := hookbridge.NewIntegrations(chatIntegration())
	_, err := runLocal(t, integrations, chatHandler, "chat", "payment.succeeded", nil)
	if err == nil || !strings.Contains(err.Error(), "--credential webhook_url=https://") {
		t.Fatalf("without the webhook URL: %v, want an error naming --credential webhook_url", err)
	}
}

func TestTransformChecksGivenCredentials(t *testing.T) {
	integrations := hookbridge.NewIntegrations(chatIntegration())
	for name, c := range map[string]struct {
		creds map[string]string
		want  string
	}{
		"another host":     {map[string]string{"webhook_url": "https://evil.example/services/" + chatToken}, "not one of hooks.chat.example"},
		"plain http":       {map[string]string{"webhook_url": "http://hooks.chat.example/services/" + chatToken}, "https://"},
		"not a webhook":    {map[string]string{"webhook_url": "https://hooks.chat.example/other/" + chatToken}, "/services/"},
		"unknown name":     {map[string]string{"webhook_url": "https://hooks.chat.example/services/" + chatToken, "api_key": "x"}, "no such credential"},
		"not a URL at all": {map[string]string{"webhook_url": "hooks"}, "not a URL"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := runLocal(t, integrations, chatHandler, "chat", "payment.succeeded", c.creds)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err %v, want one saying %q", err, c.want)
			}
		})
	}
}

func TestTransformReportsTheToolsProblems(t *testing.T) {
	integrations := hookbridge.NewIntegrations(chatIntegration())
	out, err := runLocal(t, integrations, "function handler(webhook) { webhook.payload = {}; return webhook; }", "chat", "payment.succeeded",
		map[string]string{"webhook_url": "https://hooks.chat.example/services/" + chatToken})
	if err == nil || !strings.Contains(out, "Chat would not accept") || !strings.Contains(out, "fix: set webhook.payload") {
		t.Fatalf("err %v, want the missing text with its fix:\n%s", err, out)
	}
}

func TestTransformUnknownIntegrationListsThem(t *testing.T) {
	integrations := hookbridge.NewIntegrations(builtin.All()...)
	_, err := runLocal(t, integrations, chatHandler, "nope", "payment.succeeded", nil)
	if err == nil || !strings.Contains(err.Error(), "webhook") || !strings.Contains(err.Error(), "segment") {
		t.Fatalf("err %v, want one listing the integrations", err)
	}
}

// TestTransformRunsEveryBuiltinTemplate runs each built-in integration's
// first template through the command, with a made-up webhook URL on the
// integration's URL host where it takes one: the command works for every
// integration, as the catalogue grows.
func TestTransformRunsEveryBuiltinTemplate(t *testing.T) {
	for _, in := range builtin.All() {
		info := in.Info()
		if len(info.Templates) == 0 {
			continue
		}
		tpl := info.Templates[0]
		for _, tt := range info.Templates {
			if !tt.FromDocs && len(tt.EventTypes) > 0 {
				tpl = tt
				break
			}
		}
		if len(tpl.EventTypes) == 0 {
			continue
		}
		t.Run(info.ID, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "handler.js")
			if err := os.WriteFile(file, []byte(tpl.Code), 0o600); err != nil {
				t.Fatal(err)
			}
			args := []string{"transform", file, "--event", tpl.EventTypes[0], "--integration", info.ID}
			if info.URLCredential != "" {
				url := sampleWebhookURL(info)
				if url == "" {
					t.Skipf("%s: no sample webhook URL known for its URL credential", info.ID)
				}
				args = append(args, "--credential", info.URLCredential+"="+url)
			}
			out, err := run(t, "", args...)
			if info.URLCredential != "" && err != nil && strings.Contains(err.Error(), "--credential "+info.URLCredential) {
				t.Skipf("the sample webhook URL of %s is refused (update sampleWebhookURLs): %v", info.ID, err)
			}
			if err != nil && !tpl.FromDocs {
				t.Fatalf("%s template %s on %s: %v\n%s", info.ID, tpl.ID, tpl.EventTypes[0], err, out)
			}
			if !strings.Contains(out, "would accept") && !strings.Contains(out, "skipped:") && !strings.Contains(out, "would not accept") {
				t.Errorf("no verdict printed:\n%s", out)
			}
		})
	}
}

// sampleWebhookURLs are made-up webhook URLs of the tools whose URL is a
// credential, shaped as each tool's documentation shows them.
var sampleWebhookURLs = map[string]string{
	"slack":     "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
	"discord":   "https://discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz0123456789",
	"teams":     "https://prod-00.westus.logic.azure.com:443/workflows/0123456789abcdef/triggers/manual/paths/invoke?api-version=2016-06-01&sig=abcdefghijklmnop",
	"zapier":    "https://hooks.zapier.com/hooks/catch/123456/abcdefg/",
	"make":      "https://hook.eu1.make.com/abcdefghijklmnopqrstuvwxyz012345",
	"n8n":       "https://n8n.example.com/webhook/0123456789abcdef",
	"pipedream": "https://eo0123456789abc.m.pipedream.net",
	"windmill":  "https://app.windmill.dev/api/w/demo/jobs/run/p/u/demo/flow?token=abcdefghijklmnop",
}

// sampleWebhookURL returns a made-up webhook URL for an integration whose
// URL is a credential, "" if none is known.
func sampleWebhookURL(info hookbridge.IntegrationInfo) string {
	return sampleWebhookURLs[info.ID]
}
