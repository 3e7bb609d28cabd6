package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/customerio/customeriotest"
	"github.com/hookbridge/hookbridge/integration/segment/segmenttest"
	"github.com/hookbridge/hookbridge/node"
)

// TestStopMidDeliveryAndRestartLosesNothing stops a node while deliveries
// are in flight to a slow destination (interrupting them: the grace is
// shorter than the destination's latency), restarts it on the same data
// directory, and checks every accepted message arrives, each once under
// its own idempotency key. The node has few workers, so that most
// deliveries are still queued when it stops, however fast it took the
// messages in: with as many workers as messages, all could be in flight,
// and answered within the grace, before the stop.
func TestStopMidDeliveryAndRestartLosesNothing(t *testing.T) {
	seg := segmenttest.New(t, segmenttest.WithLatency(150*time.Millisecond))
	cio := customeriotest.New(t)
	dir := t.TempDir()
	h := start(t, seg, cio, withDataDir(dir), withShutdownGrace(50*time.Millisecond),
		configure(func(c *node.Config) { c.Workers = 4 }))
	segmentEndpoint(h, seg.Credentials())
	payload, _ := sample(t, "payment.succeeded")
	const total = 40
	ids := make([]string, total)
	for i := range ids {
		ids[i] = h.postMessage("payment.succeeded", payload, "").ID
	}
	waitFor(t, "some deliveries in flight", func() bool { return len(seg.Requests()) > 0 })
	h.stop()
	sentBefore := len(seg.Requests())
	if sentBefore >= total {
		t.Fatalf("all %d were sent before the stop; the test did not interrupt anything", total)
	}

	h2 := start(t, seg, cio, withDataDir(dir))
	keys := map[string]bool{}
	for _, id := range ids {
		msg, dels := h2.message(id)
		_ = msg
		if len(dels) != 1 {
			t.Fatalf("message %s has %d deliveries", id, len(dels))
		}
	}
	for _, id := range ids {
		dels := h2.waitDeliveries(id)
		if dels[0].Status != hookbridge.DeliverySucceeded {
			t.Fatalf("message %s: delivery %+v, want succeeded after the restart", id, dels[0])
		}
		msg, _ := h2.message(id)
		keys[hookbridge.IdempotencyKey(msg.ID, dels[0].EndpointID, msg.CreatedAt)] = true
	}
	accepted := map[string]bool{}
	for _, e := range seg.Accepted() {
		accepted[e.MessageID] = true
	}
	for k := range keys {
		if !accepted[k] {
			t.Errorf("message with key %s never reached Segment", k)
		}
	}
	if len(accepted) != total {
		t.Errorf("Segment accepted %d distinct messages, want %d", len(accepted), total)
	}
	for _, d := range seg.Duplicates() {
		if !keys[d.MessageID] {
			t.Errorf("a duplicate carried an unknown key %s", d.MessageID)
		}
	}
	t.Logf("%d requests before the stop, %d in all, %d duplicates (interrupted in flight)", sentBefore, len(seg.Requests()), len(seg.Duplicates()))
}

// TestAbandonedLeasesAreTakenBack simulates a process that claimed
// deliveries and died without a word, leaving hour-long leases: the next
// node on the data directory holds it alone, so it takes those leases back
// as it opens and delivers at once, not when they expire.
func TestAbandonedLeasesAreTakenBack(t *testing.T) {
	seg, cio := newFakes(t)
	dir := t.TempDir()
	h := start(t, seg, cio, withDataDir(dir))
	h.stop() // keep the data, stop its dispatcher

	ctx := context.Background()
	n, err := node.Open(ctx, node.Config{DataDir: dir, AdminToken: adminToken})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	ep := &hookbridge.Endpoint{ID: hookbridge.NewID("ep"), AppID: "default", Name: "seg", Integration: "segment",
		Credentials: seg.Credentials(), EventTypes: []string{},
		Transformation: hookbridge.Transformation{Code: templateByID(t, "segment", "payment-events").Code, Enabled: true},
		Version:        1, CreatedAt: now, UpdatedAt: now}
	if err := n.Store.CreateEndpoint(ctx, ep); err != nil {
		t.Fatal(err)
	}
	payload, _ := sample(t, "payment.succeeded")
	for range 5 {
		if _, err := n.Store.CreateMessage(ctx, &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: "default",
			EventType: "payment.succeeded", EventID: hookbridge.NewID("evt"), Payload: payload, CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	claims, err := n.Store.ClaimDeliveries(ctx, time.Now(), 10, time.Hour)
	if err != nil || len(claims) != 5 {
		t.Fatalf("claimed %d (%v), want 5", len(claims), err)
	}
	// The claimer "dies" here: its lock goes, its leases stay.
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	start(t, seg, cio, withDataDir(dir))
	waitFor(t, "all five delivered long before the leases expire", func() bool { return len(seg.Accepted()) == 5 })
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
