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
		time.Sleep(2 * time.Millisecond) // for the goroutine to wait for the next
	}
	if n := g.started.Load(); n > jobs/2 {
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
			deadline := time.Now().Add(10 * time.Second)
			for g.alive.Load() > 0 {
				if time.Now().After(deadline) {
					t.Fatalf("%d goroutines left 10s after the jobs, want none", g.alive.Load())
				}
				time.Sleep(5 * time.Millisecond)
			}
			if !tt.closeIt {
				g.close()
			}
		})
	}
}
