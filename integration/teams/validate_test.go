package teams_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/teams"
	"github.com/hookbridge/hookbridge/integration/teams/teamstest"
)

// validMessage is a message Teams posts; each rule's case breaks it in
// one place.
func validMessage() map[string]any {
	return map[string]any{
		"type": "message",
		"attachments": []any{map[string]any{
			"contentType": "application/vnd.microsoft.card.adaptive",
			"content": map[string]any{
				"type":    "AdaptiveCard",
				"version": "1.5",
				"body": []any{
					map[string]any{"type": "TextBlock", "text": "Payment received"},
					map[string]any{"type": "FactSet", "facts": []any{map[string]any{"title": "Amount", "value": "32.65 USD"}}},
				},
			},
		}},
	}
}

func attachment0(m map[string]any) map[string]any {
	return m["attachments"].([]any)[0].(map[string]any)
}

func card0(m map[string]any) map[string]any { return attachment0(m)["content"].(map[string]any) }

// messageRules are the rules on the message, each broken by one change.
var messageRules = []struct {
	name, field string
	edit        func(m map[string]any)
}{
	{"type not message", "type", func(m map[string]any) { m["type"] = "AdaptiveCard" }},
	{"no attachments", "attachments", func(m map[string]any) { m["attachments"] = []any{} }},
	{"not an Adaptive Card attachment", "attachments[0].contentType", func(m map[string]any) {
		attachment0(m)["contentType"] = "application/vnd.microsoft.teams.card.o365connector"
	}},
	{"content not an AdaptiveCard", "attachments[0].content", func(m map[string]any) { card0(m)["type"] = "MessageCard" }},
	{"card without a version", "attachments[0].content.version", func(m map[string]any) { delete(card0(m), "version") }},
	{"card version over 1.5", "attachments[0].content.version", func(m map[string]any) { card0(m)["version"] = "1.6" }},
	{"untyped body element", "attachments[0].content.body[1]", func(m map[string]any) {
		card0(m)["body"].([]any)[1] = map[string]any{"text": "no type"}
	}},
	{"over 28 KB", "body", func(m map[string]any) {
		card0(m)["body"] = append(card0(m)["body"].([]any), map[string]any{"type": "TextBlock", "text": strings.Repeat("x", 28<<10)})
	}},
}

func request(t *testing.T, url string, body any) *hookbridge.OutboundRequest {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req := &hookbridge.OutboundRequest{Method: "POST", URL: url, Body: b}
	if err := teams.New().Prepare(req, hookbridge.Credentials{teams.FieldWebhookURL: url}, hookbridge.SendContext{}); err != nil {
		t.Fatal(err)
	}
	return req
}

func workflowRequest(t *testing.T, body any) *hookbridge.OutboundRequest {
	return request(t, teamstest.WorkflowURL(teamstest.PowerPlatformHost), body)
}

func TestAValidMessageHasNoProblems(t *testing.T) {
	if ps := teams.New().Validate(workflowRequest(t, validMessage()), time.Now()); len(ps) > 0 {
		t.Errorf("problems with a valid message: %+v", ps)
	}
}

func TestEachMessageRule(t *testing.T) {
	integ := teams.New()
	for _, rule := range messageRules {
		t.Run(rule.name, func(t *testing.T) {
			m := validMessage()
			rule.edit(m)
			ps := hookbridge.Blocking(integ.Validate(workflowRequest(t, m), time.Now()))
			if len(ps) != 1 || ps[0].Field != rule.field || ps[0].Fix == "" {
				t.Errorf("problems %+v, want one on %s with a fix", ps, rule.field)
			}
		})
	}
}

// TestTheFakeFailsWhatTheValidatorBlocks checks the validator and the
// fake, written apart, against each other: a Workflows trigger accepts
// what the validator blocks and then fails the flow's run; a legacy
// connector answers 200 with the error in its body.
func TestTheFakeFailsWhatTheValidatorBlocks(t *testing.T) {
	fake := teamstest.New(t)
	sender := &delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}
	for i, rule := range messageRules {
		m := validMessage()
		rule.edit(m)
		resp := sender.Send(context.Background(), workflowRequest(t, m))
		if resp.Status != 202 || len(fake.FailedRuns()) != i+1 {
			t.Errorf("%s: the workflow answered %d and failed %d runs, want 202 and a failed run", rule.name, resp.Status, len(fake.FailedRuns()))
		}
		resp = sender.Send(context.Background(), request(t, teamstest.ConnectorURL(), m))
		if resp.Status != 200 || !strings.HasPrefix(resp.Body, "Webhook message delivery failed") {
			t.Errorf("%s: the connector answered %d %q, want 200 with the failure", rule.name, resp.Status, resp.Body)
		}
	}
	if resp := sender.Send(context.Background(), workflowRequest(t, validMessage())); resp.Status != 202 || len(fake.Posts()) != 1 {
		t.Errorf("a valid message: %d, %d posts", resp.Status, len(fake.Posts()))
	}
}

func TestEachRequestRule(t *testing.T) {
	integ := teams.New()
	for _, c := range []struct {
		name, field string
		edit        func(r *hookbridge.OutboundRequest)
	}{
		{"not POST", "method", func(r *hookbridge.OutboundRequest) { r.Method = "PUT" }},
		{"not JSON", "headers", func(r *hookbridge.OutboundRequest) { r.SetHeader("Content-Type", "text/plain") }},
		{"not an object", "body", func(r *hookbridge.OutboundRequest) { r.Body = []byte(`"hello"`) }},
	} {
		req := workflowRequest(t, validMessage())
		c.edit(req)
		ps := hookbridge.Blocking(integ.Validate(req, time.Now()))
		if len(ps) != 1 || ps[0].Field != c.field || ps[0].Fix == "" {
			t.Errorf("%s: problems %+v, want one on %s with a fix", c.name, ps, c.field)
		}
	}
}

func TestRetiredAndMovedWebhooksAreWarnedOf(t *testing.T) {
	integ := teams.New()
	for _, url := range []string{teamstest.ConnectorURL(), teamstest.WorkflowURL(teamstest.LogicAppsHost)} {
		ps := integ.Validate(request(t, url, validMessage()), time.Now())
		if len(ps) != 1 || !ps[0].Warning || ps[0].Field != "url" || ps[0].Fix == "" {
			t.Errorf("%s: problems %+v, want one warning on url with a fix", url, ps)
		}
	}
}

func TestACardWithoutABodyIsWarnedOf(t *testing.T) {
	m := validMessage()
	delete(card0(m), "body")
	ps := teams.New().Validate(workflowRequest(t, m), time.Now())
	if len(ps) != 1 || !ps[0].Warning {
		t.Errorf("problems %+v, want one warning", ps)
	}
}

// TestAMistypedMemberEndsTheChecks: a member the rules read that is not
// of the type Teams takes is the one problem, named with its place.
func TestAMistypedMemberEndsTheChecks(t *testing.T) {
	for _, c := range []struct {
		edit func(m map[string]any)
		want string
	}{
		{func(m map[string]any) { m["type"] = 1 }, "type is a number, not a string"},
		{func(m map[string]any) { m["attachments"] = attachment0(m) }, "attachments is an object, not an array"},
		{func(m map[string]any) { m["attachments"] = []any{"card"} }, "attachments[0] is a string, not an object"},
		{func(m map[string]any) { attachment0(m)["contentType"] = []any{} }, "attachments[0].contentType is an array, not a string"},
	} {
		m := validMessage()
		c.edit(m)
		ps := teams.New().Validate(workflowRequest(t, m), time.Now())
		if want := "the body is not a Teams message: " + c.want; len(ps) != 1 || ps[0].Field != "body" || ps[0].Message != want {
			t.Errorf("problems %+v, want one on body: %s", ps, want)
		}
	}
}
