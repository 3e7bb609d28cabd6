package delivery

import (
	"context"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/internal/groupcommit"
)

// maxCompletionBatch caps the completions recorded in one store call.
const maxCompletionBatch = 256

// completer records the workers' completions in batches: each worker waits
// for its own to be recorded, and the completions that arrive while the
// store is recording others are recorded together in its next call
// (Store.CompleteAttempts), a group commit without a timer: one completion
// alone is recorded at once.
type completer struct {
	group groupcommit.Group[hookbridge.Completion, error]
}

func newCompleter(store Store) *completer {
	return &completer{group: groupcommit.Group[hookbridge.Completion, error]{
		Run: store.CompleteAttempts, Max: maxCompletionBatch, Timeout: storeTimeout,
	}}
}

// complete records c and returns once it is recorded or failed.
func (b *completer) complete(ctx context.Context, c hookbridge.Completion) error {
	return b.group.Do(ctx, c)
}
