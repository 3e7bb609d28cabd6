package slacktest_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge/integration/slack/slacktest"
)

func post(t *testing.T, client *http.Client, rawURL, contentType, body string) (int, string) {
	t.Helper()
	resp, err := client.Post(rawURL, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestWebhookPaths(t *testing.T) {
	fake := slacktest.New(t)
	base := "https://hooks.slack.com/services/"
	tests := []struct {
		url    string
		status int
		body   string
	}{
		{slacktest.WebhookURL(), 200, "ok"},
		{base + slacktest.Team + "/" + slacktest.Service + "/wrongtoken", 403, "invalid_token"},
		{base + slacktest.Team + "/" + slacktest.Service, 403, "invalid_token"},
		{base + slacktest.Team + "/B0UNKNOWN/" + slacktest.Token, 404, "no_service"},
		{base + "T0OTHER/B0UNKNOWN/x", 404, "no_team"},
		{base + slacktest.Team, 404, "no_service_id"},
		{"https://hooks.slack.com/workflows/T1/A1/x", 404, "no_service"},
	}
	for _, tt := range tests {
		status, body := post(t, fake.Client(), tt.url, "application/json", `{"text":"hi"}`)
		if status != tt.status || body != tt.body {
			t.Errorf("%s: %d %s; want %d %s", tt.url, status, body, tt.status, tt.body)
		}
	}
	if len(fake.Messages()) != 1 {
		t.Errorf("posted %d messages, want 1", len(fake.Messages()))
	}
}

func TestMessageRules(t *testing.T) {
	fake := slacktest.New(t)
	tests := []struct {
		body string
		want string
	}{
		{`{"text":"hi"}`, "ok"},
		{`{"blocks":[{"type":"divider"}]}`, "ok"},
		{`not json`, "invalid_payload"},
		{`{"text":5}`, "invalid_payload"},
		{`{}`, "no_text"},
		{`{"text":"  "}`, "no_text"},
		{`{"text":"x","blocks":{"type":"divider"}}`, "invalid_blocks_format"},
		{`{"text":"x","blocks":[` + strings.Repeat(`{"type":"divider"},`, 50) + `{"type":"divider"}]}`, "invalid_blocks"},
		{`{"text":"x","blocks":[{"type":"tabel"}]}`, "invalid_blocks"},
		{`{"text":"x","blocks":[{"type":"header","text":{"type":"plain_text","text":"` + strings.Repeat("h", 151) + `"}}]}`, "invalid_blocks"},
		{`{"text":"x","blocks":[{"type":"header","text":{"type":"mrkdwn","text":"h"}}]}`, "invalid_blocks"},
		{`{"text":"x","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"` + strings.Repeat("s", 3001) + `"}}]}`, "invalid_blocks"},
		{`{"text":"x","blocks":[{"type":"section"}]}`, "invalid_blocks"},
		{`{"text":"x","blocks":[{"type":"divider","block_id":"a"},{"type":"divider","block_id":"a"}]}`, "invalid_blocks"},
	}
	for _, tt := range tests {
		if _, body := post(t, fake.Client(), slacktest.WebhookURL(), "application/json", tt.body); body != tt.want {
			t.Errorf("%.60s: %s, want %s", tt.body, body, tt.want)
		}
	}
}

func TestFormPayload(t *testing.T) {
	fake := slacktest.New(t)
	form := url.Values{"payload": {`{"text":"from a form"}`}}.Encode()
	if status, body := post(t, fake.Client(), slacktest.WebhookURL(), "application/x-www-form-urlencoded", form); status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	if m := fake.Messages(); len(m) != 1 || m[0].Text != "from a form" || m[0].Channel != "#payments" {
		t.Errorf("messages %+v", m)
	}
}

func TestOnlyPost(t *testing.T) {
	fake := slacktest.New(t)
	resp, err := fake.Client().Get(slacktest.WebhookURL())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET answered %d", resp.StatusCode)
	}
}

func TestRateLimitPerWebhook(t *testing.T) {
	fake := slacktest.New(t, slacktest.WithRateLimit(2))
	other := fake.AddWebhook("#ops")
	var statuses []int
	for range 3 {
		status, _ := post(t, fake.Client(), slacktest.WebhookURL(), "application/json", `{"text":"hi"}`)
		statuses = append(statuses, status)
	}
	if statuses[0] != 200 || statuses[1] != 200 || statuses[2] != 429 {
		t.Errorf("a burst of 2 then: %v", statuses)
	}
	if status, _ := post(t, fake.Client(), other, "application/json", `{"text":"hi"}`); status != 200 {
		t.Errorf("another webhook shares the limit: %d", status)
	}
}
