// Package groupcommit runs together the work that concurrent callers bring
// at once — a group commit without a timer. The caller that finds no group
// running runs every item waiting, in groups of at most Max, and goes on
// while more wait; the others wait for their own item's result. An item
// that arrives alone runs at once.
package groupcommit

import (
	"context"
	"sync"
	"time"
)

// Group runs items in groups. Its zero value is not usable: set Run.
type Group[T, R any] struct {
	// Run runs a group and returns one result per item, in order.
	Run func(ctx context.Context, items []T) []R
	// Max caps the items of one group.
	Max int
	// Timeout bounds the groups one caller runs for everyone (zero: no
	// bound). Those groups run on a context of their own, so that one
	// caller's cancellation does not fail the others' items.
	Timeout time.Duration

	mu      sync.Mutex
	waiting []*pending[T, R]
	running bool
}

type pending[T, R any] struct {
	item T
	done chan R
}

// Do runs item with those that wait beside it and returns its result.
func (g *Group[T, R]) Do(ctx context.Context, item T) R {
	p := &pending[T, R]{item: item, done: make(chan R, 1)}
	g.mu.Lock()
	g.waiting = append(g.waiting, p)
	if g.running {
		g.mu.Unlock()
		return <-p.done
	}
	g.running = true
	ctx = context.WithoutCancel(ctx)
	if g.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, g.Timeout)
		defer cancel()
	}
	for len(g.waiting) > 0 {
		group := g.waiting[:min(len(g.waiting), max(g.Max, 1))]
		g.waiting = g.waiting[len(group):]
		g.mu.Unlock()
		g.run(ctx, group)
		g.mu.Lock()
	}
	g.running = false
	g.mu.Unlock()
	return <-p.done
}

// run runs one group and hands each item its result.
func (g *Group[T, R]) run(ctx context.Context, group []*pending[T, R]) {
	items := make([]T, len(group))
	for i, p := range group {
		items[i] = p.item
	}
	results := g.Run(ctx, items)
	for i, p := range group {
		p.done <- results[i]
	}
}

// Waiting reports how many items wait for a group.
func (g *Group[T, R]) Waiting() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.waiting)
}
