package js

import (
	"sync/atomic"
	"time"
)

// A run given to a runner happens on a goroutine of its own, so that the
// caller can give up on a run that does not stop (see Sandbox.execute).
// A new goroutine per run would be the largest fixed cost of a short
// call: goja needs tens of kilobytes of stack, and a new goroutine starts
// with a few and grows by copying, several times per run (why:
// docs/benchmarks.md, “Profile findings and what we changed”, 2).
// runnerPool keeps the goroutines, and with them their grown stacks,
// between runs.

const (
	// maxIdleRunners bounds the goroutines kept waiting for work.
	maxIdleRunners = 64
	// runnerIdleTimeout is how long an idle goroutine waits for work
	// before it ends.
	runnerIdleTimeout = time.Minute
)

// runnerPool runs jobs on reused goroutines. idle counts the goroutines
// waiting for work that no job has claimed yet; a job claims one by
// counting it down, then sends itself through the buffered jobs
// channel, which any waiting goroutine may take it from. So a job never
// waits for a goroutine, and one is started only when none is idle.
type runnerPool struct {
	jobs chan func()
	idle atomic.Int32
}

func newRunnerPool() *runnerPool {
	return &runnerPool{jobs: make(chan func(), maxIdleRunners)}
}

// do runs job on an idle goroutine, or on a new one if none is idle. It
// does not wait for job to finish.
func (p *runnerPool) do(job func()) {
	for {
		n := p.idle.Load()
		if n <= 0 {
			go p.runner(job)
			return
		}
		if p.idle.CompareAndSwap(n, n-1) {
			p.jobs <- job // cannot block: at most maxIdleRunners are claimed
			return
		}
	}
}

// runner runs job, then further jobs as they come, until it has waited
// runnerIdleTimeout for one or enough other goroutines are idle.
func (p *runnerPool) runner(job func()) {
	var idleTimer *time.Timer
	defer func() {
		if idleTimer != nil {
			idleTimer.Stop()
		}
	}()
	for {
		job()
		if !p.becomeIdle() {
			return
		}
		if idleTimer == nil {
			idleTimer = time.NewTimer(runnerIdleTimeout)
		} else {
			idleTimer.Reset(runnerIdleTimeout)
		}
		select {
		case job = <-p.jobs:
		case <-idleTimer.C:
			if p.retire() {
				return
			}
			job = <-p.jobs // claimed meanwhile: its job is on the way
		}
	}
}

// becomeIdle counts the calling goroutine as idle, unless enough are.
func (p *runnerPool) becomeIdle() bool {
	for {
		n := p.idle.Load()
		if n >= maxIdleRunners {
			return false
		}
		if p.idle.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// retire stops counting an idle goroutine that wants to end; it fails if
// every idle goroutine has been claimed by a job, since then one of the
// jobs is meant for the caller.
func (p *runnerPool) retire() bool {
	for {
		n := p.idle.Load()
		if n <= 0 {
			return false
		}
		if p.idle.CompareAndSwap(n, n-1) {
			return true
		}
	}
}
