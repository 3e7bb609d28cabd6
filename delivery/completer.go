package delivery

import (
	"context"
	"sync"

	"github.com/hookbridge/hookbridge"
)

// maxCompletionBatch caps the completions recorded in one store call.
const maxCompletionBatch = 256

// completer records the workers' completions in batches: each worker waits
// for its own to be recorded, and the completions that arrive while the
// store is recording others are recorded together in its next call
// (Store.CompleteAttempts) — a group commit, without a timer, so that one
// completion alone is recorded at once. The worker that finds no call in
// progress makes the calls until none is waiting.
type completer struct {
	store Store

	mu      sync.Mutex
	waiting []*pendingCompletion
	writing bool
}

// pendingCompletion is a completion and where its result goes.
type pendingCompletion struct {
	hookbridge.Completion
	done chan error
}

// complete records c and returns once it is recorded or failed.
func (b *completer) complete(ctx context.Context, c hookbridge.Completion) error {
	p := &pendingCompletion{Completion: c, done: make(chan error, 1)}
	b.mu.Lock()
	b.waiting = append(b.waiting, p)
	if b.writing {
		b.mu.Unlock()
		return <-p.done
	}
	b.writing = true
	for len(b.waiting) > 0 {
		batch := b.waiting[:min(len(b.waiting), maxCompletionBatch)]
		b.waiting = b.waiting[len(batch):]
		b.mu.Unlock()
		b.record(ctx, batch)
		b.mu.Lock()
	}
	b.writing = false
	b.mu.Unlock()
	return <-p.done
}

// record records batch in one store call and hands each its result.
func (b *completer) record(ctx context.Context, batch []*pendingCompletion) {
	cs := make([]hookbridge.Completion, len(batch))
	for i, p := range batch {
		cs[i] = p.Completion
	}
	errs := b.store.CompleteAttempts(ctx, cs)
	for i, p := range batch {
		p.done <- errs[i]
	}
}
