package delivery_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/webhook/webhooktest"
)

// countingStore counts its claims and the deliveries they return.
type countingStore struct {
	delivery.Store
	claims, claimed atomic.Int64
}

func (s *countingStore) Claim(ctx context.Context, q hookbridge.ClaimQuery) ([]*hookbridge.Claim, error) {
	claims, err := s.Store.Claim(ctx, q)
	s.claims.Add(1)
	s.claimed.Add(int64(len(claims)))
	return claims, err
}

// handingOver makes r's dispatcher take the deliveries its store hands
// over, with a poll so slow that only what the dispatcher is told or sees
// makes it claim; it returns the store's claims counted.
func handingOver(t *testing.T, r *rig) *countingStore {
	t.Helper()
	counting := &countingStore{Store: r.store}
	r.d = delivery.New(counting, r.planner, r.sender, noJitter, delivery.Config{Workers: 4, Clock: r.clock, PollInterval: time.Hour}, nil)
	r.store.SetHandOff(r.d, nil)
	return counting
}

// delivered waits until each message's delivery to e succeeded.
func delivered(t *testing.T, r *rig, e *hookbridge.Endpoint, msgs ...*hookbridge.Message) {
	t.Helper()
	for _, m := range msgs {
		if !waitFor(func() bool { return r.deliveryOf(m, e).Status == hookbridge.DeliverySucceeded }) {
			t.Fatalf("delivery of %s: %+v, want succeeded", m.ID, r.deliveryOf(m, e))
		}
	}
}

// runDispatcher runs r.d until the test ends and waits until it takes
// reservations.
func runDispatcher(t *testing.T, r *rig) {
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
	if !waitFor(func() bool {
		if r.d.Reserve("probe") {
			r.d.Unreserve("probe")
			return true
		}
		return false
	}) {
		t.Fatal("the dispatcher never took a reservation")
	}
}

// TestFreshDeliveriesAreHandedOverWithoutAClaim: with the store handing
// over to the dispatcher, a message's delivery reaches its destination
// and is recorded, and no claim ever returned it.
func TestFreshDeliveriesAreHandedOverWithoutAClaim(t *testing.T) {
	r := newRig(t)
	counting := handingOver(t, r)
	ep := r.segmentEndpoint()
	runDispatcher(t, r)

	msg := r.post("")

	if !waitFor(func() bool { return r.deliveryOf(msg, ep).Status == hookbridge.DeliverySucceeded }) {
		t.Fatalf("delivery %+v, want succeeded", r.deliveryOf(msg, ep))
	}
	if n := len(r.seg.Requests()); n != 1 {
		t.Errorf("Segment got %d requests, want 1", n)
	}
	if n := counting.claimed.Load(); n != 0 {
		t.Errorf("claims returned %d deliveries, want none: it was handed over", n)
	}
}

// TestDeliveriesHandedOverAndDeliveredCostNoClaim: once every fresh
// delivery is handed over and delivered, neither ingest nor a freed
// worker makes the dispatcher claim: there would be nothing to find.
func TestDeliveriesHandedOverAndDeliveredCostNoClaim(t *testing.T) {
	r := newRig(t)
	counting := handingOver(t, r)
	ep := r.segmentEndpoint()
	runDispatcher(t, r)
	delivered(t, r, ep, r.post(""))
	before := counting.claims.Load()

	for range 10 { // one by one, so that a worker is always free
		delivered(t, r, ep, r.post(""))
	}
	time.Sleep(20 * time.Millisecond) // a claim a freed worker caused would be made by now

	if n := counting.claims.Load() - before; n != 0 {
		t.Errorf("the dispatcher claimed %d times for deliveries handed over, want never", n)
	}
}

// TestWhatTheHandOverLeavesIsClaimedWithoutWaitingForThePoll: deliveries
// the store keeps for the claim are claimed as soon as they may be, with
// the poll an hour away: an ordered endpoint's (the store tells of them),
// the next of an ordered key once the one before it is done (a claimed
// delivery ended), and those beyond an endpoint's share of the workers
// (refused a reservation; claimed once one of the endpoint's workers is
// free, though the claim that the refusal caused found nothing).
func TestWhatTheHandOverLeavesIsClaimedWithoutWaitingForThePoll(t *testing.T) {
	t.Run("ordered", func(t *testing.T) {
		r := newRig(t)
		handingOver(t, r)
		to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
		e := r.webhookEndpoint(to, func(e *hookbridge.Endpoint) { e.Ordering = hookbridge.Ordering{Enabled: true} })
		runDispatcher(t, r)

		delivered(t, r, e, r.post("cus_x"), r.post("cus_x"), r.post("cus_x"))
	})
	t.Run("beyond the endpoint's share", func(t *testing.T) {
		r := newRig(t)
		counting := handingOver(t, r)
		to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now), webhooktest.WithLatency(100*time.Millisecond))
		e := r.webhookEndpoint(to)
		runDispatcher(t, r)

		var msgs []*hookbridge.Message
		for range 5 { // three are handed over: three quarters of four workers
			msgs = append(msgs, r.post(""))
		}
		delivered(t, r, e, msgs...)
		if n := counting.claimed.Load(); n != 2 {
			t.Errorf("claims returned %d deliveries, want the two beyond the endpoint's share", n)
		}
	})
}

// TestReservationsKeepWithinTheWorkersAndEachEndpointsShare: reservations
// count as work in flight: no more than the workers, no more for one
// endpoint than its share (three quarters of four workers: three), none
// while the dispatcher is not running.
func TestReservationsKeepWithinTheWorkersAndEachEndpointsShare(t *testing.T) {
	r := newRig(t, workers(4))
	if r.d.Reserve("a") {
		t.Fatal("reserved before Run")
	}
	ctx, cancel := context.WithCancel(t.Context())
	stopped := make(chan error, 1)
	go func() { stopped <- r.d.Run(ctx) }()
	if !waitFor(func() bool { return r.d.Reserve("a") }) {
		t.Fatal("the dispatcher never took a reservation")
	}

	steps := []struct {
		endpoint string
		want     bool
	}{
		{"a", true}, {"a", true}, {"a", false}, // a's share is three
		{"b", true}, {"c", false}, // four workers
	}
	for i, st := range steps {
		if got := r.d.Reserve(st.endpoint); got != st.want {
			t.Fatalf("step %d: Reserve(%s) = %v, want %v", i, st.endpoint, got, st.want)
		}
	}
	r.d.Unreserve("a")
	if !r.d.Reserve("c") {
		t.Error("a freed reservation was not available")
	}
	for _, e := range []string{"a", "a", "b", "c"} {
		r.d.Unreserve(e)
	}

	cancel()
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return once every reservation was given back")
	}
	if r.d.Reserve("a") {
		t.Error("reserved after Run returned")
	}
}
