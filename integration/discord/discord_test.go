package discord_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/integration/discord"
	"github.com/hookbridge/hookbridge/integration/discord/discordtest"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
)

func TestEveryTemplateIsAcceptedByDiscordOnEveryEventItLists(t *testing.T) {
	fake := discordtest.New(t)
	integ := discord.New()
	sent := kittest.Templates(t, integ, fake.Credentials(), fake.Client())
	if len(sent) != 24 {
		t.Errorf("sent %d messages, want 24 (4 payment, 11 subscription, 2 refund and 7 dispute events)", len(sent))
	}
	if got := len(fake.Messages()); got != len(sent) {
		t.Errorf("Discord saved %d messages of %d sent", got, len(sent))
	}
	for _, s := range sent {
		if s.Response.Status != 200 {
			t.Errorf("%s on %s: answered %d, want 200 with the saved message (wait=true)", s.Template, s.EventType, s.Response.Status)
		}
	}
}

func TestTemplatesHandleTheCatalogueTypesOfTheirKind(t *testing.T) {
	handled := map[string]bool{}
	for _, tpl := range discord.New().Info().Templates {
		for _, et := range tpl.EventTypes {
			handled[et] = true
		}
	}
	for _, name := range catalog.Names() {
		kind, _, _ := strings.Cut(name, ".")
		switch kind {
		case "payment", "subscription", "refund", "dispute":
			if !handled[name] {
				t.Errorf("no template posts %s", name)
			}
		}
	}
}

// embedOf runs a template on an event's sample and returns its one embed.
func embedOf(t *testing.T, templateID, eventType string, payload []byte) map[string]any {
	t.Helper()
	tpl := templatetest.ByID(t, discord.New(), templateID)
	res, err := templatetest.Run(tpl.Code, eventType, payload, discordtest.WebhookURL())
	if err != nil {
		t.Fatal(err)
	}
	var msg struct {
		Embeds          []map[string]any `json:"embeds"`
		AllowedMentions map[string]any   `json:"allowed_mentions"`
	}
	if err := json.Unmarshal(res.Request.Body, &msg); err != nil || len(msg.Embeds) != 1 {
		t.Fatalf("%s on %s: %s (%v), want one embed", templateID, eventType, res.Request.Body, err)
	}
	if parse, _ := msg.AllowedMentions["parse"].([]any); msg.AllowedMentions == nil || len(parse) != 0 {
		t.Errorf("%s on %s: allowed_mentions %v, want mentions off", templateID, eventType, msg.AllowedMentions)
	}
	return msg.Embeds[0]
}

func sample(t *testing.T, name string) []byte {
	et, ok := catalog.Lookup(name)
	if !ok {
		t.Fatalf("no event type %s", name)
	}
	return et.Sample
}

func TestAmountsAreInTheCurrencysOwnUnits(t *testing.T) {
	for _, c := range []struct{ template, event, want string }{
		{"payments", "payment.succeeded", "32.65 USD"},
		{"payments", "payment.processing", "4980 JPY"},
		{"disputes", "dispute.opened", "4980 JPY"},
		{"refunds", "refund.succeeded", "15.00 USD"},
	} {
		e := embedOf(t, c.template, c.event, sample(t, c.event))
		if title, _ := e["title"].(string); !strings.HasSuffix(title, c.want) {
			t.Errorf("%s: title %q, want it to end with %q", c.event, title, c.want)
		}
	}
	e := embedOf(t, "subscriptions", "subscription.active", sample(t, "subscription.active"))
	if got := fieldValue(e, "Recurring amount"); got != "29.99 USD every month" {
		t.Errorf("recurring amount %q, want 29.99 USD every month", got)
	}
}

func fieldValue(e map[string]any, name string) string {
	fields, _ := e["fields"].([]any)
	for _, f := range fields {
		m, _ := f.(map[string]any)
		if m["name"] == name {
			v, _ := m["value"].(string)
			return v
		}
	}
	return ""
}

func TestColoursFollowTheEventKind(t *testing.T) {
	const green, red, grey, orange, yellow = 0x2ecc71, 0xe74c3c, 0x95a5a6, 0xe67e22, 0xf1c40f
	for _, c := range []struct {
		template, event string
		want            int
	}{
		{"payments", "payment.succeeded", green},
		{"payments", "payment.failed", red},
		{"payments", "payment.cancelled", grey},
		{"subscriptions", "subscription.on_hold", yellow},
		{"subscriptions", "subscription.cancelled", grey},
		{"disputes", "dispute.opened", orange},
		{"disputes", "dispute.won", green},
		{"disputes", "dispute.lost", red},
		{"refunds", "refund.failed", red},
	} {
		e := embedOf(t, c.template, c.event, sample(t, c.event))
		if got, _ := e["color"].(float64); int(got) != c.want {
			t.Errorf("%s: color %#x, want %#x", c.event, int(got), c.want)
		}
	}
}

func TestMarkdownInEventTextIsEscaped(t *testing.T) {
	payload := strings.Replace(string(sample(t, "refund.succeeded")), "Partial refund", "**Partial** refund", 1)
	e := embedOf(t, "refunds", "refund.succeeded", []byte(payload))
	if got := fieldValue(e, "Reason"); !strings.HasPrefix(got, `\*\*Partial\*\*`) {
		t.Errorf("reason %q: markdown from the event is not escaped", got)
	}
}

func TestTheWebhookURLIsMaskedInRecords(t *testing.T) {
	fake := discordtest.New(t)
	integ := discord.New()
	sent := kittest.Templates(t, integ, fake.Credentials(), fake.Client())
	if len(sent) == 0 {
		t.Fatal("nothing sent")
	}
	kittest.SecretsMasked(t, integ, fake.Credentials(), sent[0].Request)
	rec := sent[0].Request.Record(hookbridge.SecretValues(integ.Info(), fake.Credentials()))
	if strings.Contains(rec.URL, discordtest.WebhookToken) || strings.Contains(rec.URL, discordtest.WebhookID) {
		t.Errorf("recorded URL %s shows the webhook's id or token", rec.URL)
	}
	if !strings.Contains(rec.URL, "discord.com") {
		t.Errorf("recorded URL %s hides where the request went", rec.URL)
	}
}

func TestWebhookURLsAreCheckedAtCreateTime(t *testing.T) {
	info := discord.New().Info()
	for _, c := range []struct {
		url string
		ok  bool
	}{
		{"https://discord.com/api/webhooks/1180000000000000001/tok_en-1", true},
		{"https://discordapp.com/api/webhooks/1180000000000000001/token", true},
		{"https://canary.discord.com/api/webhooks/1180000000000000001/token", true},
		{"https://ptb.discord.com/api/v10/webhooks/1180000000000000001/token", true},
		{"http://discord.com/api/webhooks/1180000000000000001/token", false},
		{"https://discord.example.com/api/webhooks/1180000000000000001/token", false},
		{"https://evil.com/api/webhooks/1180000000000000001/token", false},
		{"https://discord.com/channels/1180000000000000001/22", false},
		{"https://discord.com/api/webhooks/1180000000000000001", false},
	} {
		_, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{discord.FieldWebhookURL: c.url})
		if (err == nil) != c.ok {
			t.Errorf("%s: error %v, want accepted=%v", c.url, err, c.ok)
		}
	}
}

func TestPrepareAsksDiscordToConfirmTheMessage(t *testing.T) {
	integ := discord.New()
	for _, c := range []struct{ url, want string }{
		{discordtest.WebhookURL(), discordtest.WebhookURL() + "?wait=true"},
		{discordtest.WebhookURL() + "?thread_id=42", discordtest.WebhookURL() + "?thread_id=42&wait=true"},
		{discordtest.WebhookURL() + "?wait=false", discordtest.WebhookURL() + "?wait=false"},
		{"https://example.com/hook", "https://example.com/hook"},
	} {
		req := &hookbridge.OutboundRequest{Method: "POST", URL: c.url, Body: []byte(`{"content":"hi"}`)}
		if err := integ.Prepare(req, hookbridge.Credentials{}, hookbridge.SendContext{}); err != nil {
			t.Fatal(err)
		}
		if req.URL != c.want {
			t.Errorf("prepared %s as %s, want %s", c.url, req.URL, c.want)
		}
	}
}

func TestInfo(t *testing.T) {
	info := discord.New().Info()
	if info.Group != hookbridge.GroupTeamNotifications || info.URLCredential != discord.FieldWebhookURL || info.Docs != "docs/integrations/discord.md" {
		t.Errorf("info %+v", info)
	}
	if r := info.RateLimit; r == nil || r.Requests != 5 || time.Duration(r.Period) != 2*time.Second {
		t.Errorf("rate limit %+v, want 5 per 2s", r)
	}
	if len(info.Credentials) != 1 || !info.Credentials[0].Secret {
		t.Errorf("credentials %+v, want one secret webhook URL", info.Credentials)
	}
}
