package js

import (
	"errors"
	"runtime/metrics"
	"time"
)

// Memory: goja has no memory limit of its own (goja issue #645), and Go
// cannot say how much one goroutine allocated. So a run is watched from
// outside: while it runs, the heap of the whole process is sampled every
// memoryCheckInterval, and a run is interrupted once the live heap — what
// the garbage collector found still in use at the end of its latest cycle
// — holds more than Options.MaxMemory bytes beyond what it held when the
// run started. Garbage never counts, however much of it a run makes. A run
// that keeps what it allocates makes the heap grow, which starts
// collections, whose ends bring the news. Ordinary runs finish long before the first sample;
// only a run that keeps going while the heap grows past the budget is
// stopped.
//
// The measure is the process's, not the run's: if two long runs overlap
// while one of them allocates, both may be stopped. Handlers take well
// under a millisecond, so in practice only the one that allocates is.
// Go offers no way to tell which goroutine allocated (a goroutine profile
// cannot see into the allocator, which is never preempted), so this is
// the best a pure-Go sandbox can do; a process memory limit (GOMEMLIMIT,
// a container limit) remains the backstop.

// memoryCheckInterval is how often a running handler's memory is checked.
const memoryCheckInterval = 5 * time.Millisecond

// errOutOfMemory is the value a runtime is interrupted with when the heap
// grows past the memory budget during its run.
var errOutOfMemory = errors.New("memory limit exceeded")

// heapGauge reads the live heap. It is not safe for concurrent use; each
// watch has its own.
type heapGauge struct {
	samples [1]metrics.Sample
}

func newHeapGauge() *heapGauge {
	g := &heapGauge{}
	// The bytes of objects found live by the latest garbage collection.
	g.samples[0].Name = "/gc/heap/live:bytes"
	return g
}

// live returns the bytes the latest collection found live.
func (g *heapGauge) live() uint64 {
	metrics.Read(g.samples[:])
	if g.samples[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return g.samples[0].Value.Uint64()
}

// memoryWatch decides whether a run has used up its memory budget.
type memoryWatch struct {
	gauge *heapGauge
	limit uint64
}

// watchMemory starts watching with the heap as it is now; it returns nil
// when budget is not positive (no memory limit).
func watchMemory(budget int64) *memoryWatch {
	if budget <= 0 {
		return nil
	}
	g := newHeapGauge()
	return &memoryWatch{gauge: g, limit: g.live() + uint64(budget)}
}

// exceeded reports whether the live heap has grown past the budget.
func (w *memoryWatch) exceeded() bool {
	return w.gauge.live() > w.limit
}

// ticks returns the channel on which to check, or nil (never) without a
// limit, and a function that stops it.
func (w *memoryWatch) ticks() (<-chan time.Time, func()) {
	if w == nil {
		return nil, func() {}
	}
	t := time.NewTicker(memoryCheckInterval)
	return t.C, t.Stop
}
