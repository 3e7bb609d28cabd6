package e2e

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/node"
)

// TestHostileTransformationsDoNotHoldUpOthers gives an app, one after the
// other, an endpoint whose code loops without end (in the handler, or in
// the message getter of the error it throws), recurses without end,
// allocates without end, returns a huge payload or tampers with the
// built-ins, beside an ordinary Segment endpoint. Each hostile delivery
// fails with an error that says what happened, the process survives, and
// every ordinary delivery succeeds meanwhile, promptly.
//
// The kinds run one at a time: the memory limit is measured on the whole
// process, so two hostile runs at once could both be stopped by it (see
// package js), which would blur what this test checks.
func TestHostileTransformationsDoNotHoldUpOthers(t *testing.T) {
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	t.Cleanup(receiver.Close)
	seg, cio := newFakes(t)
	h := start(t, seg, cio, withAllowPrivate(), withRetry(delivery.RetryPolicy{Schedule: []time.Duration{0, 20 * time.Millisecond}, Jitter: -1}),
		configure(func(c *node.Config) {
			c.TransformTimeout = 2 * time.Second
			c.TransformMaxMemory = 16 << 20
		}))
	ordinary := segmentEndpoint(h, seg.Credentials())
	payload, _ := sample(t, "payment.succeeded")

	cases := []struct{ name, code, wantError string }{
		{"endless loop", `function handler(webhook) { for (;;) {} }`, "did not finish within 2s"},
		// Issue 15: reading the thrown error ran into the time limit
		// outside any guard, and the panic ended the process.
		{"thrown error whose message getter loops", `function handler(webhook) { var e = new Error("x"); Object.defineProperty(e, "message", { get() { for (;;) {} } }); throw e }`, "did not finish within 2s"},
		{"deep recursion", `function handler(webhook) { const down = (n) => down(n + 1) + 1; return down(0) }`, "maximum call stack size exceeded"},
		// One endpoint's runs are admitted one at a time (package
		// admission), so under a slow (race) build on a busy machine the
		// clock may stop this one before it has kept its memory budget.
		{"huge allocation", `function handler(webhook) { const keep = []; for (let i = 0; ; i++) keep.push(new Float64Array(1 << 17)) }`, "memory limit exceeded|did not finish within 2s"},
		// goja builds doubled strings lazily, so under a slow (race) build
		// the clock may stop this one before the memory watch does, and its
		// retry may find the first run still stuck in a built-in: each is a
		// clear stop of the hostile run alone.
		{"string doubling", `function handler(webhook) { let s = "x"; for (;;) s += s }`, "memory limit exceeded|did not finish within 2s|still stuck"},
		{"huge output", `function handler(webhook) { webhook.payload = { blob: "x".repeat(1100000) }; return webhook }`, "larger than 1048576 bytes"},
		{"tampering", `Object.prototype.toJSON = function () { return "tampered" };
			Array.prototype.map = function () { return [] };
			function handler(webhook) { JSON.stringify = () => "{}"; String.prototype.trim = null; return webhook }`, ""},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The memory budget of a run counts from the collector's goal
			// (see package js); collect what the previous case left, so
			// that every case starts alike.
			runtime.GC()
			// Forced: the save check refuses most of these handlers.
			hostile := h.createEndpoint(map[string]any{"name": tc.name, "url": receiver.URL + "/hostile",
				"transformation": map[string]any{"code": tc.code}, "force": true})
			defer h.mustAs(adminToken, "DELETE", "/api/v1/apps/default/endpoints/"+hostile.ID, nil, http.StatusNoContent)
			before := len(seg.Accepted())
			posted := time.Now()
			var msgIDs []string
			for j := range 3 {
				msgIDs = append(msgIDs, h.postMessage("payment.succeeded", payload, tc.name+string(rune('a'+i))+string(rune('a'+j))).ID)
			}
			waitFor(t, "the ordinary deliveries", func() bool { return len(seg.Accepted()) == before+3 })
			// Held up behind the hostile deliveries, the ordinary ones would
			// wait for all six hostile runs (three events, two attempts,
			// one at a time in the endpoint's lane, each up to the 2 s
			// limit): 12 s. Beside them, they finish well within 10 s, even
			// under the race detector on a busy machine.
			if took := time.Since(posted); took > 10*time.Second {
				t.Errorf("the ordinary deliveries took %v beside the hostile ones", took)
			}
			for _, id := range msgIDs {
				// A bound, not a wait. The hostile endpoint's runs go one at
				// a time (its admission lane), and a run stuck in a built-in
				// holds the lane until the built-in ends, which for string
				// doubling under the race detector on a busy machine takes
				// from several times the time limit to minutes; a retry that
				// waits longer than its admission wait is handed back
				// meanwhile. So a hostile delivery still pending at the
				// bound passes if its attempt failed saying what happened:
				// its retry waits for that built-in, and only it does.
				deliveries := settledDeliveries(h, id, 2*time.Minute)
				if len(deliveries) != 2 {
					t.Errorf("message %s has %d deliveries, want one to each of the two endpoints", id, len(deliveries))
				}
				for _, d := range deliveries {
					wanted := containsAny(d.LastError, strings.Split(tc.wantError, "|"))
					switch {
					case d.EndpointID == ordinary.ID:
						if d.Status != hookbridge.DeliverySucceeded {
							t.Errorf("ordinary delivery %s %q", d.Status, d.LastError)
						}
					case tc.wantError == "": // tampering hurts only the tamperer's own runtime
						if d.Status != hookbridge.DeliverySucceeded {
							t.Errorf("%s %q", d.Status, d.LastError)
						}
					case d.Status == hookbridge.DeliveryPending && d.Attempts > 0 && wanted:
						t.Logf("%s still pending after %d failed attempt(s): %q", d.ID, d.Attempts, d.LastError)
					case d.Status != hookbridge.DeliveryFailed || !wanted:
						t.Errorf("%s %q, want failed with %q", d.Status, d.LastError, tc.wantError)
					}
				}
			}
		})
	}
	// Segment got exactly the ordinary events: no tampering reached
	// another endpoint's runtime.
	for _, ev := range seg.Accepted() {
		if strings.Contains(toJSON(ev), "tampered") {
			t.Errorf("tampering reached another endpoint: %s", toJSON(ev))
		}
	}
	h.mustAs("", "GET", "/healthz", nil, http.StatusOK)
}

// settledDeliveries returns a message's deliveries once none is pending,
// or as they are when bound has passed.
func settledDeliveries(h *harness, msgID string, bound time.Duration) []hookbridge.Delivery {
	deadline := time.Now().Add(bound)
	for {
		var msg struct {
			Deliveries []hookbridge.Delivery `json:"deliveries"`
		}
		h.mustCall("GET", "/api/v1/apps/default/messages/"+msgID, nil, http.StatusOK, &msg)
		pending := slices.ContainsFunc(msg.Deliveries, func(d hookbridge.Delivery) bool { return d.Status == hookbridge.DeliveryPending })
		if (len(msg.Deliveries) > 0 && !pending) || time.Now().After(deadline) {
			return msg.Deliveries
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
