package discord_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/discord"
	"github.com/hookbridge/hookbridge/integration/discord/discordtest"
)

// validMessage is a message within every limit; each rule's case breaks
// it in one place.
func validMessage() map[string]any {
	return map[string]any{
		"content":  "New payment",
		"username": "Payments",
		"embeds": []any{map[string]any{
			"title":       "Payment received",
			"description": "From Jane Doe",
			"color":       0x2ecc71,
			"timestamp":   "2025-08-04T05:30:45.182629Z",
			"fields":      []any{map[string]any{"name": "Amount", "value": "32.65 USD"}},
			"footer":      map[string]any{"text": "pay_1"},
			"author":      map[string]any{"name": "Acme"},
		}},
	}
}

func firstEmbed(m map[string]any) map[string]any { return m["embeds"].([]any)[0].(map[string]any) }

func manyFields(n int, value string) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = map[string]any{"name": "Field", "value": value}
	}
	return out
}

func manyEmbeds(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = map[string]any{"description": "x"}
	}
	return out
}

// bodyRules are the rules on the message, each broken by one change.
var bodyRules = []struct {
	name  string
	field string
	edit  func(m map[string]any)
}{
	{"empty message", "content", func(m map[string]any) { delete(m, "embeds"); m["content"] = "" }},
	{"content over 2,000", "content", func(m map[string]any) { m["content"] = strings.Repeat("é", 2001) }},
	{"username too long", "username", func(m map[string]any) { m["username"] = strings.Repeat("u", 81) }},
	{"username naming discord", "username", func(m map[string]any) { m["username"] = "Discord payments" }},
	{"more than 10 embeds", "embeds", func(m map[string]any) { m["embeds"] = manyEmbeds(11) }},
	{"title over 256", "embeds[0].title", func(m map[string]any) { firstEmbed(m)["title"] = strings.Repeat("t", 257) }},
	{"description over 4,096", "embeds[0].description", func(m map[string]any) { firstEmbed(m)["description"] = strings.Repeat("d", 4097) }},
	{"more than 25 fields", "embeds[0].fields", func(m map[string]any) { firstEmbed(m)["fields"] = manyFields(26, "v") }},
	{"field name over 256", "embeds[0].fields[0].name", func(m map[string]any) {
		firstEmbed(m)["fields"] = []any{map[string]any{"name": strings.Repeat("n", 257), "value": "v"}}
	}},
	{"field value over 1,024", "embeds[0].fields[0].value", func(m map[string]any) {
		firstEmbed(m)["fields"] = []any{map[string]any{"name": "n", "value": strings.Repeat("v", 1025)}}
	}},
	{"empty field value", "embeds[0].fields[0].value", func(m map[string]any) {
		firstEmbed(m)["fields"] = []any{map[string]any{"name": "n", "value": ""}}
	}},
	{"footer over 2,048", "embeds[0].footer.text", func(m map[string]any) { firstEmbed(m)["footer"] = map[string]any{"text": strings.Repeat("f", 2049)} }},
	{"author name over 256", "embeds[0].author.name", func(m map[string]any) { firstEmbed(m)["author"] = map[string]any{"name": strings.Repeat("a", 257)} }},
	{"all embed text over 6,000", "embeds", func(m map[string]any) {
		m["embeds"] = []any{map[string]any{"description": strings.Repeat("d", 4000)}, map[string]any{"description": strings.Repeat("d", 2001)}}
	}},
	{"colour as a string", "embeds[0].color", func(m map[string]any) { firstEmbed(m)["color"] = "#2ecc71" }},
	{"colour over 0xFFFFFF", "embeds[0].color", func(m map[string]any) { firstEmbed(m)["color"] = 0x1000000 }},
	{"colour as an empty array", "embeds[0].color", func(m map[string]any) { firstEmbed(m)["color"] = []any{} }},
	{"colour as an empty object", "embeds[0].color", func(m map[string]any) { firstEmbed(m)["color"] = map[string]any{} }},
	{"timestamp not ISO 8601", "embeds[0].timestamp", func(m map[string]any) { firstEmbed(m)["timestamp"] = "4 August 2025" }},
}

func request(t *testing.T, body any) *hookbridge.OutboundRequest {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req := &hookbridge.OutboundRequest{Method: "POST", URL: discordtest.WebhookURL(), Body: b}
	if err := discord.New().Prepare(req, hookbridge.Credentials{}, hookbridge.SendContext{}); err != nil {
		t.Fatal(err)
	}
	return req
}

func TestAValidMessageHasNoProblems(t *testing.T) {
	if ps := discord.New().Validate(request(t, validMessage()), time.Now()); len(ps) > 0 {
		t.Errorf("problems with a valid message: %+v", ps)
	}
}

func TestEachMessageRule(t *testing.T) {
	integ := discord.New()
	for _, rule := range bodyRules {
		t.Run(rule.name, func(t *testing.T) {
			m := validMessage()
			rule.edit(m)
			ps := hookbridge.Blocking(integ.Validate(request(t, m), time.Now()))
			if len(ps) != 1 || ps[0].Field != rule.field || ps[0].Fix == "" {
				t.Errorf("problems %+v, want one on %s with a fix", ps, rule.field)
			}
		})
	}
}

// TestTheFakeRefusesWhatTheValidatorBlocks checks the validator and the
// fake, written apart from each other, against each other: what one
// blocks, the other refuses with Discord's 400.
func TestTheFakeRefusesWhatTheValidatorBlocks(t *testing.T) {
	fake := discordtest.New(t)
	sender := &delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}
	for _, rule := range bodyRules {
		m := validMessage()
		rule.edit(m)
		resp := sender.Send(context.Background(), request(t, m))
		if resp.Status != 400 {
			t.Errorf("%s: the fake answered %d %s, want 400", rule.name, resp.Status, resp.Body)
		}
	}
	if resp := sender.Send(context.Background(), request(t, validMessage())); resp.Status != 200 {
		t.Errorf("a valid message: the fake answered %d %s", resp.Status, resp.Body)
	}
}

func TestEachRequestRule(t *testing.T) {
	integ := discord.New()
	for _, c := range []struct {
		name, field string
		edit        func(r *hookbridge.OutboundRequest)
	}{
		{"not POST", "method", func(r *hookbridge.OutboundRequest) { r.Method = "PUT" }},
		{"not a webhook path", "url", func(r *hookbridge.OutboundRequest) {
			r.URL = "https://discord.com/api/channels/1/messages"
		}},
		{"not JSON", "headers", func(r *hookbridge.OutboundRequest) { r.SetHeader("Content-Type", "text/plain") }},
		{"not an object", "body", func(r *hookbridge.OutboundRequest) { r.Body = []byte(`["hi"]`) }},
		{"http", "url", func(r *hookbridge.OutboundRequest) { r.URL = strings.Replace(r.URL, "https:", "http:", 1) }},
	} {
		req := request(t, validMessage())
		c.edit(req)
		ps := hookbridge.Blocking(integ.Validate(req, time.Now()))
		if len(ps) != 1 || ps[0].Field != c.field || ps[0].Fix == "" {
			t.Errorf("%s: problems %+v, want one on %s with a fix", c.name, ps, c.field)
		}
	}
}

func TestARequestElsewhereIsOnlyWarnedOf(t *testing.T) {
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://example.com/hook", Body: []byte(`{}`)}
	ps := discord.New().Validate(req, time.Now())
	if len(ps) != 1 || !ps[0].Warning {
		t.Errorf("problems %+v, want one warning", ps)
	}
}

// TestAMistypedMemberEndsTheChecks: a member the rules read that is not
// of Discord's type is the one problem, named with its place.
func TestAMistypedMemberEndsTheChecks(t *testing.T) {
	for _, c := range []struct {
		edit func(m map[string]any)
		want string
	}{
		{func(m map[string]any) { m["content"] = 42 }, "content is a number, not a string"},
		{func(m map[string]any) { m["embeds"] = map[string]any{} }, "embeds is an object, not an array"},
		{func(m map[string]any) { m["embeds"] = []any{"embed"} }, "embeds[0] is a string, not an object"},
		{func(m map[string]any) { firstEmbed(m)["footer"] = "pay_1" }, "embeds[0].footer is a string, not an object"},
		{func(m map[string]any) { firstEmbed(m)["title"] = 7 }, "embeds[0].title is a number, not a string"},
		{func(m map[string]any) { firstEmbed(m)["fields"] = []any{"Amount"} }, "embeds[0].fields[0] is a string, not an object"},
	} {
		m := validMessage()
		c.edit(m)
		ps := discord.New().Validate(request(t, m), time.Now())
		if want := "the body is not a Discord message: " + c.want; len(ps) != 1 || ps[0].Field != "body" || ps[0].Message != want {
			t.Errorf("problems %+v, want one on body: %s", ps, want)
		}
	}
}

// TestAColourIsShownAsWritten: the problem with a colour quotes it as
// JSON.
func TestAColourIsShownAsWritten(t *testing.T) {
	m := validMessage()
	firstEmbed(m)["color"] = "#2ecc71 & <b>"
	ps := discord.New().Validate(request(t, m), time.Now())
	if want := `color is "#2ecc71 & <b>": Discord takes an integer from 0 to 16777215 (0xFFFFFF)`; len(ps) != 1 || ps[0].Message != want {
		t.Errorf("problems %+v, want one: %s", ps, want)
	}
}
