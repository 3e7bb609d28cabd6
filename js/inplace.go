package js

import (
	"context"
	"sync"
	"time"

	"github.com/hookbridge/hookbridge"
)

// Running on the caller's goroutine. Giving a run to a runner (a goroutine
// of its own) lets the caller walk away from a run stuck in a built-in that
// vm.Interrupt cannot reach, but it costs: readying the other goroutine
// wakes an idle processor, which then competes with the run (why:
// docs/benchmarks.md, “Round 5”). Every built-in that loops in Go is
// bounded — by size (bounds.go, guards.go) or, for a regular expression,
// by MaxTimeout (regexp.go) — so a stuck run does end; what the runner
// buys is only that its caller need not wait for it.
//
// So code with a key runs in place, watched by a timer instead of a
// waiting caller. If a run has not stopped stopGrace after its interrupt,
// it is abandoned as a run on a runner would be: the code counts as stuck
// (further runs are refused until this one ends), every later run of it
// goes to a runner (program.onRunner), and the caller is told through
// the notice of hookbridge.WithOverrunNotice, so that a delivery worker
// can free itself for other endpoints' deliveries while it waits. The run
// then returns the same timeout error as one on a runner, when the
// built-in ends. Well-behaved code never pays for a runner; code that
// once got stuck pays for it from then on.

// executeInPlace runs p on the calling goroutine.
func (s *Sandbox) executeInPlace(ctx context.Context, p *program, in *hookbridge.TransformInput) (*hookbridge.TransformOutput, error) {
	a := &watchedRun{program: p}
	w := &inPlaceWatch{run: a, ctx: ctx, limits: &s.limits, notice: hookbridge.OverrunNotice(ctx)}
	a.onAttach = w.start
	o := s.run(a, in)
	w.stop()
	if abandoned, reason := a.wasAbandoned(); abandoned {
		return nil, s.abandonedError(reason)
	}
	return o.out, o.err
}

// inPlaceWatch is the watchdog of a run on its caller's goroutine: one
// timer, which fires every memoryCheckInterval (or at the deadline, if that
// comes first) to check the run's time and memory, and once more at the
// end of the grace period after an interrupt; and a callback on ctx. The
// mutex orders the two.
type inPlaceWatch struct {
	run    *watchedRun
	ctx    context.Context
	limits *Options
	notice func()

	mu            sync.Mutex
	deadline      time.Time
	memory        *memoryWatch
	timer         *time.Timer
	stopCtx       func() bool
	interrupted   bool
	interruptedAt time.Time // the grace period ends stopGrace after it
	stopped       bool
}

// start starts the clock; the run calls it once it has its runtime.
func (w *inPlaceWatch) start() {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := time.Now()
	w.deadline = now.Add(w.limits.Timeout)
	w.memory = watchMemory(w.limits.MaxMemory)
	w.timer = time.AfterFunc(w.untilNextCheck(now), w.check)
	if w.ctx.Done() != nil {
		w.stopCtx = context.AfterFunc(w.ctx, func() { w.interrupt(w.ctx.Err()) })
	}
}

// stop ends the watch once the run has returned.
func (w *inPlaceWatch) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	if w.timer != nil {
		w.timer.Stop()
	}
	if w.stopCtx != nil {
		w.stopCtx()
	}
}

// check runs on the timer's goroutine.
func (w *inPlaceWatch) check() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return
	}
	now := time.Now()
	switch {
	case w.interrupted:
		// A tick already under way when ctx's interrupt re-armed the
		// timer comes early: wait out the rest of the grace period.
		if left := stopGrace - now.Sub(w.interruptedAt); left > 0 {
			w.timer.Reset(left)
			return
		}
		w.abandon()
	case !now.Before(w.deadline):
		w.interruptLocked(errTimedOut)
	case w.memory != nil && w.memory.exceeded():
		w.interruptLocked(errOutOfMemory)
	default:
		w.timer.Reset(w.untilNextCheck(now))
	}
}

// untilNextCheck is how long after now the timer should fire next.
func (w *inPlaceWatch) untilNextCheck(now time.Time) time.Duration {
	left := w.deadline.Sub(now)
	if w.memory == nil {
		return left
	}
	return min(left, memoryCheckInterval)
}

// interrupt stops the run because ctx ended.
func (w *inPlaceWatch) interrupt(reason error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.stopped && !w.interrupted {
		w.interruptLocked(reason)
	}
}

// interruptLocked interrupts the run and gives it stopGrace to stop.
func (w *inPlaceWatch) interruptLocked(reason error) {
	w.run.interrupt(reason)
	w.interrupted, w.interruptedAt = true, time.Now()
	w.timer.Reset(stopGrace)
}

// abandon gives up on a run that did not stop within stopGrace of its
// interrupt.
func (w *inPlaceWatch) abandon() {
	if !w.run.abandon() {
		return // it finished meanwhile
	}
	w.run.program.onRunner.Store(true)
	if w.notice != nil {
		w.notice()
	}
}
