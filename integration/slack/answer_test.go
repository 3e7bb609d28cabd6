package slack_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/slack"
	"github.com/hookbridge/hookbridge/integration/slack/slacktest"
)

func TestReadAnswer(t *testing.T) {
	tests := []struct {
		status  int
		body    string
		verdict hookbridge.AnswerVerdict
		reason  string // a prefix; "" for none
	}{
		{200, "ok", hookbridge.AnswerByStatus, ""},
		{400, "invalid_payload", hookbridge.AnswerFailed, "invalid_payload: "},
		{400, "no_text\n", hookbridge.AnswerFailed, "no_text: "},
		{400, "invalid_blocks", hookbridge.AnswerFailed, "invalid_blocks: "},
		{400, "user_not_found", hookbridge.AnswerFailed, "user_not_found: "},
		{403, "action_prohibited", hookbridge.AnswerFailed, "action_prohibited: "},
		{403, "invalid_token", hookbridge.AnswerFailed, "invalid_token: "},
		{403, "posting_to_general_channel_denied", hookbridge.AnswerFailed, "posting_to_general_channel_denied: "},
		{404, "channel_not_found", hookbridge.AnswerFailed, "channel_not_found: "},
		{404, "no_service", hookbridge.AnswerFailed, "no_service: "},
		{410, "channel_is_archived", hookbridge.AnswerFailed, "channel_is_archived: "},
		{500, "rollup_error", hookbridge.AnswerByStatus, "rollup_error: "},
		{429, `{"ok":false,"error":"rate_limited"}`, hookbridge.AnswerByStatus, ""},
		{400, "something_new", hookbridge.AnswerByStatus, ""},
		{502, "<html>Bad gateway</html>", hookbridge.AnswerByStatus, ""},
	}
	req := &hookbridge.OutboundRequest{Method: "POST", URL: slacktest.WebhookURL()}
	for _, tt := range tests {
		got := slack.ReadAnswer(req, hookbridge.Answer{Status: tt.status, Body: []byte(tt.body)})
		if got.Verdict != tt.verdict || !strings.HasPrefix(got.Reason, tt.reason) || (tt.reason == "") != (got.Reason == "") {
			t.Errorf("%d %s: got %+v", tt.status, tt.body, got)
		}
		if got.Verdict == hookbridge.AnswerFailed && got.Fix == "" {
			t.Errorf("%d %s: no fix", tt.status, tt.body)
		}
	}
}

// TestFakeAnswersJudged sends to the fake's webhook in each state and
// judges the answer as a delivery does.
func TestFakeAnswersJudged(t *testing.T) {
	integ := slack.New()
	tests := []struct {
		name    string
		break_  func(f *slacktest.Server, url string)
		outcome string
		reason  string
	}{
		{"archived", (*slacktest.Server).ArchiveChannel, "failed", "channel_is_archived"},
		{"deleted", (*slacktest.Server).DeleteChannel, "failed", "channel_not_found"},
		{"prohibited", (*slacktest.Server).Prohibit, "failed", "action_prohibited"},
		{"revoked", (*slacktest.Server).Revoke, "failed", "invalid_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := slacktest.New(t)
			url := fake.AddWebhook("#sales")
			tt.break_(fake, url)
			req := request(t, validMessage())
			req.URL = url
			resp := (&delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}).Send(t.Context(), req)
			j := delivery.Judge(integ, req, resp)
			if j.Outcome != tt.outcome || !strings.Contains(j.Reason, tt.reason) || !strings.Contains(j.Reason, " — ") {
				t.Errorf("%d %s judged %+v", resp.Status, resp.Body, j)
			}
		})
	}
}

// TestRateLimitRetried: past one message a second the fake answers 429
// with Retry-After, which a delivery retries after that delay.
func TestRateLimitRetried(t *testing.T) {
	fake := slacktest.New(t, slacktest.WithRateLimit(1))
	sender := &delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}
	integ := slack.New()
	first := sender.Send(t.Context(), request(t, validMessage()))
	second := sender.Send(t.Context(), request(t, validMessage()))
	if first.Status != 200 || second.Status != http.StatusTooManyRequests {
		t.Fatalf("answers %d, %d; want 200, 429", first.Status, second.Status)
	}
	if second.Headers["Retry-After"] != "1" {
		t.Errorf("Retry-After %q, want 1", second.Headers["Retry-After"])
	}
	if j := delivery.Judge(integ, request(t, validMessage()), second); j.Outcome != "retried" {
		t.Errorf("a 429 is judged %+v", j)
	}
}
