package slack_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
	"github.com/hookbridge/hookbridge/integration/slack"
	"github.com/hookbridge/hookbridge/integration/slack/slacktest"
)

func TestInfo(t *testing.T) {
	info := slack.New().Info()
	if info.ID != "slack" || info.Group != hookbridge.GroupTeamNotifications || info.URLCredential != slack.FieldWebhookURL {
		t.Errorf("info: %+v", info)
	}
	if info.RateLimit == nil || info.RateLimit.Requests != 1 || time.Duration(info.RateLimit.Period) != time.Second {
		t.Errorf("rate limit %+v, want 1 a second", info.RateLimit)
	}
	if len(info.Hosts) != 1 || info.Hosts[0] != "hooks.slack.com" {
		t.Errorf("hosts %v", info.Hosts)
	}
	if !strings.HasPrefix(info.Logo, "<svg") || info.Docs != "docs/integrations/slack.md" {
		t.Errorf("logo or docs missing")
	}
	if len(info.Credentials) != 1 || !info.Credentials[0].Secret || !info.Credentials[0].Required {
		t.Errorf("credentials %+v: want one required secret", info.Credentials)
	}
}

func TestCheckCredentialsRefusesOtherURLs(t *testing.T) {
	info := slack.New().Info()
	good := slacktest.WebhookURL()
	if _, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{"webhook_url": good}); err != nil {
		t.Fatalf("a webhook URL is refused: %v", err)
	}
	for _, bad := range []string{
		"http://hooks.slack.com/services/T1/B1/x",               // not https
		"https://hooks.slack.com.evil.example/services/T1/B1/x", // another host
		"https://example.com/services/T1/B1/x",                  // another host
		"https://hooks.slack.com/workflows/T1/A1/1/x",           // not an incoming webhook
		"https://user:pw@hooks.slack.com/services/T1/B1/x",
		"",
	} {
		if _, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{"webhook_url": bad}); err == nil {
			t.Errorf("%q is accepted", bad)
		}
	}
}

func TestTemplatesOnTheFake(t *testing.T) {
	fake := slacktest.New(t)
	integ := slack.New()
	sent := kittest.Templates(t, integ, fake.Credentials(), fake.Client())
	if want := countEventTypes(integ); len(sent) != want || len(fake.Messages()) != want {
		t.Errorf("sent %d, fake posted %d, want %d", len(sent), len(fake.Messages()), want)
	}
	for _, s := range sent {
		kittest.SecretsMasked(t, integ, fake.Credentials(), s.Request)
		if ps := integ.Validate(s.Request, time.Now()); len(ps) > 0 {
			t.Errorf("%s on %s: even warnings should not show: %+v", s.Template, s.EventType, ps)
		}
	}
}

func countEventTypes(integ hookbridge.Integration) int {
	n := 0
	for _, tpl := range integ.Info().Templates {
		n += len(tpl.EventTypes)
	}
	return n
}

func TestTemplatesCoverTheirEvents(t *testing.T) {
	want := map[string]string{"payments": "payment.", "subscriptions": "subscription.", "refunds": "refund.", "disputes": "dispute."}
	for id, prefix := range want {
		tpl := templatetest.ByID(t, slack.New(), id)
		var listed []string
		for _, name := range catalog.Names() {
			if strings.HasPrefix(name, prefix) {
				listed = append(listed, name)
			}
		}
		if strings.Join(listed, ",") != strings.Join(tpl.EventTypes, ",") {
			t.Errorf("template %s lists %v; the catalogue has %v", id, tpl.EventTypes, listed)
		}
	}
}

// message runs a template on an event's sample and returns the message.
func message(t *testing.T, id, eventType string) map[string]any {
	t.Helper()
	et, _ := catalog.Lookup(eventType)
	res, err := templatetest.Run(templatetest.ByID(t, slack.New(), id).Code, eventType, et.Sample, slacktest.WebhookURL())
	if err != nil {
		t.Fatal(err)
	}
	var msg map[string]any
	if err := json.Unmarshal(res.Request.Body, &msg); err != nil {
		t.Fatal(err)
	}
	if res.Request.URL != slacktest.WebhookURL() {
		t.Errorf("the template moved the request to %s", res.Request.URL)
	}
	return msg
}

func TestAmountsInTheCurrencysUnits(t *testing.T) {
	tests := []struct{ id, event, want string }{
		{"payments", "payment.succeeded", "32.65 USD"},
		{"refunds", "refund.succeeded", "15.00 USD (partial)"},
		{"subscriptions", "subscription.active", "29.99 USD every month"},
		{"disputes", "dispute.opened", "4980 JPY"}, // a string of minor units, no decimals
	}
	for _, tt := range tests {
		msg := message(t, tt.id, tt.event)
		if text := msg["text"].(string); !strings.Contains(text, tt.want) {
			t.Errorf("%s on %s: text %q lacks %q", tt.id, tt.event, text, tt.want)
		}
		header := msg["blocks"].([]any)[0].(map[string]any)
		if header["type"] != "header" {
			t.Errorf("%s: the first block is %v", tt.id, header["type"])
		}
	}
}

func TestOpenedDisputeIsUrgent(t *testing.T) {
	if text := message(t, "disputes", "dispute.opened")["text"].(string); !strings.HasPrefix(text, "<!here> ") {
		t.Errorf("an opened dispute does not notify the channel: %q", text)
	}
	if text := message(t, "disputes", "dispute.won")["text"].(string); strings.Contains(text, "<!here>") {
		t.Errorf("a won dispute notifies the channel: %q", text)
	}
}

func TestFailedPaymentSaysWhy(t *testing.T) {
	body, _ := json.Marshal(message(t, "payments", "payment.failed"))
	if !strings.Contains(string(body), "insufficient funds") || !strings.Contains(string(body), "INSUFFICIENT_FUNDS") {
		t.Errorf("the failure's reason is missing: %s", body)
	}
}
