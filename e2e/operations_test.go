package e2e

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge/node"
)

// logBuffer collects a node's JSON log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines returns the log records, decoded.
func (b *logBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(b.String()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", sc.Text())
		}
		out = append(out, m)
	}
	return out
}

func withDebugLog(b *logBuffer) option {
	return configure(func(c *node.Config) {
		c.Logger = slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
}

func TestRequestIDsInAnswersAndLogs(t *testing.T) {
	seg, cio := newFakes(t)
	var logs logBuffer
	h := start(t, seg, cio, withDebugLog(&logs))

	req, _ := http.NewRequest("GET", h.url+"/api/v1/apps/default", nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("X-Request-Id", "trace-4711")
	if a := h.do(req); a.status != http.StatusOK || a.header.Get("X-Request-Id") != "trace-4711" {
		t.Fatalf("given request id: %d %q", a.status, a.header.Get("X-Request-Id"))
	}
	req.Header.Set("X-Request-Id", "bad id <with> spaces")
	generated := h.do(req).header.Get("X-Request-Id")
	if !strings.HasPrefix(generated, "req_") {
		t.Fatalf("a malformed request id was not replaced: %q", generated)
	}
	// An error answer's log line carries the request id too.
	h.callAs(adminToken, "GET", "/api/v1/apps/default/endpoints/ep_missing", nil)

	found := map[string]bool{}
	for _, line := range logs.lines(t) {
		if line["msg"] == "http request" && line["request_id"] == "trace-4711" {
			found["given"] = line["route"] == "GET /api/v1/apps/{app}" && line["status"] == 200.0 && line["path"] == "/api/v1/apps/default"
		}
		if line["msg"] == "http request" && line["request_id"] == generated {
			found["generated"] = line["token_id"] == nil // the access line is written outside the token's scope
		}
	}
	if !found["given"] || !found["generated"] {
		t.Fatalf("access log lines with the request ids (%v):\n%s", found, logs.String())
	}
	if strings.Contains(logs.String(), adminToken) {
		t.Fatal("the admin token is in the log")
	}
}

func TestReadinessChecksTheSchema(t *testing.T) {
	seg, cio := newFakes(t)
	dir := t.TempDir()
	h := start(t, seg, cio, withDataDir(dir))
	var ready map[string]string
	h.mustAs("", "GET", "/readyz", nil, http.StatusOK).decode(t, &ready)
	if ready["status"] != "ready" {
		t.Fatalf("readyz: %v", ready)
	}
	h.mustAs("", "GET", "/healthz", nil, http.StatusOK)

	// Forget the last migration, as a database left behind by an older
	// program would look: the node is alive, but not ready.
	db, err := sql.Open("sqlite", filepath.Join(dir, "hookbridge.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)`); err != nil {
		t.Fatal(err)
	}
	h.mustAs("", "GET", "/readyz", nil, http.StatusServiceUnavailable).decode(t, &ready)
	if !strings.Contains(ready["reason"], "1 schema migrations are not applied") {
		t.Errorf("readyz reason %q", ready["reason"])
	}
	h.mustAs("", "GET", "/healthz", nil, http.StatusOK)
}

func TestPrometheusMetrics(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	tpl := templateByID(t, "segment", "payment-events")
	h.createEndpoint(map[string]any{"integration": "segment", "template": tpl.ID, "credentials": seg.Credentials()})
	payload, _ := sample(t, "payment.succeeded")
	msg := h.postMessage("payment.succeeded", payload, "evt_metrics")
	h.postMessage("payment.succeeded", payload, "evt_metrics") // a duplicate
	h.waitDeliveries(msg.ID)

	text := string(h.mustAs("", "GET", "/metrics", nil, http.StatusOK).body)
	for _, want := range []string{
		`hookbridge_messages_ingested_total{duplicate="false",via="api"} 1`,
		`hookbridge_messages_ingested_total{duplicate="true",via="api"} 1`,
		`hookbridge_http_requests_total{code="202",route="POST /api/v1/apps/{app}/messages"} 2`,
		`hookbridge_queue_pending 0`,
		`hookbridge_queue_stats_up 1`,
		`hookbridge_sqlite_writer_busy_seconds_total`,
		`hookbridge_sqlite_writer_commits_total`,
		`hookbridge_transform_duration_seconds_count`,
		`go_goroutines`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %q", want)
		}
	}

	locked := start(t, seg, cio, configure(func(c *node.Config) { c.MetricsToken = "scrape-secret-0123456789" }))
	locked.mustAs("", "GET", "/metrics", nil, http.StatusUnauthorized)
	locked.mustAs("wrong", "GET", "/metrics", nil, http.StatusUnauthorized)
	locked.mustAs("scrape-secret-0123456789", "GET", "/metrics", nil, http.StatusOK)
	off := start(t, seg, cio, configure(func(c *node.Config) { c.DisableMetrics = true }))
	if a := off.callAs("", "GET", "/metrics", nil); a.status == http.StatusOK && strings.Contains(string(a.body), "hookbridge_") {
		t.Error("metrics are served although disabled")
	}
}

func TestManagementCallsAreRateLimitedPerToken(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio, configure(func(c *node.Config) { c.APIRateLimit = 2; c.APIRateBurst = 3 }))
	other, _ := h.newAppToken("acme", "other")
	// The admin token made two calls above (app, token); one is left.
	h.mustAs(adminToken, "GET", "/api/v1/apps", nil, http.StatusOK)
	limited := h.callAs(adminToken, "GET", "/api/v1/apps", nil)
	var e apiErr
	limited.decode(t, &e)
	retry, err := strconv.Atoi(limited.header.Get("Retry-After"))
	if limited.status != http.StatusTooManyRequests || e.Error.Code != "rate_limited" || err != nil || retry < 1 {
		t.Fatalf("over the limit: %d %s, Retry-After %q", limited.status, limited.body, limited.header.Get("Retry-After"))
	}
	// Posting events is ingest, not management: the exhausted token still
	// gets its events in.
	payload, _ := sample(t, "payment.succeeded")
	for range 5 {
		h.mustAs(adminToken, "POST", "/api/v1/apps/default/messages", map[string]any{"event_type": "payment.succeeded", "payload": payload}, http.StatusAccepted)
	}
	// Another token has its own budget.
	h.mustAs(other, "GET", "/api/v1/apps/acme", nil, http.StatusOK)
	time.Sleep(600 * time.Millisecond) // one call's worth at 2 per second
	h.mustAs(adminToken, "GET", "/api/v1/apps", nil, http.StatusOK)
	// Health checks and ingest are not management calls.
	for range 5 {
		h.mustAs("", "GET", "/healthz", nil, http.StatusOK)
	}
	if text := string(h.mustAs("", "GET", "/metrics", nil, http.StatusOK).body); !strings.Contains(text, "hookbridge_api_rate_limited_total 1") {
		t.Error("the refused call is not counted in the metrics")
	}
}

func TestInputLimits(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio, configure(func(c *node.Config) { c.MaxEndpointsPerApp = 2 }))
	for i := range 2 {
		h.mustAs(adminToken, "POST", "/api/v1/apps/default/endpoints", map[string]any{"url": fmt.Sprintf("https://hooks.example.com/%d", i), "disabled": true}, http.StatusCreated)
	}
	var e apiErr
	h.mustAs(adminToken, "POST", "/api/v1/apps/default/endpoints", map[string]any{"url": "https://hooks.example.com/3"}, http.StatusUnprocessableEntity).decode(t, &e)
	if e.Error.Code != "limit_reached" || !strings.Contains(e.Error.Message, "2 endpoints") {
		t.Errorf("over the endpoint limit: %+v", e)
	}
	// Another app has its own room.
	h.newAppToken("acme", "x")
	h.mustAs(adminToken, "POST", "/api/v1/apps/acme/endpoints", map[string]any{"url": "https://hooks.example.com/a", "disabled": true}, http.StatusCreated)

	code := "function handler(webhook) { return webhook }\n// " + strings.Repeat("x", 300<<10)
	e = apiErr{}
	h.mustAs(adminToken, "POST", "/api/v1/apps/acme/endpoints", map[string]any{"url": "https://hooks.example.com/b", "transformation": map[string]any{"code": code}}, http.StatusUnprocessableEntity).decode(t, &e)
	if len(e.Error.Fields) != 1 || e.Error.Fields[0].Field != "transformation.code" || !strings.Contains(e.Error.Fields[0].Message, "at most 262144 are allowed") {
		t.Errorf("code too large: %+v", e)
	}

	deep := `{"event_type":"payment.succeeded","payload":` + strings.Repeat(`{"a":`, 100) + `1` + strings.Repeat(`}`, 100) + `}`
	e = apiErr{}
	h.mustAs(adminToken, "POST", "/api/v1/apps/default/messages", deep, http.StatusBadRequest).decode(t, &e)
	if e.Error.Code != "too_deep" {
		t.Errorf("deep body: %+v", e)
	}

	req, _ := http.NewRequest("GET", h.url+"/api/v1/apps", nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("X-Padding", strings.Repeat("p", 100<<10))
	if a := h.do(req); a.status != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("huge headers: %d, want 431", a.status)
	}
}
