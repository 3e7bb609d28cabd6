package js

import (
	"sync"
	"testing"
	"time"
)

// TestRunnerPoolReusesGoroutines runs jobs one after another: one
// goroutine serves them all and then waits for more.
func TestRunnerPoolReusesGoroutines(t *testing.T) {
	p := newRunnerPool()
	for i := range 50 {
		done := make(chan int)
		p.do(func() { done <- i })
		if got := <-done; got != i {
			t.Fatalf("job %d ran as %d", i, got)
		}
		waitFor(t, func() bool { return p.idle.Load() == 1 })
	}
}

// TestRunnerPoolDoesNotQueueBehindBusyJobs checks that a job blocked in
// one goroutine (as a run stuck in a built-in is) does not hold up others.
func TestRunnerPoolDoesNotQueueBehindBusyJobs(t *testing.T) {
	p := newRunnerPool()
	release := make(chan struct{})
	var started sync.WaitGroup
	for range 10 {
		started.Add(1)
		p.do(func() {
			started.Done()
			<-release
		})
	}
	started.Wait() // would hang if the jobs shared goroutines
	close(release)
	waitFor(t, func() bool { return p.idle.Load() == 10 })
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5 s")
		}
		time.Sleep(time.Millisecond)
	}
}
