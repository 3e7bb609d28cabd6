package slack_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/slack"
	"github.com/hookbridge/hookbridge/integration/slack/slacktest"
)

// section is a valid section block with text.
func section(text string) map[string]any {
	return map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": text}}
}

// validMessage is a message every rule accepts.
func validMessage() map[string]any {
	return map[string]any{
		"text": "Payment received: 32.65 USD",
		"blocks": []any{
			map[string]any{"type": "header", "text": map[string]any{"type": "plain_text", "text": "Payment received"}},
			section("*Amount*\n32.65 USD"),
			map[string]any{"type": "divider"},
			map[string]any{"type": "context", "elements": []any{map[string]any{"type": "mrkdwn", "text": "now"}}},
		},
	}
}

func request(t *testing.T, body any) *hookbridge.OutboundRequest {
	t.Helper()
	raw, ok := body.(string)
	if !ok {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		raw = string(b)
	}
	return &hookbridge.OutboundRequest{Method: "POST", URL: slacktest.WebhookURL(),
		Headers: map[string]string{"Content-Type": "application/json"}, Body: []byte(raw)}
}

func blocksOf(msg map[string]any) []any { return msg["blocks"].([]any) }

// TestValidatorRules checks each rule alone: the valid message changed in
// one way gives exactly the problem of that rule.
func TestValidatorRules(t *testing.T) {
	tests := []struct {
		name    string
		change  func(m map[string]any) any // returns the body
		field   string
		warning bool
	}{
		{"not JSON", func(m map[string]any) any { return "text=hello" }, "body", false},
		{"not an object", func(m map[string]any) any { return []any{"hello"} }, "body", false},
		{"no text, no blocks", func(m map[string]any) any { return map[string]any{"text": " "} }, "text", false},
		{"text not a string", func(m map[string]any) any { m["text"] = 42; return m }, "text", false},
		{"blocks without text", func(m map[string]any) any { delete(m, "text"); return m }, "text", true},
		{"text over 40,000 characters", func(m map[string]any) any { m["text"] = strings.Repeat("é", 40001); return m }, "text", true},
		{"blocks not an array", func(m map[string]any) any { m["blocks"] = map[string]any{"type": "divider"}; return m }, "blocks", false},
		{"more than 50 blocks", func(m map[string]any) any {
			var bs []any
			for range 51 {
				bs = append(bs, map[string]any{"type": "divider"})
			}
			m["blocks"] = bs
			return m
		}, "blocks", false},
		{"a block not an object", func(m map[string]any) any { m["blocks"] = append(blocksOf(m), "divider"); return m }, "blocks[4]", false},
		{"a block without type", func(m map[string]any) any { blocksOf(m)[2] = map[string]any{}; return m }, "blocks[2].type", false},
		{"an unknown block type", func(m map[string]any) any { blocksOf(m)[2] = map[string]any{"type": "file"}; return m }, "blocks[2].type", false},
		{"block_id too long", func(m map[string]any) any {
			blocksOf(m)[2].(map[string]any)["block_id"] = strings.Repeat("b", 256)
			return m
		}, "blocks[2].block_id", false},
		{"block_id twice", func(m map[string]any) any {
			blocksOf(m)[1].(map[string]any)["block_id"] = "x"
			blocksOf(m)[2].(map[string]any)["block_id"] = "x"
			return m
		}, "blocks[2].block_id", false},
		{"section without text or fields", func(m map[string]any) any { blocksOf(m)[1] = map[string]any{"type": "section"}; return m }, "blocks[1]", false},
		{"section text over 3,000 characters", func(m map[string]any) any { blocksOf(m)[1] = section(strings.Repeat("€", 3001)); return m }, "blocks[1].text.text", false},
		{"section text empty", func(m map[string]any) any { blocksOf(m)[1] = section(""); return m }, "blocks[1].text.text", false},
		{"section text of an unknown type", func(m map[string]any) any {
			blocksOf(m)[1] = map[string]any{"type": "section", "text": map[string]any{"type": "markdown", "text": "x"}}
			return m
		}, "blocks[1].text.type", false},
		{"section text a string", func(m map[string]any) any { blocksOf(m)[1] = map[string]any{"type": "section", "text": "x"}; return m }, "blocks[1].text", false},
		{"more than 10 fields", func(m map[string]any) any {
			var fs []any
			for range 11 {
				fs = append(fs, map[string]any{"type": "mrkdwn", "text": "f"})
			}
			blocksOf(m)[1] = map[string]any{"type": "section", "fields": fs}
			return m
		}, "blocks[1].fields", false},
		{"empty fields", func(m map[string]any) any {
			blocksOf(m)[1] = map[string]any{"type": "section", "fields": []any{}}
			return m
		}, "blocks[1].fields", false},
		{"a field over 2,000 characters", func(m map[string]any) any {
			blocksOf(m)[1] = map[string]any{"type": "section", "fields": []any{map[string]any{"type": "mrkdwn", "text": strings.Repeat("x", 2001)}}}
			return m
		}, "blocks[1].fields[0].text", false},
		{"header over 150 characters", func(m map[string]any) any {
			blocksOf(m)[0] = map[string]any{"type": "header", "text": map[string]any{"type": "plain_text", "text": strings.Repeat("h", 151)}}
			return m
		}, "blocks[0].text.text", false},
		{"header in mrkdwn", func(m map[string]any) any {
			blocksOf(m)[0] = map[string]any{"type": "header", "text": map[string]any{"type": "mrkdwn", "text": "*h*"}}
			return m
		}, "blocks[0].text.type", false},
		{"header without text", func(m map[string]any) any { blocksOf(m)[0] = map[string]any{"type": "header"}; return m }, "blocks[0].text", false},
		{"context without elements", func(m map[string]any) any { blocksOf(m)[3] = map[string]any{"type": "context"}; return m }, "blocks[3].elements", false},
		{"context with 11 elements", func(m map[string]any) any {
			var es []any
			for range 11 {
				es = append(es, map[string]any{"type": "mrkdwn", "text": "e"})
			}
			blocksOf(m)[3] = map[string]any{"type": "context", "elements": es}
			return m
		}, "blocks[3].elements", false},
		{"actions with 26 elements", func(m map[string]any) any {
			var es []any
			for range 26 {
				es = append(es, map[string]any{"type": "button"})
			}
			blocksOf(m)[3] = map[string]any{"type": "actions", "elements": es}
			return m
		}, "blocks[3].elements", false},
		{"image without URL", func(m map[string]any) any {
			blocksOf(m)[2] = map[string]any{"type": "image", "alt_text": "logo"}
			return m
		}, "blocks[2].image_url", false},
		{"image without alt text", func(m map[string]any) any {
			blocksOf(m)[2] = map[string]any{"type": "image", "image_url": "https://example.com/a.png"}
			return m
		}, "blocks[2].alt_text", false},
		{"markdown over 12,000 characters", func(m map[string]any) any {
			blocksOf(m)[2] = map[string]any{"type": "markdown", "text": strings.Repeat("m", 12001)}
			return m
		}, "blocks[2].text", false},
		{"channel override", func(m map[string]any) any { m["channel"] = "#general"; return m }, "channel", true},
		{"username override", func(m map[string]any) any { m["username"] = "bot"; return m }, "username", true},
		{"icon_emoji override", func(m map[string]any) any { m["icon_emoji"] = ":moneybag:"; return m }, "icon_emoji", true},
		{"icon_url override", func(m map[string]any) any { m["icon_url"] = "https://example.com/i.png"; return m }, "icon_url", true},
	}
	if ps := slack.Validate(request(t, validMessage()), time.Now()); len(ps) > 0 {
		t.Fatalf("the valid message has problems: %+v", ps)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := slack.Validate(request(t, tt.change(validMessage())), time.Now())
			if len(ps) != 1 {
				t.Fatalf("want one problem on %s, got %+v", tt.field, ps)
			}
			p := ps[0]
			if p.Field != tt.field || p.Warning != tt.warning || p.Message == "" || p.Fix == "" {
				t.Errorf("got %+v; want field %s, warning %v, with a message and a fix", p, tt.field, tt.warning)
			}
		})
	}
}

func TestValidatorMethod(t *testing.T) {
	req := request(t, validMessage())
	req.Method = "PUT"
	ps := slack.Validate(req, time.Now())
	if len(ps) != 1 || ps[0].Field != "method" || ps[0].Warning {
		t.Errorf("a PUT: %+v", ps)
	}
}

// TestValidatorAgreesWithTheFake sends what the validator blocks to the
// fake, which must refuse it too, and what it lets through, which the
// fake must take.
func TestValidatorAgreesWithTheFake(t *testing.T) {
	fake := slacktest.New(t)
	client := fake.Client()
	bodies := []any{
		validMessage(),
		map[string]any{"text": ""},
		map[string]any{"text": "x", "blocks": []any{map[string]any{"type": "header", "text": map[string]any{"type": "plain_text", "text": strings.Repeat("h", 151)}}}},
		map[string]any{"text": "x", "blocks": []any{section(strings.Repeat("s", 3001))}},
		map[string]any{"text": "x", "blocks": []any{map[string]any{"type": "tabel"}}},
		"{not json",
	}
	for i, body := range bodies {
		req := request(t, body)
		blocked := len(hookbridge.Blocking(slack.Validate(req, time.Now()))) > 0
		resp, err := client.Post(req.URL, "application/json", strings.NewReader(string(req.Body)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if refused := resp.StatusCode != 200; refused != blocked {
			t.Errorf("body %d: the validator blocks it: %v; the fake answered %d", i, blocked, resp.StatusCode)
		}
	}
}
