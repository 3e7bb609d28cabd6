package node

import (
	"cmp"
	"context"

	"github.com/hookbridge/hookbridge/retention"
)

// startPruner runs the retention pruner until ctx ends, if the store keeps
// retention settings (both stores do). The returned channel is closed when
// the pruner has stopped, so that the store is not closed under it.
func (n *Node) startPruner(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	store, ok := n.Store.(retention.Store)
	if !ok {
		n.log.Warn("the store keeps no retention settings: old messages are not pruned")
		close(done)
		return done
	}
	cfg := n.retention
	cfg.Logger = cmp.Or(cfg.Logger, n.log)
	pruner := retention.NewPruner(store, cfg)
	go func() {
		defer close(done)
		pruner.Run(ctx)
	}()
	return done
}
