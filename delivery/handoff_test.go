package delivery_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
)

// countingStore counts the deliveries its claims return.
type countingStore struct {
	delivery.Store
	claimed atomic.Int64
}

func (s *countingStore) Claim(ctx context.Context, q hookbridge.ClaimQuery) ([]*hookbridge.Claim, error) {
	claims, err := s.Store.Claim(ctx, q)
	s.claimed.Add(int64(len(claims)))
	return claims, err
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
	counting := &countingStore{Store: r.store}
	r.d = delivery.New(counting, r.planner, r.sender, noJitter, delivery.Config{Workers: 4, Clock: r.clock}, nil)
	r.store.SetHandOff(r.d, nil)
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
