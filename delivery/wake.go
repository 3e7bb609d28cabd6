package delivery

import (
	"sync"
	"time"
)

// wakeTime is the earliest time the dispatcher knows that work comes due
// which no claim has looked for yet: a retry it recorded, a delivery it
// handed back until its endpoint's rate-limit turn, the end of a pause, or
// what the store reported after a claim (Store.NextDue: retries recorded
// and leases taken by other processes, or before a restart). Run sleeps
// until then rather than until its next poll.
//
// One time is enough: each claim that the wake time starts asks the store
// for the next one.
type wakeTime struct {
	mu   sync.Mutex
	next time.Time // zero: none known
	// earlier receives a value when next moves earlier, so that a sleeping
	// Run sets its timer again.
	earlier chan struct{}
}

func newWakeTime() *wakeTime { return &wakeTime{earlier: make(chan struct{}, 1)} }

// at notes that work comes due at t (a zero t is ignored).
func (w *wakeTime) at(t time.Time) {
	if t.IsZero() {
		return
	}
	w.mu.Lock()
	moved := w.next.IsZero() || t.Before(w.next)
	if moved {
		w.next = t
	}
	w.mu.Unlock()
	if moved {
		signal(w.earlier)
	}
}

// get returns the wake time, zero if none is known.
func (w *wakeTime) get() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.next
}

// due reports whether the wake time is not after now.
func (w *wakeTime) due(now time.Time) bool {
	next := w.get()
	return !next.IsZero() && !next.After(now)
}

// passed forgets the wake time if it is not after now, for a claim at now
// looks for what it announced, and reports whether it did.
func (w *wakeTime) passed(now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.next.IsZero() || w.next.After(now) {
		return false
	}
	w.next = time.Time{}
	return true
}
