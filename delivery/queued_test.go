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

// countingStore counts the claims of what is due and the deliveries they
// return, and the claims of queued deliveries by their ids.
type countingStore struct {
	delivery.Store
	dueClaims, dueClaimed, listedClaims, listedClaimed atomic.Int64
}

func (s *countingStore) Claim(ctx context.Context, q hookbridge.ClaimQuery) ([]*hookbridge.Claim, error) {
	claims, err := s.Store.Claim(ctx, q)
	if len(q.IDs) > 0 {
		s.listedClaims.Add(1)
		s.listedClaimed.Add(int64(len(claims)))
	} else {
		s.dueClaims.Add(1)
		s.dueClaimed.Add(int64(len(claims)))
	}
	return claims, err
}

// counted makes r's dispatcher claim through a countingStore (four
// workers unless cfg says otherwise), with a poll
// so slow that only what the dispatcher is told or sees makes it claim,
// and returns the store.
//
// A dispatcher's first claim looks for whatever is due; a test that posts
// after starting it waits for that claim (started), so that the claim
// does not take what the test means to be claimed by id.
func counted(t *testing.T, r *rig, cfg ...delivery.Config) *countingStore {
	t.Helper()
	counting := &countingStore{Store: r.store}
	c := delivery.Config{Workers: 4}
	if len(cfg) > 0 {
		c = cfg[0]
	}
	c.Clock, c.PollInterval = r.clock, time.Hour
	r.d = delivery.New(counting, r.planner, r.sender, noJitter, c, nil)
	return counting
}

// started waits until a dispatcher claiming through counting made its
// first claim.
func started(t *testing.T, counting *countingStore) {
	t.Helper()
	if !waitFor(func() bool { return counting.dueClaims.Load() > 0 }) {
		t.Fatal("the dispatcher never claimed")
	}
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

// runDispatcher runs r.d until the test ends.
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
}

// TestQueuedDeliveriesAreClaimedByTheirIDs: a message's delivery that
// ingest queued reaches its destination and is recorded, claimed by its
// id; no claim of what is due returns it.
func TestQueuedDeliveriesAreClaimedByTheirIDs(t *testing.T) {
	r := newRig(t)
	counting := counted(t, r)
	ep := r.segmentEndpoint()
	runDispatcher(t, r)
	started(t, counting)
	msg := r.post("")

	delivered(t, r, ep, msg)
	if n := len(r.seg.Requests()); n != 1 {
		t.Errorf("Segment got %d requests, want 1", n)
	}
	if n := counting.listedClaimed.Load(); n != 1 {
		t.Errorf("claims by id returned %d deliveries, want 1", n)
	}
	if n := counting.dueClaimed.Load(); n != 0 {
		t.Errorf("claims of what is due returned %d deliveries, want none: it was claimed by its id", n)
	}
}

// TestQueuedAndDeliveredCostNoClaimOfWhatIsDue: once every queued
// delivery is claimed by its id and delivered, neither ingest nor a freed
// worker makes the dispatcher claim what is due: it would find nothing.
func TestQueuedAndDeliveredCostNoClaimOfWhatIsDue(t *testing.T) {
	r := newRig(t)
	counting := counted(t, r)
	ep := r.segmentEndpoint()
	runDispatcher(t, r)
	started(t, counting)
	delivered(t, r, ep, r.post(""))
	before := counting.dueClaims.Load()

	for range 10 { // one by one, so that a worker is always free
		delivered(t, r, ep, r.post(""))
	}
	time.Sleep(20 * time.Millisecond) // a claim a freed worker caused would be made by now

	if n := counting.dueClaims.Load() - before; n != 0 {
		t.Errorf("the dispatcher claimed what is due %d times for deliveries claimed by id, want never", n)
	}
	if n := counting.listedClaims.Load(); n < 11 {
		t.Errorf("%d claims by id for 11 messages posted one by one, want 11", n)
	}
}

// TestAQueuedDeliveryAlreadyStartedIsNotClaimedAgain: news of a queued
// delivery that a claim of what is due has started already (ingest's news
// came late) makes no claim by its id, which would miss it, and so no
// claim of what is due for deliveries the miss would seem to have passed
// over.
func TestAQueuedDeliveryAlreadyStartedIsNotClaimedAgain(t *testing.T) {
	r := newRig(t)
	counting := counted(t, r)
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now), webhooktest.WithLatency(time.Second))
	e := r.webhookEndpoint(to)
	msg, queued := r.storeEvent("payment.succeeded", "")
	runDispatcher(t, r)
	if !waitFor(func() bool { return counting.dueClaimed.Load() == 1 }) {
		t.Fatal("the first claim of what is due did not start the stored delivery")
	}

	r.d.Queued(queued)                // while its request is in flight
	time.Sleep(50 * time.Millisecond) // a claim the news caused would be made by now
	if n := counting.listedClaims.Load(); n != 0 {
		t.Errorf("%d claims by id for a delivery in flight, want none", n)
	}
	if n := counting.dueClaims.Load(); n != 1 {
		t.Errorf("%d claims of what is due, want only the first", n)
	}
	delivered(t, r, e, msg)
}

// TestWhatTheClaimByIDLeavesIsClaimedWithoutWaitingForThePoll: queued
// deliveries that a claim by id may not take yet are claimed as soon as
// they may be, with the poll an hour away: the next of an ordered key
// once the one before it is done, and those beyond an endpoint's share of
// the workers, once one of the endpoint's workers is free.
func TestWhatTheClaimByIDLeavesIsClaimedWithoutWaitingForThePoll(t *testing.T) {
	t.Run("ordered", func(t *testing.T) {
		r := newRig(t)
		counted(t, r)
		to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
		e := r.webhookEndpoint(to, func(e *hookbridge.Endpoint) { e.Ordering = hookbridge.Ordering{Enabled: true} })
		runDispatcher(t, r)

		delivered(t, r, e, r.post("cus_x"), r.post("cus_x"), r.post("cus_x"))
	})
	t.Run("beyond the endpoint's share", func(t *testing.T) {
		r := newRig(t)
		counting := counted(t, r)
		to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now), webhooktest.WithLatency(100*time.Millisecond))
		e := r.webhookEndpoint(to)
		var msgs []*hookbridge.Message
		for range 4 { // queued before Run: claimed together, as many as the workers
			msgs = append(msgs, r.post(""))
		}
		runDispatcher(t, r)

		delivered(t, r, e, msgs...)
		if n := counting.listedClaimed.Load(); n != 3 {
			t.Errorf("claims by id returned %d deliveries, want three: three quarters of four workers", n)
		}
		if n := counting.dueClaimed.Load(); n != 1 {
			t.Errorf("claims of what is due returned %d deliveries, want the one beyond the endpoint's share", n)
		}
	})
}

// TestQueuedDeliveriesDoNotPassOlderOnesLeftInTheStore: a delivery the
// claim by id left in the store (its endpoint was at its cap) goes before
// deliveries queued after it, once the endpoint has room again.
func TestQueuedDeliveriesDoNotPassOlderOnesLeftInTheStore(t *testing.T) {
	r := newRig(t)
	counting := counted(t, r, delivery.Config{Workers: 2, EndpointConcurrency: 1})
	slow := webhooktest.New(t, webhooktest.WithClock(r.clock.Now), webhooktest.WithLatency(200*time.Millisecond))
	slower := webhooktest.New(t, webhooktest.WithClock(r.clock.Now), webhooktest.WithLatency(600*time.Millisecond))
	e := r.webhookEndpoint(slow, func(e *hookbridge.Endpoint) { e.EventTypes = []string{"payment.succeeded"} })
	other := r.webhookEndpoint(slower, func(e *hookbridge.Endpoint) { e.EventTypes = []string{"refund.succeeded"} })
	runDispatcher(t, r)
	started(t, counting)
	settle := func() { time.Sleep(30 * time.Millisecond) } // the dispatcher takes in what was posted

	first := r.post("") // the endpoint's one in flight
	settle()
	left := r.post("") // left in the store
	settle()
	busy := r.postType("refund.succeeded") // the other worker
	settle()
	later := []*hookbridge.Message{r.post(""), r.post("")} // queued with no worker free
	delivered(t, r, e, append([]*hookbridge.Message{first, left}, later...)...)
	delivered(t, r, other, busy)

	var arrived []string
	for _, m := range slow.Accepted() {
		arrived = append(arrived, m.ID)
	}
	var want []string
	for _, m := range append([]*hookbridge.Message{first, left}, later...) {
		want = append(want, hookbridge.IdempotencyKey(m.ID, e.ID, m.CreatedAt))
	}
	if !slices.Equal(arrived, want) {
		t.Errorf("arrived in the order %v, want the order of posting %v", arrived, want)
	}
}
