package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/node"
	"github.com/hookbridge/hookbridge/postgres/pgtest"
)

// eachStore runs test on a node with the SQLite store and on one with the
// PostgreSQL store; opts are the options that pick the store.
func eachStore(t *testing.T, test func(t *testing.T, opts ...option)) {
	t.Run("sqlite", func(t *testing.T) { test(t) })
	t.Run("postgres", func(t *testing.T) { test(t, withPostgres(pgtest.FreshDatabase(t))) })
}

// TestHugeTextsAreCappedWhenRecorded has a handler throw a 16 MB message
// and a destination answer with a 2 MB body and a 64 KB header: what the
// deliveries and attempts keep, and what a page of deliveries answers, stay
// within the recording limits and say what was cut.
func TestHugeTextsAreCappedWhenRecorded(t *testing.T) {
	eachStore(t, func(t *testing.T, opts ...option) {
		huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Huge", strings.Repeat("h", 64<<10))
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(strings.Repeat("b", 2<<20)))
		}))
		t.Cleanup(huge.Close)
		seg, cio := newFakes(t)
		// Building the 16 MB message takes longer than the default time
		// limit on a busy machine or under the race detector.
		slowCode := func(c *node.Config) { c.TransformTimeout = 20 * time.Second }
		h := start(t, seg, cio, append(opts, withAllowPrivate(), slowCode)...)
		thrown := 1 << 24
		if raceEnabled {
			thrown = 1 << 20 // the race detector makes goja too slow for 16 MB
		}
		throwing := map[string]any{"url": huge.URL + "/throws", "event_types": []string{"payment.succeeded"},
			"transformation": map[string]any{"code": fmt.Sprintf(`function handler(webhook) { throw new Error("m".repeat(%d)) }`, thrown)}}
		// Saving it runs it on the sample: the refusal quotes the error,
		// capped like everything else.
		refused := h.callAs(adminToken, "POST", "/api/v1/apps/default/endpoints", throwing)
		if refused.status != http.StatusUnprocessableEntity || len(refused.body) > 8<<10 {
			t.Fatalf("creating the throwing endpoint: %d, %d bytes; want 422 with the error capped", refused.status, len(refused.body))
		}
		throwing["force"] = true
		h.createEndpoint(throwing)
		h.createEndpoint(map[string]any{"url": huge.URL + "/answers", "event_types": []string{"payment.succeeded"}})
		body, _ := sample(t, "payment.succeeded")
		msg := h.postMessage("payment.succeeded", body, "evt_huge")
		deliveries := h.waitDeliveries(msg.ID)
		if len(deliveries) != 2 {
			t.Fatalf("%d deliveries, want 2", len(deliveries))
		}
		for _, d := range deliveries {
			if d.Status != hookbridge.DeliveryFailed {
				t.Fatalf("delivery %s is %s, want failed", d.ID, d.Status)
			}
			checkCapped(t, "last error", d.LastError, hookbridge.MaxRecordedError)
			attempts := h.attempts(d.ID)
			if len(attempts) == 0 {
				t.Fatalf("delivery %s has no attempt", d.ID)
			}
			for _, a := range attempts {
				checkCapped(t, "attempt error", a.Error, hookbridge.MaxRecordedError)
				checkCapped(t, "response body", a.ResponseBody, hookbridge.MaxRecordedBody)
				checkCapped(t, "response header", a.ResponseHeaders["X-Huge"], hookbridge.MaxRecordedHeaderValue)
			}
		}
		if size := truncatedSize(deliveries[0].LastError + deliveries[1].LastError); size < thrown {
			t.Errorf("no last error tells the thrown message's size (%d): %.200q, %.200q", thrown, deliveries[0].LastError, deliveries[1].LastError)
		}
		page := h.callAs(adminToken, "GET", "/api/v1/apps/default/deliveries", nil)
		if page.status != http.StatusOK || len(page.body) > 64<<10 {
			t.Fatalf("a page of two deliveries: %d, %d bytes", page.status, len(page.body))
		}
	})
}

// truncatedSize is the largest size that a "(truncated, N bytes)" in s
// tells, 0 if none.
func truncatedSize(s string) int {
	most := 0
	for _, m := range regexp.MustCompile(`\(truncated, (\d+) bytes\)`).FindAllStringSubmatch(s, -1) {
		n, _ := strconv.Atoi(m[1])
		most = max(most, n)
	}
	return most
}

// checkCapped fails unless s is within limit bytes, and says where it was
// cut if it was.
func checkCapped(t *testing.T, what, s string, limit int) {
	t.Helper()
	if len(s) > limit {
		t.Errorf("%s is %d bytes, more than the limit of %d", what, len(s), limit)
	}
	if len(s) > limit/2 && !strings.Contains(s, "… (truncated, ") {
		t.Errorf("%s was cut without saying so: …%s", what, s[max(0, len(s)-80):])
	}
}
