package delivery

import (
	"sync"
	"testing"
	"time"
)

// TestGoroutinesAreKeptForTheNextJob: jobs run one after the other reuse
// the goroutine that ran the one before instead of starting their own.
func TestGoroutinesAreKeptForTheNextJob(t *testing.T) {
	g := newGoroutines(time.Minute)
	defer g.close()
	const jobs = 100
	for range jobs {
		done := make(chan struct{})
		g.run(func() { close(done) })
		<-done
		waitFor(t, "the goroutines to wait for the next job", func() bool { return g.waiting.Load() == g.alive.Load() })
	}
	// Only a job handed over in the moment between a goroutine's counting
	// itself waiting and its waiting starts another.
	if n := g.started.Load(); n > jobs/10 {
		t.Errorf("%d goroutines started for %d jobs one after the other, want most jobs to reuse one", n, jobs)
	}
}

// TestGoroutinesRunEveryJobAndExit: jobs that arrive together each run at
// once on a goroutine of their own, and the goroutines exit once idle for
// idleFor, or at close.
func TestGoroutinesRunEveryJobAndExit(t *testing.T) {
	for _, tt := range []struct {
		name    string
		idleFor time.Duration
		closeIt bool
	}{
		{"idle", 50 * time.Millisecond, false},
		{"closed", time.Hour, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := newGoroutines(tt.idleFor)
			const jobs = 20
			var (
				wg      sync.WaitGroup
				running sync.WaitGroup
				proceed = make(chan struct{})
			)
			wg.Add(jobs)
			running.Add(jobs)
			for range jobs {
				g.run(func() {
					defer wg.Done()
					running.Done()
					<-proceed // all run at once, or this never ends
				})
			}
			running.Wait()
			close(proceed)
			wg.Wait()
			if tt.closeIt {
				g.close()
			}
			if n := g.started.Load(); n != jobs {
				t.Errorf("%d goroutines started for %d jobs at once, want one each", n, jobs)
			}
			waitFor(t, "every goroutine to exit", func() bool { return g.alive.Load() == 0 })
			if !tt.closeIt {
				g.close()
			}
		})
	}
}

// waitFor waits up to 10 s for cond, polling.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for %s", what)
		}
		time.Sleep(100 * time.Microsecond)
	}
}
