package resend_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/resend"
)

// validEmail is an email Resend accepts.
func validEmail() map[string]any {
	return map[string]any{
		"from":    "Billing <billing@acme.dev>",
		"to":      []any{"jane.doe@example.com"},
		"subject": "Your receipt",
		"html":    "<p>Thanks</p>",
		"tags":    []any{map[string]any{"name": "event", "value": "payment_succeeded"}},
	}
}

func problemsOf(t *testing.T, url string, body any, headers map[string]string) []hookbridge.Problem {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req := &hookbridge.OutboundRequest{Method: "POST", URL: url, Body: b, Headers: headers}
	return resend.New().Validate(req, time.Now())
}

func TestValidEmailHasNoProblem(t *testing.T) {
	if ps := problemsOf(t, resend.DefaultURL, validEmail(), nil); len(ps) != 0 {
		t.Fatalf("problems: %+v", ps)
	}
}

// Each rule, one at a time: the mutation makes the valid email break
// exactly that rule.
func TestEmailRules(t *testing.T) {
	many := make([]any, 51)
	for i := range many {
		many[i] = "r@example.com"
	}
	cases := []struct {
		name    string
		mutate  func(map[string]any)
		field   string
		warning bool
	}{
		{"from missing", func(e map[string]any) { delete(e, "from") }, "from", false},
		{"from malformed", func(e map[string]any) { e["from"] = "Billing billing@acme.dev" }, "from", false},
		{"from still the example", func(e map[string]any) { e["from"] = "Billing <billing@example.com>" }, "from", true},
		{"to missing", func(e map[string]any) { delete(e, "to") }, "to", false},
		{"to over 50", func(e map[string]any) { e["to"] = many }, "to", false},
		{"to empty", func(e map[string]any) { e["to"] = []any{} }, "to", false},
		{"to not an address", func(e map[string]any) { e["to"] = []any{"jane"} }, "to[0]", false},
		{"to a number", func(e map[string]any) { e["to"] = 42 }, "to", false},
		{"subject missing", func(e map[string]any) { delete(e, "subject") }, "subject", false},
		{"subject blank", func(e map[string]any) { e["subject"] = "  " }, "subject", false},
		{"no html nor text", func(e map[string]any) { delete(e, "html") }, "html", false},
		{"template without id", func(e map[string]any) { delete(e, "html"); e["template"] = map[string]any{} }, "template.id", false},
		{"cc not an address", func(e map[string]any) { e["cc"] = "nobody" }, "cc[0]", false},
		{"reply_to not an address", func(e map[string]any) { e["reply_to"] = []any{"x@"} }, "reply_to[0]", false},
		{"tags not an array", func(e map[string]any) { e["tags"] = "event" }, "tags", false},
		{"tag name with a dot", func(e map[string]any) {
			e["tags"] = []any{map[string]any{"name": "payment.succeeded", "value": "x"}}
		}, "tags[0].name", false},
		{"tag value with a space", func(e map[string]any) {
			e["tags"] = []any{map[string]any{"name": "event", "value": "a b"}}
		}, "tags[0].value", false},
		{"replyTo is the SDK's name", func(e map[string]any) { e["replyTo"] = "x@acme.dev" }, "replyTo", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			email := validEmail()
			c.mutate(email)
			ps := problemsOf(t, resend.DefaultURL, email, nil)
			if len(ps) != 1 || ps[0].Field != c.field || ps[0].Warning != c.warning || ps[0].Fix == "" {
				t.Fatalf("problems = %+v; want one on %s (warning %v) with a fix", ps, c.field, c.warning)
			}
		})
	}
}

func TestTextAloneIsABody(t *testing.T) {
	email := validEmail()
	delete(email, "html")
	email["text"] = "Thanks"
	if ps := problemsOf(t, resend.DefaultURL, email, nil); len(ps) != 0 {
		t.Fatalf("problems: %+v", ps)
	}
}

func TestRequestRules(t *testing.T) {
	t.Run("body not an object", func(t *testing.T) {
		ps := problemsOf(t, resend.DefaultURL, []any{1}, nil)
		if len(ps) != 1 || ps[0].Field != "body" {
			t.Fatalf("problems = %+v", ps)
		}
	})
	t.Run("idempotency key over 256", func(t *testing.T) {
		ps := problemsOf(t, resend.DefaultURL, validEmail(), map[string]string{"Idempotency-Key": strings.Repeat("k", 257)})
		if len(ps) != 1 || ps[0].Field != "headers" {
			t.Fatalf("problems = %+v", ps)
		}
	})
	t.Run("method", func(t *testing.T) {
		b, _ := json.Marshal(validEmail())
		ps := resend.New().Validate(&hookbridge.OutboundRequest{Method: "PUT", URL: resend.DefaultURL, Body: b}, time.Now())
		if len(ps) != 1 || ps[0].Field != "method" {
			t.Fatalf("problems = %+v", ps)
		}
	})
	t.Run("unknown path warns", func(t *testing.T) {
		ps := problemsOf(t, "https://api.resend.com/domains", validEmail(), nil)
		if len(ps) != 1 || !ps[0].Warning {
			t.Fatalf("problems = %+v", ps)
		}
	})
}

func TestBatchRules(t *testing.T) {
	batchURL := "https://api.resend.com/emails/batch"
	if ps := problemsOf(t, batchURL, []any{validEmail(), validEmail()}, nil); len(ps) != 0 {
		t.Fatalf("valid batch: %+v", ps)
	}
	over := make([]any, 101)
	for i := range over {
		over[i] = validEmail()
	}
	withAttachment := validEmail()
	withAttachment["attachments"] = []any{}
	scheduled := validEmail()
	scheduled["scheduled_at"] = "in 1 hour"
	broken := validEmail()
	delete(broken, "subject")
	cases := []struct {
		name  string
		body  any
		field string
	}{
		{"not an array", validEmail(), "body"},
		{"empty", []any{}, "body"},
		{"over 100", over, "body"},
		{"item not an object", []any{"x"}, "[0]"},
		{"attachments", []any{validEmail(), withAttachment}, "[1].attachments"},
		{"scheduled_at", []any{scheduled}, "[0].scheduled_at"},
		{"item rule", []any{validEmail(), broken}, "[1].subject"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps := problemsOf(t, batchURL, c.body, nil)
			if len(ps) != 1 || ps[0].Field != c.field || ps[0].Warning {
				t.Fatalf("problems = %+v; want one on %s", ps, c.field)
			}
		})
	}
}

// TestANumberForAnAddressIsShownInItsShortestForm: a number where an
// address belongs is named as a number, 1e3 as 1000.
func TestANumberForAnAddressIsShownInItsShortestForm(t *testing.T) {
	body := `{"from":"billing@acme.dev","to":[1e3,2.50],"subject":"s","html":"<p>x</p>"}`
	ps := resend.New().Validate(&hookbridge.OutboundRequest{Method: "POST", URL: resend.DefaultURL, Body: []byte(body)}, time.Now())
	want := map[string]string{"to[0]": "1000 is not an email address", "to[1]": "2.5 is not an email address"}
	if len(ps) != len(want) {
		t.Fatalf("problems %+v, want %d", ps, len(want))
	}
	for _, p := range ps {
		if want[p.Field] != p.Message {
			t.Errorf("%s: %q, want %q", p.Field, p.Message, want[p.Field])
		}
	}
}
