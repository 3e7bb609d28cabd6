package delivery_test

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/webhook/webhooktest"
)

// runUntilTestEnds runs r.d with Run until the test ends.
func runUntilTestEnds(t *testing.T, r *rig) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	stopped := make(chan error, 1)
	go func() { stopped <- r.d.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-stopped; err != nil {
			t.Errorf("run: %v", err)
		}
	})
}

// slowPoll is a poll interval that no test outlasts: what a test sees
// done, the wake time did.
func slowPoll(c *delivery.Config) { c.PollInterval = time.Hour }

// TestARetryIsSentWhenDueNotAtThePoll: a retry the dispatcher recorded is
// claimed as soon as the (fake) clock reaches its time, with a poll that
// never comes.
func TestARetryIsSentWhenDueNotAtThePoll(t *testing.T) {
	r := newRig(t, slowPoll)
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	to.FailNext(1, 503)
	e := r.webhookEndpoint(to)
	msg := r.post("")
	runUntilTestEnds(t, r)
	if !waitFor(func() bool { return r.deliveryOf(msg, e).Attempts == 1 }) {
		t.Fatalf("the first attempt was not made: %+v", r.deliveryOf(msg, e))
	}
	due := r.deliveryOf(msg, e).NextAttemptAt
	if !due.Equal(t0.Add(5 * time.Second)) {
		t.Fatalf("retry due at +%v, want +5s", due.Sub(t0))
	}
	r.clock.Set(due.Add(-time.Millisecond))
	time.Sleep(100 * time.Millisecond)
	if n := len(to.Requests()); n != 1 {
		t.Fatalf("%d requests before the retry is due, want 1", n)
	}
	r.clock.Set(due)
	if !waitFor(func() bool { return r.deliveryOf(msg, e).Status == hookbridge.DeliverySucceeded }) {
		t.Fatalf("the retry was not sent when due: %+v", r.deliveryOf(msg, e))
	}
}

// TestWorkQueuedBeforeTheStartIsSentWhenDue: a delivery due later that
// this dispatcher did not schedule (another process did, or this one
// before a restart) is claimed when due: the store says when.
func TestWorkQueuedBeforeTheStartIsSentWhenDue(t *testing.T) {
	r := newRig(t, slowPoll)
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	e := r.webhookEndpoint(to)
	r.clock.Set(t0.Add(3 * time.Second))
	msg := r.post("") // due at +3 s
	r.clock.now = t0  // back to the start, before anything runs
	runUntilTestEnds(t, r)
	if !waitFor(func() bool { return r.clock.Timers() > 0 }) {
		t.Fatal("the dispatcher set no timer")
	}
	if d := r.deliveryOf(msg, e); d.Attempts != 0 {
		t.Fatalf("delivery %+v attempted before it was due", d)
	}
	r.clock.Set(t0.Add(3 * time.Second))
	if !waitFor(func() bool { return r.deliveryOf(msg, e).Status == hookbridge.DeliverySucceeded }) {
		t.Fatalf("the delivery was not sent when due: %+v", r.deliveryOf(msg, e))
	}
}

// claimCap is a store that keeps the most deliveries of one endpoint a
// single claim leased.
type claimCap struct {
	delivery.Store
	endpointID string
	most       atomic.Int64
}

func (s *claimCap) Claim(ctx context.Context, q hookbridge.ClaimQuery) ([]*hookbridge.Claim, error) {
	claims, err := s.Store.Claim(ctx, q)
	n := int64(0)
	for _, c := range claims {
		if c.Delivery.EndpointID == s.endpointID {
			n++
		}
	}
	if n > s.most.Load() {
		s.most.Store(n)
	}
	return claims, err
}

// drain runs r until every message's delivery to e is settled, moving the
// clock on 10 ms whenever nothing is due.
func drain(t *testing.T, r *rig, e *hookbridge.Endpoint, msgs []*hookbridge.Message) {
	t.Helper()
	for range 10000 {
		if r.run() > 0 {
			continue
		}
		if !slices.ContainsFunc(msgs, func(m *hookbridge.Message) bool {
			return r.deliveryOf(m, e).Status == hookbridge.DeliveryPending
		}) {
			return
		}
		r.clock.Advance(10 * time.Millisecond)
	}
	t.Fatal("the backlog never drained")
}

// TestABacklogIsClaimedAsFarAsItsRateLimitLetsGo: a rate-limited
// endpoint's backlog is claimed only as far as its limit lets go in half
// of MaxThrottleWait (20 a second: 1 + 5 in 250 ms), so that every request
// waits its turn and none is handed back.
func TestABacklogIsClaimedAsFarAsItsRateLimitLetsGo(t *testing.T) {
	var seen recorder
	r := newRig(t, workers(8), observedBy(&seen))
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	e := r.webhookEndpoint(to, func(e *hookbridge.Endpoint) { e.RateLimit = 20 })
	counting := &claimCap{Store: r.store, endpointID: e.ID}
	r.d = delivery.New(counting, r.planner, r.sender, noJitter, delivery.Config{Workers: 8, Clock: r.clock, Observer: &seen}, nil)
	var msgs []*hookbridge.Message
	for range 12 {
		msgs = append(msgs, r.post(""))
	}
	drain(t, r, e, msgs)
	for _, m := range msgs {
		if d := r.deliveryOf(m, e); d.Status != hookbridge.DeliverySucceeded || d.Attempts != 1 {
			t.Fatalf("delivery %+v, want succeeded at its first attempt", d)
		}
	}
	if most := counting.most.Load(); most != 6 {
		t.Errorf("a claim leased %d of the endpoint's deliveries at once, want 6", most)
	}
	if slices.Contains(seen.finished, hookbridge.DeliveryPending) {
		t.Errorf("outcomes %v: a delivery was handed back to wait for its turn", seen.finished)
	}
}

// TestALimitPerPeriodSpacesRequestsOverThePeriod: 5 per 2 s sends one
// request every 400 ms and the 2 % guard. A turn that far away is more
// than a worker waits: each delivery after the first is handed back until
// shortly before its turn, and sent at it.
func TestALimitPerPeriodSpacesRequestsOverThePeriod(t *testing.T) {
	r := newRig(t, workers(8))
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	e := r.webhookEndpoint(to, func(e *hookbridge.Endpoint) {
		e.RateLimit, e.RateLimitPeriod = 5, hookbridge.Duration(2*time.Second)
	})
	var msgs []*hookbridge.Message
	for range 6 {
		msgs = append(msgs, r.post(""))
	}
	drain(t, r, e, msgs)
	var sent []time.Time
	for _, m := range msgs {
		d := r.deliveryOf(m, e)
		if d.Status != hookbridge.DeliverySucceeded || d.Attempts != 1 {
			t.Fatalf("delivery %+v, want succeeded at its first attempt", d)
		}
		sent = append(sent, r.attempts(d)[0].CreatedAt)
	}
	slices.SortFunc(sent, time.Time.Compare)
	for i := 1; i < len(sent); i++ {
		if gap := sent[i].Sub(sent[i-1]); gap != 408*time.Millisecond {
			t.Errorf("request %d left %v after the one before, want 408ms", i, gap)
		}
	}
}
