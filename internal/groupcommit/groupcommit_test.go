package groupcommit

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestItemsThatArriveDuringARunRunTogether: the first item runs alone at
// once; those that arrive while it runs go together in the next group, at
// most Max at a time, each caller getting its own item's result; a
// caller's cancelled context does not cancel the groups it runs.
func TestItemsThatArriveDuringARunRunTogether(t *testing.T) {
	release := make(chan struct{})
	var (
		mu     sync.Mutex
		groups [][]int
	)
	g := &Group[int, int]{Max: 3, Run: func(ctx context.Context, items []int) []int {
		mu.Lock()
		first := len(groups) == 0
		groups = append(groups, append([]int(nil), items...))
		mu.Unlock()
		if first {
			<-release
		}
		out := make([]int, len(items))
		for i, n := range items {
			if ctx.Err() != nil {
				n = -1
			}
			out[i] = n * 10
		}
		return out
	}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the first caller's context has ended: the groups it runs must not see it
	results := map[int]int{}
	var wg sync.WaitGroup
	record := func(ctx context.Context, n int) {
		r := g.Do(ctx, n)
		mu.Lock()
		results[n] = r
		mu.Unlock()
	}
	wg.Go(func() { record(ctx, 1) })
	deadline := time.Now().Add(5 * time.Second)
	for func() bool { mu.Lock(); defer mu.Unlock(); return len(groups) == 0 }() {
		if time.Now().After(deadline) {
			t.Fatal("the first item never ran")
		}
		time.Sleep(time.Millisecond)
	}
	for n := 2; n <= 6; n++ {
		wg.Go(func() { record(context.Background(), n) })
	}
	for g.Waiting() != 5 {
		if time.Now().After(deadline) {
			t.Fatalf("%d items wait, want 5", g.Waiting())
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()

	if len(groups) != 3 || len(groups[0]) != 1 || len(groups[1]) != 3 || len(groups[2]) != 2 {
		t.Errorf("groups %v, want [1], then the other five three and two at a time", groups)
	}
	for n := 1; n <= 6; n++ {
		if results[n] != n*10 {
			t.Errorf("item %d: result %d, want %d", n, results[n], n*10)
		}
	}
}
