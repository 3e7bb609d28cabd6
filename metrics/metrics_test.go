package metrics_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/metrics"
)

func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	if rec.Code != 200 {
		t.Fatalf("scrape: %d %s", rec.Code, body)
	}
	return string(body)
}

func wantLines(t *testing.T, text string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(text, l+"\n") {
			t.Errorf("metrics lack %q", l)
		}
	}
}

type fakeQueue struct {
	stats *hookbridge.QueueStats
	err   error
}

func (f fakeQueue) QueueStats(context.Context, time.Time) (*hookbridge.QueueStats, error) {
	return f.stats, f.err
}

func (f fakeQueue) ResealSecrets(context.Context, func([]byte) bool) (int, error) { return 0, nil }

func TestWhatIsToldIsExposed(t *testing.T) {
	m := metrics.New()
	m.MessageIngested("api", false)
	m.MessageIngested("api", false)
	m.MessageIngested("source", true)
	m.DeliveryFinished("segment", hookbridge.DeliverySucceeded)
	m.DeliveryFinished("segment", hookbridge.DeliveryPending)
	m.AttemptSent("segment", 120*time.Millisecond, 200)
	m.AttemptSent("segment", time.Second, 503)
	m.AttemptSent("webhook", time.Second, 0)
	m.RateLimitWaited("customerio", 300*time.Millisecond)
	m.RateLimitWaited("customerio", 0)
	m.TransformRan(time.Millisecond, nil)
	m.TransformRan(time.Second, &hookbridge.CodeError{Kind: "timeout"})
	m.TransformRan(time.Millisecond, errors.New("context canceled"))
	m.HTTPRequest("GET /api/v1/apps", 200, 3*time.Millisecond)
	m.APIRateLimited()

	wantLines(t, scrape(t, m),
		`hookbridge_messages_ingested_total{duplicate="false",via="api"} 2`,
		`hookbridge_messages_ingested_total{duplicate="true",via="source"} 1`,
		`hookbridge_deliveries_total{integration="segment",outcome="succeeded"} 1`,
		`hookbridge_deliveries_total{integration="segment",outcome="retry"} 1`,
		`hookbridge_attempt_duration_seconds_count{integration="segment"} 2`,
		`hookbridge_attempt_duration_seconds_bucket{integration="segment",le="0.25"} 1`,
		`hookbridge_attempts_total{class="2xx",integration="segment"} 1`,
		`hookbridge_attempts_total{class="5xx",integration="segment"} 1`,
		`hookbridge_attempts_total{class="error",integration="webhook"} 1`,
		`hookbridge_rate_limit_waits_total{integration="customerio"} 1`,
		`hookbridge_transform_duration_seconds_count 3`,
		`hookbridge_transform_failures_total{kind="timeout"} 1`,
		`hookbridge_transform_failures_total{kind="other"} 1`,
		`hookbridge_http_requests_total{code="200",route="GET /api/v1/apps"} 1`,
		`hookbridge_api_rate_limited_total 1`,
	)
}

func TestQueueGaugesAreReadAtScrape(t *testing.T) {
	m := metrics.New()
	now := time.Now()
	m.WatchQueue(fakeQueue{stats: &hookbridge.QueueStats{
		Pending: 7, Due: 3,
		OldestPendingCreatedAt: now.Add(-time.Hour), OldestDueAt: now.Add(-90 * time.Second),
	}}, time.Second)
	text := scrape(t, m)
	wantLines(t, text, "hookbridge_queue_pending 7", "hookbridge_queue_due 3", "hookbridge_queue_stats_up 1")
	for name, want := range map[string]float64{"hookbridge_queue_oldest_pending_age_seconds": 3600, "hookbridge_queue_lag_seconds": 90} {
		var got float64
		for _, line := range strings.Split(text, "\n") {
			if v, ok := strings.CutPrefix(line, name+" "); ok {
				if _, err := fmt.Sscan(v, &got); err != nil {
					t.Fatal(err)
				}
			}
		}
		if got < want || got > want+5 {
			t.Errorf("%s = %v, want about %v", name, got, want)
		}
	}

	failing := metrics.New()
	failing.WatchQueue(fakeQueue{err: errors.New("database down")}, time.Second)
	text = scrape(t, failing)
	wantLines(t, text, "hookbridge_queue_stats_up 0")
	if strings.Contains(text, "hookbridge_queue_pending ") {
		t.Error("queue gauges exposed although the store failed")
	}
}

type fakeWriter struct{ stats hookbridge.WriterStats }

func (f fakeWriter) WriterStats() hookbridge.WriterStats { return f.stats }

func TestWriterCountersAreReadAtScrape(t *testing.T) {
	m := metrics.New()
	w := &fakeWriter{stats: hookbridge.WriterStats{Busy: 1500 * time.Millisecond, Commits: 40, Transactions: 300}}
	m.WatchWriter(w)
	wantLines(t, scrape(t, m), "hookbridge_sqlite_writer_busy_seconds_total 1.5",
		"hookbridge_sqlite_writer_commits_total 40", "hookbridge_sqlite_writer_transactions_total 300")
	w.stats = hookbridge.WriterStats{Busy: 4 * time.Second, Commits: 41, Transactions: 310}
	wantLines(t, scrape(t, m), "hookbridge_sqlite_writer_busy_seconds_total 4",
		"hookbridge_sqlite_writer_commits_total 41", "hookbridge_sqlite_writer_transactions_total 310")
}

func TestNilMetricsDoNothing(t *testing.T) {
	var m *metrics.Metrics
	m.MessageIngested("api", false)
	m.DeliveryFinished("segment", hookbridge.DeliveryFailed)
	m.AttemptSent("segment", time.Second, 500)
	m.RateLimitWaited("segment", time.Second)
	m.TransformRan(time.Second, nil)
	m.HTTPRequest("GET /healthz", 200, time.Millisecond)
	m.APIRateLimited()
	if m.Handler() != nil {
		t.Error("a nil *Metrics serves a handler")
	}
}
