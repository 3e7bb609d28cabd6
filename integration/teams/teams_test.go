package teams_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
	"github.com/hookbridge/hookbridge/integration/teams"
	"github.com/hookbridge/hookbridge/integration/teams/teamstest"
)

func TestEveryTemplateIsPostedByAWorkflowOnEveryEventItLists(t *testing.T) {
	fake := teamstest.New(t)
	sent := kittest.Templates(t, teams.New(), fake.Credentials(), fake.Client())
	if len(sent) != 24 {
		t.Errorf("sent %d messages, want 24 (4 payment, 11 subscription, 2 refund and 7 dispute events)", len(sent))
	}
	if failed := fake.FailedRuns(); len(failed) > 0 {
		t.Errorf("the trigger accepted them, but %d flow runs failed; the first: %s", len(failed), failed[0].Reason)
	}
	if got := len(fake.Posts()); got != len(sent) {
		t.Errorf("Teams posted %d of %d messages", got, len(sent))
	}
}

func TestEveryTemplateIsPostedByALegacyConnector(t *testing.T) {
	fake := teamstest.New(t)
	creds := hookbridge.Credentials{teams.FieldWebhookURL: teamstest.ConnectorURL()}
	sent := kittest.Templates(t, teams.New(), creds, fake.Client())
	for _, s := range sent {
		if strings.TrimSpace(s.Response.Body) != "1" {
			t.Errorf("%s on %s: the connector answered %d %q, want 200 \"1\"", s.Template, s.EventType, s.Response.Status, s.Response.Body)
		}
	}
}

func TestTemplatesHandleTheCatalogueTypesOfTheirKind(t *testing.T) {
	handled := map[string]bool{}
	for _, tpl := range teams.New().Info().Templates {
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

// cardOf runs a template on an event's sample and returns its card.
func cardOf(t *testing.T, templateID, eventType string) map[string]any {
	t.Helper()
	et, _ := catalog.Lookup(eventType)
	tpl := templatetest.ByID(t, teams.New(), templateID)
	res, err := templatetest.Run(tpl.Code, eventType, et.Sample, teamstest.WorkflowURL(teamstest.PowerPlatformHost))
	if err != nil {
		t.Fatal(err)
	}
	var msg struct {
		Attachments []struct {
			Content map[string]any `json:"content"`
		} `json:"attachments"`
	}
	if err := json.Unmarshal(res.Request.Body, &msg); err != nil || len(msg.Attachments) != 1 {
		t.Fatalf("%s on %s: %s (%v), want one attachment", templateID, eventType, res.Request.Body, err)
	}
	return msg.Attachments[0].Content
}

// headlineAndFacts returns a card's first TextBlock and its facts.
func headlineAndFacts(card map[string]any) (headline map[string]any, facts map[string]string) {
	facts = map[string]string{}
	body, _ := card["body"].([]any)
	for _, el := range body {
		e, _ := el.(map[string]any)
		switch e["type"] {
		case "TextBlock":
			if headline == nil {
				headline = e
			}
		case "FactSet":
			list, _ := e["facts"].([]any)
			for _, f := range list {
				m, _ := f.(map[string]any)
				facts[m["title"].(string)] = m["value"].(string)
			}
		}
	}
	return headline, facts
}

func TestCardsShowCurrencyCorrectAmountsInAFactSet(t *testing.T) {
	for _, c := range []struct{ template, event, fact, want string }{
		{"payments", "payment.succeeded", "Amount", "32.65 USD"},
		{"payments", "payment.processing", "Amount", "4980 JPY"},
		{"disputes", "dispute.lost", "Amount", "4980 JPY"},
		{"refunds", "refund.succeeded", "Amount", "15.00 USD (partial)"},
		{"subscriptions", "subscription.active", "Recurring amount", "29.99 USD every month"},
	} {
		_, facts := headlineAndFacts(cardOf(t, c.template, c.event))
		if facts[c.fact] != c.want {
			t.Errorf("%s: %s %q, want %q (facts %v)", c.event, c.fact, facts[c.fact], c.want, facts)
		}
	}
}

func TestHeadlinesAreColouredByEventKind(t *testing.T) {
	for _, c := range []struct{ template, event, want string }{
		{"payments", "payment.succeeded", "Good"},
		{"payments", "payment.failed", "Attention"},
		{"subscriptions", "subscription.on_hold", "Warning"},
		{"disputes", "dispute.opened", "Warning"},
		{"disputes", "dispute.won", "Good"},
	} {
		headline, _ := headlineAndFacts(cardOf(t, c.template, c.event))
		if headline["color"] != c.want {
			t.Errorf("%s: headline %v, want colour %s", c.event, headline, c.want)
		}
	}
}

func TestTheWebhookURLsSecretIsMaskedInRecords(t *testing.T) {
	fake := teamstest.New(t)
	integ := teams.New()
	for _, raw := range []string{teamstest.WorkflowURL(teamstest.PowerPlatformHost), teamstest.ConnectorURL()} {
		creds := hookbridge.Credentials{teams.FieldWebhookURL: raw}
		sent := kittest.Templates(t, integ, creds, fake.Client())
		if len(sent) == 0 {
			t.Fatal("nothing sent")
		}
		kittest.SecretsMasked(t, integ, creds, sent[0].Request)
		rec := sent[0].Request.Record(hookbridge.SecretValues(integ.Info(), creds))
		if strings.Contains(rec.URL, teamstest.Signature) || strings.Contains(rec.URL, "V2fakeSecret") {
			t.Errorf("recorded URL %s shows the secret", rec.URL)
		}
	}
}

func TestWebhookURLsAreCheckedAtCreateTime(t *testing.T) {
	info := teams.New().Info()
	for _, c := range []struct {
		url string
		ok  bool
	}{
		{teamstest.WorkflowURL(teamstest.PowerPlatformHost), true},
		{teamstest.WorkflowURL(teamstest.LogicAppsHost), true},
		{teamstest.ConnectorURL(), true},
		{strings.Replace(teamstest.WorkflowURL(teamstest.PowerPlatformHost), "&sig="+teamstest.Signature, "", 1), false},
		{"https://" + teamstest.PowerPlatformHost + "/powerautomate/flows/123", false},
		{"https://" + teamstest.ConnectorHost + "/something/else", false},
		{"https://evil.example.com/workflows/1/triggers/manual/paths/invoke?sig=x", false},
		{"https://logic.azure.com.evil.example/workflows/1/triggers/manual/paths/invoke?sig=x", false},
		{strings.Replace(teamstest.WorkflowURL(teamstest.PowerPlatformHost), "https:", "http:", 1), false},
	} {
		_, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{teams.FieldWebhookURL: c.url})
		if (err == nil) != c.ok {
			t.Errorf("%s: error %v, want accepted=%v", c.url, err, c.ok)
		}
	}
}

func TestInfo(t *testing.T) {
	info := teams.New().Info()
	if info.Group != hookbridge.GroupTeamNotifications || info.URLCredential != teams.FieldWebhookURL || info.Docs != "docs/integrations/teams.md" {
		t.Errorf("info %+v", info)
	}
	if r := info.RateLimit; r == nil || r.Requests != 4 || (r.Period != 0 && time.Duration(r.Period) != time.Second) {
		t.Errorf("rate limit %+v, want 4 a second", r)
	}
}
