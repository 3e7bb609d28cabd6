package httpapi_test

import (
	"net/http"
	"testing"
)

// TestTestRunsKeepNoStateAcrossApps: an app's test runs of the same code
// reuse its runtimes, top-level state included, as deliveries do; another
// app's test run of that very code never sees that state.
func TestTestRunsKeepNoStateAcrossApps(t *testing.T) {
	tn := newTenants(t, nil, 0, 0)
	counter := `var calls = 0; function handler(webhook) { calls++; webhook.payload = { calls }; return webhook }`
	for _, step := range []struct {
		app  string
		want float64
	}{
		{"hostile", 1}, {"hostile", 2}, {"hostile", 3}, {"quiet", 1}, {"hostile", 4}, {"quiet", 2},
	} {
		a := tn.testRun(t, step.app, counter)
		if a.status != http.StatusOK || a.body["status"] != "ready" {
			t.Fatalf("test run of %s: %d %v", step.app, a.status, a.body)
		}
		req, _ := a.body["request"].(map[string]any)
		body, _ := req["body_json"].(map[string]any)
		if body["calls"] != step.want {
			t.Fatalf("a test run of %s counted %v calls, want %v", step.app, body["calls"], step.want)
		}
	}
}
