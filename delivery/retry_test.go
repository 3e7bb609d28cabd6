package delivery

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/netguard"
)

func TestJudge(t *testing.T) {
	blocked := &url.Error{Op: "Post", URL: "http://10.0.0.1/", Err: &netguard.BlockedError{Host: "10.0.0.1", Reason: "a private address"}}
	tests := []struct {
		name string
		resp Response
		want verdict
	}{
		{"200", Response{Status: 200}, verdictSuccess},
		{"204", Response{Status: 204}, verdictSuccess},
		{"207 counts as 2xx", Response{Status: 207}, verdictSuccess},
		{"400 permanent", Response{Status: 400}, verdictPermanent},
		{"401 permanent", Response{Status: 401}, verdictPermanent},
		{"404 permanent", Response{Status: 404}, verdictPermanent},
		{"410 permanent", Response{Status: 410}, verdictPermanent},
		{"408 retried", Response{Status: 408}, verdictRetry},
		{"409 retried", Response{Status: 409}, verdictRetry},
		{"425 retried", Response{Status: 425}, verdictRetry},
		{"429 retried", Response{Status: 429}, verdictRetry},
		{"500 retried", Response{Status: 500}, verdictRetry},
		{"503 retried", Response{Status: 503}, verdictRetry},
		{"3xx not followed is retried", Response{Status: 302}, verdictRetry},
		{"network error retried", Response{Err: errors.New("connection reset by peer")}, verdictRetry},
		{"blocked destination permanent", Response{Err: blocked}, verdictPermanent},
		{"scheme refused permanent", Response{Err: fmt.Errorf("x: %w", netguard.ErrUnsupportedScheme)}, verdictPermanent},
		{"numeric host name permanent", Response{Err: fmt.Errorf("x: %w", netguard.ErrInvalidHost)}, verdictPermanent},
		{"abort-message stops retries", Response{Status: 500, Headers: map[string]string{"Webhook-Delivery": "abort-message"}}, verdictPermanent},
		{"abort-message on a 2xx is still success", Response{Status: 200, Headers: map[string]string{"Webhook-Delivery": "abort-message"}}, verdictSuccess},
		{"DNS failure retried", Response{Err: &url.Error{Op: "Post", URL: "https://nowhere.example/", Err: &net.DNSError{Err: "no such host", Name: "nowhere.example", IsNotFound: true}}}, verdictRetry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, why := judge(tt.resp); got != tt.want {
				t.Fatalf("judge = %v (%s), want %v", got, why, tt.want)
			}
		})
	}
}

func TestScheduleMatchesPlatform(t *testing.T) {
	p := RetryPolicy{Jitter: -1} // no jitter
	now := time.Date(2025, 8, 4, 5, 30, 0, 0, time.UTC)
	want := []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour}
	for i, w := range want {
		o := p.next(i+1, now, 0, "boom")
		if o.Status != hookbridge.DeliveryPending || o.NextAttemptAt.Sub(now) != w {
			t.Fatalf("after attempt %d: %s at +%s, want pending at +%s", i+1, o.Status, o.NextAttemptAt.Sub(now), w)
		}
	}
	o := p.next(8, now, 0, "boom")
	if o.Status != hookbridge.DeliveryFailed || o.LastError != "gave up after 8 attempts: boom" {
		t.Fatalf("after attempt 8: %+v, want failed with the last error kept", o)
	}
}

func TestJitterStaysWithinTwentyPercent(t *testing.T) {
	p := RetryPolicy{}
	now := time.Now()
	seen := map[time.Duration]bool{}
	for range 200 {
		d := p.next(2, now, 0, "x").NextAttemptAt.Sub(now)
		if d < 4*time.Minute || d > 6*time.Minute {
			t.Fatalf("jittered 5 min wait is %s, outside ±20%%", d)
		}
		seen[d] = true
	}
	if len(seen) < 10 {
		t.Fatalf("only %d distinct waits in 200 draws: no jitter", len(seen))
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	p := RetryPolicy{Jitter: -1}
	now := time.Date(2025, 8, 4, 5, 30, 0, 0, time.UTC)
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"120", 120 * time.Second},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"-5", 0},
		{"soon", 0},
		{"999999999", 24 * time.Hour},
	}
	for _, tt := range tests {
		if got := p.retryAfter(map[string]string{"Retry-After": tt.header}, now); got != tt.want {
			t.Errorf("Retry-After %q = %s, want %s", tt.header, got, tt.want)
		}
	}
	// A Retry-After longer than the scheduled wait wins; a shorter one
	// does not shorten the schedule.
	if o := p.next(1, now, 2*time.Minute, "429"); o.NextAttemptAt.Sub(now) != 2*time.Minute {
		t.Errorf("Retry-After 2m after attempt 1: next in %s", o.NextAttemptAt.Sub(now))
	}
	if o := p.next(2, now, time.Second, "429"); o.NextAttemptAt.Sub(now) != 5*time.Minute {
		t.Errorf("Retry-After 1s after attempt 2: next in %s, want the scheduled 5m", o.NextAttemptAt.Sub(now))
	}
}
