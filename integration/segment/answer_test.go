package segment

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
	"github.com/hookbridge/hookbridge/integration/segment/segmenttest"
)

// TestEveryTemplateReachesTheFake runs every built-in template on every
// event type it lists against the fake Tracking API, which must accept
// each call, with the write key masked wherever the request is recorded.
func TestEveryTemplateReachesTheFake(t *testing.T) {
	fake := segmenttest.New(t)
	creds := fake.Credentials()
	sent := kittest.Templates(t, New(), creds, fake.Client())
	if len(sent) == 0 {
		t.Fatal("no template was sent")
	}
	for _, s := range sent {
		kittest.SecretsMasked(t, New(), creds, s.Request)
	}
	if dropped := fake.Dropped(); len(dropped) != 0 {
		t.Errorf("Segment would drop %d calls: %+v", len(dropped), dropped)
	}
}

func TestDefaultRateLimitIsSegmentsPerWorkspaceLimit(t *testing.T) {
	got := New().Info().RateLimit
	if got == nil || got.Requests != 1000 || got.Period != 0 {
		t.Errorf("rate limit %+v, want 1,000 a second", got)
	}
}

// send prepares body for url with creds, sends it to the fake and judges
// the answer as a delivery would.
func send(t *testing.T, fake *segmenttest.Server, url, body string, creds hookbridge.Credentials) delivery.Judgement {
	t.Helper()
	in := New()
	req := newRequest("POST", url, body)
	if err := in.Prepare(req, creds, sc); err != nil {
		t.Fatal(err)
	}
	sender := &delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}
	return delivery.Judge(in, req, sender.Send(context.Background(), req))
}

func TestAnswersAreReadWithWhatToChange(t *testing.T) {
	fake := segmenttest.New(t)
	good := fake.Credentials()
	wrongKey := fake.Credentials()
	wrongKey[FieldWriteKey] = "not-the-key"
	tests := []struct {
		name    string
		before  func()
		body    string
		creds   hookbridge.Credentials
		outcome string
		want    []string // parts of the reason
	}{
		{"accepted", nil, track, good, "accepted", nil},
		{"401: which credential to check, and where", nil, track, wrongKey, "failed",
			[]string{"HTTP 401", "write key", "write_key", "Connections → Sources", "API Keys", "region"}},
		{"400: Segment's text and its limits", nil, `{"userId":`, good, "failed",
			[]string{"HTTP 400", "Segment refused the request: Invalid JSON", "32 KB"}},
		{"429: retried, with the limit and what to change", func() { fake.RateLimitNext(1, time.Second) }, track, good, "retried",
			[]string{"HTTP 429", "1,000 requests a second", "rate_limit", "batching"}},
		{"503: judged by its status alone", func() { fake.FailNext(1, 503) }, track, good, "retried",
			[]string{"HTTP 503"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.before != nil {
				tt.before()
			}
			j := send(t, fake, DefaultURL, tt.body, tt.creds)
			if j.Outcome != tt.outcome {
				t.Fatalf("outcome %s (%s), want %s", j.Outcome, j.Reason, tt.outcome)
			}
			for _, part := range tt.want {
				if !strings.Contains(j.Reason, part) {
					t.Errorf("reason %q does not say %q", j.Reason, part)
				}
			}
		})
	}
}

func TestA400ReasonIsShortened(t *testing.T) {
	got := readAnswer(nil, hookbridge.Answer{Status: 400, Body: []byte(strings.Repeat("é", 400))})
	if len(got.Reason) > 400 || !strings.HasSuffix(got.Reason, "…") || !strings.Contains(got.Reason, "é") {
		t.Errorf("reason of %d bytes: %q", len(got.Reason), got.Reason)
	}
	if got := readAnswer(nil, hookbridge.Answer{Status: 400}); got.Reason != "Segment refused the request" {
		t.Errorf("a 400 without a body: %+v", got)
	}
}

func TestAnswersFromOtherHostsAreNotRead(t *testing.T) {
	req := newRequest("POST", "https://evil.example/v1/track", track)
	if got := hookbridge.ReadAnswer(New(), req, hookbridge.Answer{Status: 401}); got != (hookbridge.AnswerReading{}) {
		t.Errorf("reading %+v of another host's 401, want none", got)
	}
}
