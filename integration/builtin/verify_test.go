package builtin_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/builtin"
)

// verifyCalls are the integrations that check credentials with a call, and
// the host it goes to with the credentials below (the default region).
var verifyCalls = map[string]string{
	"customerio": "track.customer.io",
	"mixpanel":   "mixpanel.com",
	"hubspot":    "api.hubapi.com",
	"resend":     "api.resend.com",
	"sendgrid":   "api.sendgrid.com",
	"loops":      "app.loops.so",
	"discord":    "discord.com",
	"windmill":   "windmill.example.com",
}

// sampleCredentials are credentials of every integration that pass its
// field checks.
var sampleCredentials = map[string]hookbridge.Credentials{
	"customerio": {"site_id": "site", "api_key": "key"},
	"segment":    {"write_key": "wk"},
	"posthog":    {"api_key": "phc_x"},
	"mixpanel":   {"service_account_username": "u.1.mp-service-account", "service_account_secret": "s", "project_id": "1"},
	"amplitude":  {"api_key": "0123456789abcdef"},
	"hubspot":    {"access_token": "pat-na1-x"},
	"resend":     {"api_key": "re_x"},
	"sendgrid":   {"api_key": "SG.x"},
	"loops":      {"api_key": "k"},
	"slack":      {"webhook_url": "https://hooks.slack.com/services/T0/B0/abcdefgh"},
	"discord":    {"webhook_url": "https://discord.com/api/webhooks/123/abcdefgh"},
	"teams":      {"webhook_url": "https://acme.webhook.office.com/webhookb2/abc/IncomingWebhook/def/ghi"},
	"zapier":     {"webhook_url": "https://hooks.zapier.com/hooks/catch/1/abc/"},
	"make":       {"webhook_url": "https://hook.eu1.make.com/abcdefgh"},
	"n8n":        {"webhook_url": "https://n8n.example.com/webhook/abcdefgh"},
	"pipedream":  {"webhook_url": "https://eoabcdefgh.m.pipedream.net"},
	"windmill":   {"webhook_url": "https://windmill.example.com/api/w/acme/jobs/run/p/f/x", "token": "t"},
	"inngest":    {"event_key": "k"},
}

// Every built-in tool says how its credentials are checked: a GET on its
// own host, authenticated, or no call and the reason. Nothing is ever a
// POST: a check never sends an event.
func TestEveryIntegrationVerifies(t *testing.T) {
	for _, integ := range builtin.All() {
		id := integ.Info().ID
		verifier, ok := integ.(hookbridge.Verifier)
		if id == "webhook" {
			if ok {
				t.Errorf("webhook has no tool credentials to verify")
			}
			continue
		}
		if !ok {
			t.Errorf("%s is not a hookbridge.Verifier", id)
			continue
		}
		creds, err := hookbridge.CheckCredentials(integ.Info(), sampleCredentials[id])
		if err != nil {
			t.Errorf("%s: sample credentials: %v", id, err)
			continue
		}
		req, v := verifier.VerifyRequest(creds)
		wantHost, wantCall := verifyCalls[id]
		switch {
		case wantCall && req == nil:
			t.Errorf("%s: no verify call: %+v", id, v)
		case wantCall:
			u, _ := url.Parse(req.URL)
			if req.Method != "GET" || u.Scheme != "https" || u.Hostname() != wantHost {
				t.Errorf("%s: verify call %s %s, want a GET on https://%s", id, req.Method, req.URL, wantHost)
			}
			if id != "discord" && req.Header("Authorization") == "" {
				t.Errorf("%s: the verify call is not authenticated", id)
			}
		case req != nil:
			t.Errorf("%s: unexpected verify call %s %s", id, req.Method, req.URL)
		case v.Result != hookbridge.VerifyCannotCheck || !strings.HasPrefix(v.Message, "cannot be checked: ") || len(v.Message) < 40:
			t.Errorf("%s: should say why it cannot be checked: %+v", id, v)
		}
	}
}

// A URL-only tool checks the URL's host without sending anything, and
// says the URL is the tool's.
func TestURLOnlyToolsCheckTheHost(t *testing.T) {
	urlOnly := []string{"slack", "teams", "zapier", "make", "n8n", "pipedream"}
	for _, integ := range builtin.All() {
		id := integ.Info().ID
		if !slices.Contains(urlOnly, id) {
			continue
		}
		verifier := integ.(hookbridge.Verifier)
		req, v := verifier.VerifyRequest(sampleCredentials[id])
		if req != nil || !strings.Contains(v.Message, "webhook URL") || !strings.Contains(v.Message, "without posting") {
			t.Errorf("%s: %+v", id, v)
		}
		if id == "n8n" { // any https host is n8n's own
			continue
		}
		req, v = verifier.VerifyRequest(hookbridge.Credentials{"webhook_url": "https://evil.example.net/services/abcdefgh"})
		if req != nil || v.Result != hookbridge.VerifyWrongKey {
			t.Errorf("%s: a URL on another host: %+v", id, v)
		}
	}
}
