package discord_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/discord"
	"github.com/hookbridge/hookbridge/integration/discord/discordtest"
)

// sendTo sends a valid message to url through the fake and reads the
// answer as the dispatcher does.
func sendTo(t *testing.T, fake *discordtest.Server, url string) (delivery.Response, hookbridge.AnswerReading, delivery.Judgement) {
	t.Helper()
	req := request(t, validMessage())
	req.URL = strings.Replace(req.URL, discordtest.WebhookURL(), url, 1)
	resp := (&delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}).Send(context.Background(), req)
	integ := discord.New()
	reading := hookbridge.ReadAnswer(integ, req, hookbridge.Answer{Status: resp.Status, Headers: resp.Headers, Body: []byte(resp.Body)})
	return resp, reading, delivery.Judge(integ, req, resp)
}

func TestA429sRetryAfterIsReadAsAFloat(t *testing.T) {
	fake := discordtest.New(t)
	fake.RateLimitNextBodyOnly(1, 3500*time.Millisecond)
	resp, reading, j := sendTo(t, fake, discordtest.WebhookURL())
	if resp.Status != 429 || reading.RetryAfter != 3500*time.Millisecond || reading.Verdict != hookbridge.AnswerRetry {
		t.Errorf("answer %d %s read as %+v, want a retry after 3.5s", resp.Status, resp.Body, reading)
	}
	if j.Outcome != "retried" || !strings.Contains(j.Reason, "rate limited for 3.5s") {
		t.Errorf("judged %+v, want retried, rate limited for 3.5s", j)
	}
}

func TestAWebhooksBucketAnswers429WithTheWaitLeft(t *testing.T) {
	fake := discordtest.New(t, discordtest.WithBucket(5, 2*time.Second))
	for i := range 5 {
		if resp, _, _ := sendTo(t, fake, discordtest.WebhookURL()); resp.Status != 200 {
			t.Fatalf("request %d: %d %s", i+1, resp.Status, resp.Body)
		}
	}
	resp, reading, _ := sendTo(t, fake, discordtest.WebhookURL())
	if resp.Status != 429 || reading.RetryAfter <= 0 || reading.RetryAfter > 2*time.Second {
		t.Errorf("the 6th request in 2s: %d %s read as %+v, want 429 and a wait of at most 2s", resp.Status, resp.Body, reading)
	}
	if resp.Headers["Retry-After"] == "" {
		t.Errorf("the 429 has no Retry-After header: %v", resp.Headers)
	}
}

func TestADeletedWebhookFailsForGoodWithAFix(t *testing.T) {
	fake := discordtest.New(t)
	_, reading, j := sendTo(t, fake, "https://discord.com/api/webhooks/1180000000000000999/"+discordtest.WebhookToken)
	if reading.Verdict != hookbridge.AnswerFailed || !strings.Contains(reading.Reason, "Unknown Webhook (Discord code 10015)") ||
		!strings.Contains(reading.Fix, "create a new one") {
		t.Errorf("read %+v, want a permanent Unknown Webhook with a fix", reading)
	}
	if j.Outcome != "failed" || !strings.Contains(j.Reason, "create a new one") {
		t.Errorf("judged %+v, want failed with the fix", j)
	}
}

func TestAWrongTokenFailsForGoodWithAFix(t *testing.T) {
	fake := discordtest.New(t)
	_, reading, _ := sendTo(t, fake, "https://discord.com/api/webhooks/"+discordtest.WebhookID+"/reset-token")
	if reading.Verdict != hookbridge.AnswerFailed || !strings.Contains(reading.Reason, "Invalid Webhook Token (Discord code 50027)") || reading.Fix == "" {
		t.Errorf("read %+v, want a permanent Invalid Webhook Token with a fix", reading)
	}
}

func TestAnInvalidFormBodyNamesTheFieldsAndTheirLimits(t *testing.T) {
	fake := discordtest.New(t)
	m := validMessage()
	firstEmbed(m)["title"] = strings.Repeat("t", 257)
	firstEmbed(m)["fields"] = []any{map[string]any{"name": "n", "value": strings.Repeat("v", 1025)}}
	req := request(t, m)
	resp := (&delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}).Send(context.Background(), req)
	reading := hookbridge.ReadAnswer(discord.New(), req, hookbridge.Answer{Status: resp.Status, Body: []byte(resp.Body)})
	want := "Invalid Form Body (Discord code 50035): embeds.0.fields.0.value: Must be 1024 or fewer in length.; embeds.0.title: Must be 256 or fewer in length."
	if reading.Verdict != hookbridge.AnswerFailed || reading.Reason != want || reading.Fix == "" {
		t.Errorf("read %+v\nwant reason %q with a fix", reading, want)
	}
}

func TestOtherAnswersAreLeftToTheirStatus(t *testing.T) {
	req := request(t, validMessage())
	for _, a := range []hookbridge.Answer{
		{Status: 200, Body: []byte(`{"id":"1"}`)},
		{Status: 204},
		{Status: 502, Body: []byte(`<html>Bad Gateway</html>`)},
		{Status: 403, Body: []byte(`error code: 1015`)},
	} {
		if got := hookbridge.ReadAnswer(discord.New(), req, a); got != (hookbridge.AnswerReading{}) {
			t.Errorf("%d %s read as %+v, want it left to its status", a.Status, a.Body, got)
		}
	}
	unknown := hookbridge.ReadAnswer(discord.New(), req, hookbridge.Answer{Status: 403, Body: []byte(`{"code": 50013, "message": "Missing Permissions"}`)})
	if unknown.Verdict != hookbridge.AnswerByStatus || unknown.Reason != "Missing Permissions (Discord code 50013)" {
		t.Errorf("an error without a known fix read as %+v, want it named and judged by its status", unknown)
	}
}

func TestAnswersFromElsewhereAreNotRead(t *testing.T) {
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://example.com/hook"}
	a := hookbridge.Answer{Status: 429, Body: []byte(`{"retry_after": 30}`)}
	if got := hookbridge.ReadAnswer(discord.New(), req, a); got != (hookbridge.AnswerReading{}) {
		t.Errorf("an answer from example.com read as %+v", got)
	}
}
