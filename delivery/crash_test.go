package delivery_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/builtin"
	"github.com/hookbridge/hookbridge/integration/webhook/webhooktest"
)

// crashingTransformer answers with the error of a run that crashed the
// JavaScript runtime at the calls listed in crashAt (1-based), and with
// the real transformation's answer otherwise.
type crashingTransformer struct {
	hookbridge.Transformer
	crashAt map[int]bool

	mu    sync.Mutex
	calls int
}

func (c *crashingTransformer) Transform(ctx context.Context, key, code string, in hookbridge.TransformInput) (*hookbridge.TransformOutput, error) {
	c.mu.Lock()
	c.calls++
	crash := c.crashAt[c.calls]
	c.mu.Unlock()
	if crash {
		return nil, &hookbridge.CodeError{Kind: "crash", Message: "the JavaScript runtime crashed while running this code"}
	}
	return c.Transformer.Transform(ctx, key, code, in)
}

func (r *rig) transformedEndpoint(to *webhooktest.Server) *hookbridge.Endpoint {
	return r.webhookEndpoint(to, func(e *hookbridge.Endpoint) {
		e.Transformation = hookbridge.Transformation{Code: "function handler(webhook) { return webhook }", Enabled: true}
	})
}

// TestATransformationThatCrashesTwiceInARowFails checks that a delivery
// whose transformation crashed the runtime is retried once, and failed
// for good when it crashes again, rather than retried on the whole
// schedule.
func TestATransformationThatCrashesTwiceInARowFails(t *testing.T) {
	r := newRig(t)
	r.planner.Transformer = &crashingTransformer{Transformer: r.planner.Transformer, crashAt: map[int]bool{1: true, 2: true}}
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	e := r.transformedEndpoint(to)
	m := r.post("")

	r.run()
	if d := r.deliveryOf(m, e); d.Status != hookbridge.DeliveryPending || !strings.Contains(d.LastError, "a second crash in a row fails") {
		t.Fatalf("after one crash: %s %q, want pending, to be tried once more", d.Status, d.LastError)
	}
	d := r.settle(m, e)
	if d.Status != hookbridge.DeliveryFailed || d.Attempts != 2 || !strings.Contains(d.LastError, "crashed the JavaScript runtime at two attempts in a row") {
		t.Fatalf("delivery %s after %d attempts: %q; want failed after 2 crashes", d.Status, d.Attempts, d.LastError)
	}
	if len(to.Requests()) != 0 {
		t.Errorf("%d requests sent, want none", len(to.Requests()))
	}
}

// TestACrashFollowedBySuccessDelivers checks that one crash is only
// retried: the next attempt, which does not crash, delivers.
func TestACrashFollowedBySuccessDelivers(t *testing.T) {
	r := newRig(t)
	r.planner.Transformer = &crashingTransformer{Transformer: r.planner.Transformer, crashAt: map[int]bool{1: true}}
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	e := r.transformedEndpoint(to)
	m := r.post("")
	if d := r.settle(m, e); d.Status != hookbridge.DeliverySucceeded || d.Attempts != 2 {
		t.Fatalf("delivery %s after %d attempts (%q), want succeeded at the second", d.Status, d.Attempts, d.LastError)
	}
}

// manyHeaders is a Transformer that sets n headers, as no sandbox
// allows, to time merging them into the request.
type manyHeaders struct{ n int }

func (*manyHeaders) Check(string) error { return nil }

func (m *manyHeaders) Transform(_ context.Context, _, _ string, in hookbridge.TransformInput) (*hookbridge.TransformOutput, error) {
	out := &hookbridge.TransformOutput{URL: in.URL, Method: "POST", Payload: in.Payload, Changed: true,
		Headers: make(map[string]string, m.n)}
	for i := range m.n {
		out.Headers["X-H"+strconv.Itoa(i)] = "v"
	}
	return out, nil
}

// TestPlanMergesHeadersInLinearTime plans a request with 50,000 headers
// from the transformation over the endpoint's own: merging them was
// quadratic (each one scanned all the others, minutes for 100,000).
// It also checks that a header set in another letter case replaces the
// endpoint's.
func TestPlanMergesHeadersInLinearTime(t *testing.T) {
	const n = 50_000
	p := &delivery.Planner{Integrations: hookbridge.NewIntegrations(builtin.All()...), Transformer: &manyHeaders{n: n}}
	ep := &hookbridge.Endpoint{ID: "ep_1", Integration: "webhook", URL: "https://hooks.example.com/in",
		Headers:        map[string]string{"x-h7": "endpoint's", "X-Team": "payments"},
		Transformation: hookbridge.Transformation{Code: "function handler(w) { return w }", Enabled: true}}
	start := time.Now()
	plan, err := p.Plan(t.Context(), ep, delivery.Input{MessageID: "msg_1", EventType: "payment.succeeded",
		Payload: []byte(`{"type":"payment.succeeded"}`), CreatedAt: t0}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("planning %d headers took %v", n, elapsed)
	}
	h := plan.Request.Headers
	if h["X-H7"] != "v" || h["x-h7"] != "" || h["X-Team"] != "payments" {
		t.Errorf("X-H7=%q x-h7=%q X-Team=%q; want the transformation's X-H7 in place of the endpoint's x-h7, and X-Team kept", h["X-H7"], h["x-h7"], h["X-Team"])
	}
}
