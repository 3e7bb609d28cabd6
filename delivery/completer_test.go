package delivery

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/hookbridge/hookbridge"
)

// batchRecorder is a Store that records the batches it is asked to
// complete; the first call waits for release, and the delivery "lost"
// fails with ErrLeaseLost.
type batchRecorder struct {
	Store
	release chan struct{}
	entered chan struct{}

	mu      sync.Mutex
	batches [][]string
}

func (s *batchRecorder) CompleteAttempts(_ context.Context, cs []hookbridge.Completion) []error {
	s.mu.Lock()
	first := len(s.batches) == 0
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.Claim.Delivery.ID)
	}
	s.batches = append(s.batches, ids)
	s.mu.Unlock()
	if first {
		close(s.entered)
		<-s.release
	}
	errs := make([]error, len(cs))
	for i, c := range cs {
		if c.Claim.Delivery.ID == "lost" {
			errs[i] = hookbridge.ErrLeaseLost
		}
	}
	return errs
}

func completion(id string) hookbridge.Completion {
	return hookbridge.Completion{Claim: &hookbridge.Claim{Delivery: &hookbridge.Delivery{ID: id}},
		Outcome: hookbridge.Outcome{Status: hookbridge.DeliverySucceeded}}
}

// TestCompletionsThatArriveDuringARecordingAreRecordedTogether: the first
// completion is recorded alone at once; those that arrive while it is
// being recorded go together in the next store call, and each caller gets
// its own result.
func TestCompletionsThatArriveDuringARecordingAreRecordedTogether(t *testing.T) {
	store := &batchRecorder{release: make(chan struct{}), entered: make(chan struct{})}
	b := newCompleter(store)
	results := make(map[string]error)
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	complete := func(id string) {
		err := b.complete(t.Context(), completion(id))
		mu.Lock()
		results[id] = err
		mu.Unlock()
	}
	wg.Go(func() { complete("first") })
	<-store.entered
	ids := []string{"lost"}
	for i := range 9 {
		ids = append(ids, fmt.Sprintf("d%d", i))
	}
	for _, id := range ids {
		wg.Go(func() { complete(id) })
	}
	waitFor(t, "the completions to wait", func() bool { return b.group.Waiting() == len(ids) })
	close(store.release)
	wg.Wait()

	if len(store.batches) != 2 || len(store.batches[0]) != 1 || len(store.batches[1]) != len(ids) {
		t.Fatalf("batches %v, want the first alone, then the other %d together", store.batches, len(ids))
	}
	for id, err := range results {
		if (id == "lost") != errors.Is(err, hookbridge.ErrLeaseLost) {
			t.Errorf("completion %s: %v", id, err)
		}
	}
}
