package delivery_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/webhook/webhooktest"
)

// stuckTransformer stands for a transformation stuck in a built-in past its
// time limit: its first call tells its caller so, as the sandbox does, then
// holds on until release is closed.
type stuckTransformer struct {
	hookbridge.Transformer
	once    sync.Once
	stuck   chan struct{}
	release chan struct{}
}

func (s *stuckTransformer) Transform(ctx context.Context, key, code string, in hookbridge.TransformInput) (*hookbridge.TransformOutput, error) {
	s.once.Do(func() {
		if notice := hookbridge.OverrunNotice(ctx); notice != nil {
			notice()
		}
		close(s.stuck)
		<-s.release
	})
	return s.Transformer.Transform(ctx, key, code, in)
}

// TestAStuckTransformationGivesUpItsWorker runs the dispatcher with one
// worker. The first delivery's transformation gets stuck where the sandbox
// cannot stop it, and says so; the worker goes to the next
// delivery, another endpoint's, which arrives while the first is still
// stuck. The stuck one is recorded when it ends. (The second message goes
// to both endpoints; its delivery to the first waits for the stuck one,
// since one worker allows one delivery per endpoint in flight.)
func TestAStuckTransformationGivesUpItsWorker(t *testing.T) {
	r := newRig(t, workers(1))
	stuck := &stuckTransformer{Transformer: r.planner.Transformer, stuck: make(chan struct{}), release: make(chan struct{})}
	r.planner.Transformer = stuck
	slowTo, otherTo := webhooktest.New(t, webhooktest.WithClock(r.clock.Now)), webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	slow := r.webhookEndpoint(slowTo, func(e *hookbridge.Endpoint) {
		e.Transformation = hookbridge.Transformation{Code: "function handler(webhook) { return webhook }", Enabled: true}
	})
	msg := r.post("")
	other := r.webhookEndpoint(otherTo)
	otherMsg := r.post("")

	ctx, cancel := context.WithCancel(t.Context())
	stopped := make(chan error, 1)
	go func() { stopped <- r.d.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-stopped; err != nil {
			t.Errorf("run: %v", err)
		}
	}()

	select {
	case <-stuck.stuck:
	case <-time.After(5 * time.Second):
		close(stuck.release)
		t.Fatal("the transformation never ran")
	}
	delivered := waitFor(func() bool { return len(otherTo.Requests()) == 1 })
	close(stuck.release)
	if !delivered {
		t.Fatal("the other endpoint's delivery waited for the stuck worker")
	}
	if !waitFor(func() bool { return r.deliveryOf(msg, slow).Status == hookbridge.DeliverySucceeded }) {
		t.Errorf("the stuck delivery was not recorded once it ended: %+v", r.deliveryOf(msg, slow))
	}
	if d := r.deliveryOf(otherMsg, other); d.Status != hookbridge.DeliverySucceeded {
		t.Errorf("other delivery %+v, want succeeded", d)
	}
	if !waitFor(func() bool { return r.deliveryOf(otherMsg, slow).Status == hookbridge.DeliverySucceeded }) {
		t.Errorf("the second message's delivery to the first endpoint: %+v", r.deliveryOf(otherMsg, slow))
	}
	if n := len(otherTo.Requests()); n != 1 {
		t.Errorf("the other endpoint got %d requests, want 1", n)
	}
}

// waitFor polls cond for up to 5 s.
func waitFor(cond func() bool) bool {
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}
