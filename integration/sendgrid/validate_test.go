package sendgrid_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/sendgrid"
)

func validMail() map[string]any {
	return map[string]any{
		"personalizations": []any{map[string]any{"to": []any{map[string]any{"email": "jane.doe@example.com", "name": "Jane"}}}},
		"from":             map[string]any{"email": "billing@acme.dev", "name": "Billing"},
		"subject":          "Your receipt",
		"content": []any{
			map[string]any{"type": "text/plain", "value": "Thanks"},
			map[string]any{"type": "text/html", "value": "<p>Thanks</p>"},
		},
		"categories": []any{"payment_succeeded"},
	}
}

func problemsOf(t *testing.T, method, url string, body any) []hookbridge.Problem {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return sendgrid.New().Validate(&hookbridge.OutboundRequest{Method: method, URL: url, Body: b}, time.Now())
}

func to(emails ...string) []any {
	out := make([]any, len(emails))
	for i, e := range emails {
		out[i] = map[string]any{"email": e}
	}
	return out
}

func TestValidMailHasNoProblem(t *testing.T) {
	if ps := problemsOf(t, "POST", sendgrid.DefaultURL, validMail()); len(ps) != 0 {
		t.Fatalf("problems: %+v", ps)
	}
	withTemplate := validMail()
	delete(withTemplate, "subject")
	delete(withTemplate, "content")
	withTemplate["template_id"] = "d-0123456789abcdef0123456789abcdef"
	if ps := problemsOf(t, "POST", sendgrid.DefaultURL, withTemplate); len(ps) != 0 {
		t.Fatalf("dynamic template: %+v", ps)
	}
}

func TestMailRules(t *testing.T) {
	many := make([]any, 1001)
	for i := range many {
		many[i] = map[string]any{"to": to("r@example.org")}
	}
	recipients := make([]string, 1001)
	for i := range recipients {
		recipients[i] = string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676)) + "@example.org"
	}
	pers := func(p map[string]any) func(map[string]any) {
		return func(m map[string]any) { m["personalizations"] = []any{p} }
	}
	cases := []struct {
		name    string
		mutate  func(map[string]any)
		field   string
		warning bool
	}{
		{"personalizations missing", func(m map[string]any) { delete(m, "personalizations") }, "personalizations", false},
		{"personalizations empty", func(m map[string]any) { m["personalizations"] = []any{} }, "personalizations", false},
		{"over 1000 personalizations", func(m map[string]any) { m["personalizations"] = many }, "personalizations", false},
		{"over 1000 recipients", pers(map[string]any{"to": to(recipients...)}), "personalizations", false},
		{"personalization not an object", func(m map[string]any) { m["personalizations"] = []any{"x"} }, "personalizations[0]", false},
		{"to missing", pers(map[string]any{"subject": "s"}), "personalizations[0].to", false},
		{"to a string", pers(map[string]any{"to": "jane@example.org"}), "personalizations[0].to", false},
		{"to empty", pers(map[string]any{"to": []any{}}), "personalizations[0].to", false},
		{"to not an address", pers(map[string]any{"to": to("jane")}), "personalizations[0].to[0].email", false},
		{"to Name <address>", pers(map[string]any{"to": to("Jane <jane@example.org>")}), "personalizations[0].to[0].email", false},
		{"address repeated in cc", pers(map[string]any{"to": to("jane@example.org"), "cc": to("Jane@example.org")}), "personalizations[0].cc[0].email", false},
		{"from missing", func(m map[string]any) { delete(m, "from") }, "from", false},
		{"from a string", func(m map[string]any) { m["from"] = "billing@acme.dev" }, "from", false},
		{"from not an address", func(m map[string]any) { m["from"] = map[string]any{"email": "Billing <b@acme.dev>"} }, "from.email", false},
		{"from still the example", func(m map[string]any) { m["from"] = map[string]any{"email": "billing@example.com"} }, "from.email", true},
		{"reply_to not an address", func(m map[string]any) { m["reply_to"] = map[string]any{"email": "x"} }, "reply_to.email", false},
		{"subject missing", func(m map[string]any) { delete(m, "subject") }, "subject", false},
		{"content missing", func(m map[string]any) { delete(m, "content") }, "content", false},
		{"content without type", func(m map[string]any) { m["content"] = []any{map[string]any{"value": "x"}} }, "content[0].type", false},
		{"content empty value", func(m map[string]any) { m["content"] = []any{map[string]any{"type": "text/html", "value": ""}} }, "content[0].value", false},
		{"text/plain not first", func(m map[string]any) {
			m["content"] = []any{map[string]any{"type": "text/html", "value": "h"}, map[string]any{"type": "text/plain", "value": "t"}}
		}, "content[1]", false},
		{"template_id malformed", func(m map[string]any) { m["template_id"] = "welcome" }, "template_id", false},
		{"template_id legacy", func(m map[string]any) { m["template_id"] = "0123abcd-0123-4567-89ab-0123456789ab" }, "template_id", true},
		{"template_id placeholder", func(m map[string]any) { m["template_id"] = "d-00000000000000000000000000000000" }, "template_id", true},
		{"dynamic_template_data at the top", func(m map[string]any) { m["dynamic_template_data"] = map[string]any{} }, "dynamic_template_data", false},
		{"categories not an array", func(m map[string]any) { m["categories"] = "x" }, "categories", false},
		{"over 10 categories", func(m map[string]any) {
			m["categories"] = []any{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}
		}, "categories", false},
		{"category not a string", func(m map[string]any) { m["categories"] = []any{1} }, "categories[0]", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mail := validMail()
			c.mutate(mail)
			ps := problemsOf(t, "POST", sendgrid.DefaultURL, mail)
			if len(ps) != 1 || ps[0].Field != c.field || ps[0].Warning != c.warning || ps[0].Fix == "" {
				t.Fatalf("problems = %+v; want one on %s (warning %v) with a fix", ps, c.field, c.warning)
			}
		})
	}
}

func TestSubjectInEveryPersonalizationIsEnough(t *testing.T) {
	mail := validMail()
	delete(mail, "subject")
	mail["personalizations"] = []any{map[string]any{"to": to("a@example.org"), "subject": "Hi"}}
	if ps := problemsOf(t, "POST", sendgrid.DefaultURL, mail); len(ps) != 0 {
		t.Fatalf("problems: %+v", ps)
	}
}

func TestRequestRules(t *testing.T) {
	if ps := problemsOf(t, "PUT", sendgrid.DefaultURL, validMail()); len(ps) != 1 || ps[0].Field != "method" {
		t.Errorf("method: %+v", ps)
	}
	if ps := problemsOf(t, "POST", sendgrid.DefaultURL, []any{}); len(ps) != 1 || ps[0].Field != "body" {
		t.Errorf("body: %+v", ps)
	}
	if ps := problemsOf(t, "POST", "https://api.sendgrid.com/v3/marketing/contacts", validMail()); len(ps) != 1 || !ps[0].Warning {
		t.Errorf("other path: %+v", ps)
	}
}

// TestANumberForAnAddressIsShownInItsShortestForm: a number where an
// address belongs is named as a number, 1e3 as 1000.
func TestANumberForAnAddressIsShownInItsShortestForm(t *testing.T) {
	body := `{"personalizations":[{"to":[{"email":1e3},{"mail":2.50}]}],"from":{"email":1.0},"subject":"s","content":[{"type":"text/plain","value":"v"}]}`
	ps := sendgrid.New().Validate(&hookbridge.OutboundRequest{Method: "POST", URL: sendgrid.DefaultURL, Body: []byte(body)}, time.Now())
	want := map[string]string{
		"personalizations[0].to[0].email": "1000 is not an email address",
		"personalizations[0].to[1].email": "map[mail:2.5] is not an email address",
		"from.email":                      "1 is not a bare email address",
	}
	if len(ps) != len(want) {
		t.Fatalf("problems %+v, want %d", ps, len(want))
	}
	for _, p := range ps {
		if want[p.Field] != p.Message {
			t.Errorf("%s: %q, want %q", p.Field, p.Message, want[p.Field])
		}
	}
}
