package node

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/metrics"
)

// forgetEvery is how many heartbeats pass between two sweeps of nodes not
// seen for hookbridge.NodeForgetAfter.
const forgetEvery = 30

// heartbeat keeps this node's row in the store current and, with each
// beat, takes over the leases of nodes that stopped beating, so that their
// deliveries are sent again within about NodeStaleAfter of their death
// rather than when their leases run out. Every node does this; the
// statement is the same whoever runs it, so it needs no leader.
type heartbeat struct {
	store hookbridge.NodeStore
	self  hookbridge.Node
	now   func() time.Time
	// tookOver is told how many leases a beat took over (it wakes the
	// dispatcher: those deliveries are due).
	tookOver func(n int)
	metrics  *metrics.Metrics
	log      *slog.Logger
	beats    int
}

// newHeartbeat makes the heartbeat of a node starting now.
func newHeartbeat(store hookbridge.NodeStore, now func() time.Time, tookOver func(int), m *metrics.Metrics, log *slog.Logger) *heartbeat {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	started := now()
	return &heartbeat{
		store: store, now: now, tookOver: tookOver, metrics: m, log: log,
		self: hookbridge.Node{ID: hookbridge.NewID("node"), Hostname: host, PID: os.Getpid(), StartedAt: started, LastSeenAt: started},
	}
}

// beat records that this node is alive, then takes over the leases of
// nodes not seen for NodeStaleAfter. Beating first keeps a node that was
// paused for longer than that from taking over its own leases.
func (h *heartbeat) beat(ctx context.Context) error {
	now := h.now()
	h.self.LastSeenAt = now
	if err := h.store.Heartbeat(ctx, &h.self); err != nil {
		return err
	}
	taken, err := h.store.TakeOverLeases(ctx, now.Add(-hookbridge.NodeStaleAfter))
	if err != nil {
		return err
	}
	if taken > 0 {
		h.log.InfoContext(ctx, "took over the leases of nodes that stopped", "leases", taken)
		h.metrics.LeasesTakenOver(taken)
		h.tookOver(taken)
	}
	h.beats++
	if h.beats%forgetEvery == 0 {
		if _, err := h.store.ForgetNodes(ctx, now.Add(-hookbridge.NodeForgetAfter)); err != nil {
			return err
		}
	}
	return nil
}

// run beats every NodeHeartbeatInterval until ctx ends. A failed beat is
// logged and the next one tried: if beats fail for NodeStaleAfter, other
// nodes take this one's leases over and its outcomes for them are
// refused, which at-least-once delivery allows.
func (h *heartbeat) run(ctx context.Context) {
	ticker := time.NewTicker(hookbridge.NodeHeartbeatInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if err := h.beat(ctx); err != nil && ctx.Err() == nil {
				h.log.WarnContext(ctx, "node heartbeat", "err", err)
			}
		}
	}
}

// remove deletes this node's row: it stopped, its work finished or handed
// back.
func (h *heartbeat) remove(ctx context.Context) error {
	return h.store.RemoveNode(ctx, h.self.ID)
}
