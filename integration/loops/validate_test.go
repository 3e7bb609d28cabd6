package loops_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/loops"
)

const (
	eventsURL  = "https://app.loops.so/api/v1/events/send"
	contactURL = "https://app.loops.so/api/v1/contacts/update"
)

func problemsOf(t *testing.T, method, url string, body any, headers map[string]string) []hookbridge.Problem {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return loops.New().Validate(&hookbridge.OutboundRequest{Method: method, URL: url, Body: b, Headers: headers}, time.Now())
}

func validTransactional() map[string]any {
	return map[string]any{"transactionalId": "clx1234abc", "email": "jane.doe@example.com",
		"dataVariables": map[string]any{"amount": "USD 32.65", "count": 2.0, "items": []any{map[string]any{"name": "Pro"}}}}
}

func validEvent() map[string]any {
	return map[string]any{"email": "jane.doe@example.com", "eventName": "subscriptionActive",
		"eventProperties": map[string]any{"price": "USD 29.99", "quantity": 1.0, "trial": false}}
}

func validContact() map[string]any {
	return map[string]any{"email": "jane.doe@example.com", "plan": "pro", "seats": 3.0, "churned": nil,
		"mailingLists": map[string]any{"cm123": true}}
}

func TestValidRequestsHaveNoProblem(t *testing.T) {
	for name, c := range map[string]struct {
		method, url string
		body        any
	}{
		"transactional": {"POST", loops.DefaultURL, validTransactional()},
		"event":         {"POST", eventsURL, validEvent()},
		"contact":       {"PUT", contactURL, validContact()},
	} {
		if ps := problemsOf(t, c.method, c.url, c.body, nil); len(ps) != 0 {
			t.Errorf("%s: %+v", name, ps)
		}
	}
}

func TestRules(t *testing.T) {
	cases := []struct {
		name        string
		method, url string
		base        func() map[string]any
		mutate      func(map[string]any)
		field       string
		warning     bool
	}{
		{"transactionalId missing", "POST", loops.DefaultURL, validTransactional, func(b map[string]any) { delete(b, "transactionalId") }, "transactionalId", false},
		{"transactionalId placeholder", "POST", loops.DefaultURL, validTransactional, func(b map[string]any) { b["transactionalId"] = "REPLACE_WITH_RECEIPT_TRANSACTIONAL_ID" }, "transactionalId", true},
		{"email missing", "POST", loops.DefaultURL, validTransactional, func(b map[string]any) { delete(b, "email") }, "email", false},
		{"email with a name", "POST", loops.DefaultURL, validTransactional, func(b map[string]any) { b["email"] = "Jane <jane@example.com>" }, "email", false},
		{"addToAudience a string", "POST", loops.DefaultURL, validTransactional, func(b map[string]any) { b["addToAudience"] = "no" }, "addToAudience", false},
		{"dataVariables an array", "POST", loops.DefaultURL, validTransactional, func(b map[string]any) { b["dataVariables"] = []any{} }, "dataVariables", false},
		{"data variable null", "POST", loops.DefaultURL, validTransactional, func(b map[string]any) {
			b["dataVariables"] = map[string]any{"invoiceUrl": nil}
		}, "dataVariables.invoiceUrl", false},
		{"data variable an object", "POST", loops.DefaultURL, validTransactional, func(b map[string]any) {
			b["dataVariables"] = map[string]any{"customer": map[string]any{}}
		}, "dataVariables.customer", false},
		{"data variable array of strings", "POST", loops.DefaultURL, validTransactional, func(b map[string]any) {
			b["dataVariables"] = map[string]any{"items": []any{"a"}}
		}, "dataVariables.items", false},
		{"eventName missing", "POST", eventsURL, validEvent, func(b map[string]any) { delete(b, "eventName") }, "eventName", false},
		{"eventName with a colon", "POST", eventsURL, validEvent, func(b map[string]any) { b["eventName"] = "subscription:active" }, "eventName", false},
		{"event without email or userId", "POST", eventsURL, validEvent, func(b map[string]any) { delete(b, "email") }, "email", false},
		{"event email malformed", "POST", eventsURL, validEvent, func(b map[string]any) { b["email"] = "jane" }, "email", false},
		{"event property an object", "POST", eventsURL, validEvent, func(b map[string]any) {
			b["eventProperties"] = map[string]any{"plan": map[string]any{}}
		}, "eventProperties.plan", false},
		{"event property null", "POST", eventsURL, validEvent, func(b map[string]any) {
			b["eventProperties"] = map[string]any{"plan": nil}
		}, "eventProperties.plan", false},
		{"eventProperties a string", "POST", eventsURL, validEvent, func(b map[string]any) { b["eventProperties"] = "x" }, "eventProperties", false},
		{"mailing list not a boolean", "POST", eventsURL, validEvent, func(b map[string]any) {
			b["mailingLists"] = map[string]any{"cm1": "yes"}
		}, "mailingLists.cm1", false},
		{"contact without email or userId", "PUT", contactURL, validContact, func(b map[string]any) { delete(b, "email") }, "email", false},
		{"contact property an array", "PUT", contactURL, validContact, func(b map[string]any) { b["tags"] = []any{"a"} }, "tags", false},
		{"contact re-subscribed", "PUT", contactURL, validContact, func(b map[string]any) { b["subscribed"] = true }, "subscribed", true},
		{"event re-subscribes", "POST", eventsURL, validEvent, func(b map[string]any) { b["subscribed"] = true }, "subscribed", true},
		{"contact on POST", "POST", contactURL, validContact, func(map[string]any) {}, "method", false},
		{"transactional on PUT", "PUT", loops.DefaultURL, validTransactional, func(map[string]any) {}, "method", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := c.base()
			c.mutate(body)
			ps := problemsOf(t, c.method, c.url, body, nil)
			if len(ps) != 1 || ps[0].Field != c.field || ps[0].Warning != c.warning || ps[0].Fix == "" {
				t.Fatalf("problems = %+v; want one on %s (warning %v) with a fix", ps, c.field, c.warning)
			}
		})
	}
}

func TestUserIDAloneIdentifies(t *testing.T) {
	ev := validEvent()
	delete(ev, "email")
	ev["userId"] = "cus_8Fh3"
	if ps := problemsOf(t, "POST", eventsURL, ev, nil); len(ps) != 0 {
		t.Fatalf("problems: %+v", ps)
	}
}

func TestRequestRules(t *testing.T) {
	if ps := problemsOf(t, "POST", loops.DefaultURL, validTransactional(), map[string]string{"Idempotency-Key": strings.Repeat("k", 101)}); len(ps) != 1 || ps[0].Field != "headers" {
		t.Errorf("long key: %+v", ps)
	}
	if ps := problemsOf(t, "POST", loops.DefaultURL, []any{}, nil); len(ps) != 1 || ps[0].Field != "body" {
		t.Errorf("body: %+v", ps)
	}
	if ps := problemsOf(t, "GET", "https://app.loops.so/api/v1/lists", nil, nil); len(ps) != 1 || !ps[0].Warning {
		t.Errorf("other path: %+v", ps)
	}
}
