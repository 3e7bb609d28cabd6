package delivery

import (
	"sync/atomic"
	"time"
)

// goroutines runs jobs on goroutines that outlive them: one that finished
// a job waits, for up to idleFor, for the next instead of exiting. A
// delivery runs its transformation deep in the JavaScript engine, and a
// fresh goroutine's small stack is copied to a larger one two or three
// times on the way; a goroutine kept from the last delivery mostly has the
// stack it needs already (why: docs/benchmarks.md, “Round 6”).
type goroutines struct {
	jobs    chan func()
	idleFor time.Duration
	stop    chan struct{}
	// started counts the goroutines started, alive those not yet exited,
	// waiting those waiting for a job.
	started, alive, waiting atomic.Int64
}

func newGoroutines(idleFor time.Duration) *goroutines {
	return &goroutines{jobs: make(chan func()), idleFor: idleFor, stop: make(chan struct{})}
}

// goIdle is how long a goroutine of a Dispatcher waits for another job.
const goIdle = 10 * time.Second

// run runs job on a waiting goroutine, or on a new one if none waits. It
// never blocks.
func (g *goroutines) run(job func()) {
	select {
	case g.jobs <- job:
	default:
		g.started.Add(1)
		g.alive.Add(1)
		go g.work(job)
	}
}

// close makes the waiting goroutines exit; those still running a job exit
// once it is done. run must not be called afterwards.
func (g *goroutines) close() { close(g.stop) }

func (g *goroutines) work(job func()) {
	defer g.alive.Add(-1)
	idle := time.NewTimer(g.idleFor)
	defer idle.Stop()
	for {
		job()
		idle.Reset(g.idleFor)
		g.waiting.Add(1)
		select {
		case job = <-g.jobs:
			g.waiting.Add(-1)
		case <-idle.C:
			g.waiting.Add(-1)
			return
		case <-g.stop:
			g.waiting.Add(-1)
			return
		}
	}
}
