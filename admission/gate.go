package admission

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"
)

// Limits are the bounds of a Gate; a zero field takes its default.
type Limits struct {
	// Runs is how many transformations may run at once in the process
	// (default DefaultRuns: twice GOMAXPROCS).
	Runs int
	// RunsPerApp is how many of them may be one app's (default half of
	// Runs, at least 1).
	RunsPerApp int
	// RunsPerLane is how many of an app's runs may be of one lane, one of
	// its endpoints (default half of RunsPerApp, at least 1), so that one
	// endpoint's code leaves room for the app's others.
	RunsPerLane int
	// RunMemory is one run's memory budget, the sandbox's per-run limit;
	// every run in progress reserves it. Not positive: runs reserve
	// nothing, and Memory bounds nothing.
	RunMemory int64
	// Memory is the process-wide memory budget of the runs in progress,
	// in bytes (default Runs × RunMemory). It must hold at least one run.
	Memory int64
}

// DefaultRuns is the default of Limits.Runs: twice the processors Go
// uses, so that runs keep every processor busy while leaving room to
// answer other calls.
func DefaultRuns() int { return 2 * runtime.GOMAXPROCS(0) }

func (l Limits) withDefaults() Limits {
	if l.Runs <= 0 {
		l.Runs = DefaultRuns()
	}
	if l.RunsPerApp <= 0 {
		l.RunsPerApp = max(1, l.Runs/2)
	}
	l.RunsPerApp = min(l.RunsPerApp, l.Runs)
	if l.RunsPerLane <= 0 {
		l.RunsPerLane = max(1, l.RunsPerApp/2)
	}
	l.RunsPerLane = min(l.RunsPerLane, l.RunsPerApp)
	if l.RunMemory > 0 && l.Memory <= 0 {
		l.Memory = int64(l.Runs) * l.RunMemory
	}
	return l
}

// capacity is how many runs may be in progress at once: Runs, or fewer
// if the memory budget holds fewer runs' budgets.
func (l Limits) capacity() int {
	if l.RunMemory <= 0 {
		return l.Runs
	}
	return int(min(int64(l.Runs), l.Memory/l.RunMemory))
}

// memoryBound reports whether the memory budget, not Runs, sets the
// capacity.
func (l Limits) memoryBound() bool {
	return l.RunMemory > 0 && l.Memory/l.RunMemory < int64(l.Runs)
}

// Gate admits transformation runs within Limits; it is safe for
// concurrent use. A nil *Gate admits every run at once.
type Gate struct {
	limits   Limits
	capacity int

	mu      sync.Mutex
	running int
	// apps holds the apps with runs in progress or waiting.
	apps map[string]*appQueue
	// arrivals numbers the waiting runs in order of arrival.
	arrivals uint64
}

// appQueue is one app's runs in progress, in all and by lane, and its
// waiting runs, first come first.
type appQueue struct {
	running int
	lanes   map[string]int
	waiting []*waiter
}

// waiter is a run waiting to start.
type waiter struct {
	lane    string
	arrival uint64
	// admitted is closed when the run may start.
	admitted chan struct{}
}

// New returns a Gate with the given limits. It fails when the memory
// budget cannot hold a single run.
func New(l Limits) (*Gate, error) {
	l = l.withDefaults()
	if l.RunMemory > 0 && l.Memory < l.RunMemory {
		return nil, fmt.Errorf("admission: a memory budget of %s cannot hold one run's %s", mib(l.Memory), mib(l.RunMemory))
	}
	return &Gate{limits: l, capacity: l.capacity(), apps: map[string]*appQueue{}}, nil
}

// Limits returns the gate's limits, defaults filled in.
func (g *Gate) Limits() Limits { return g.limits }

// Admit waits until a run of app, in lane (the endpoint whose code it
// runs), may start, and returns the function that ends the run; it must
// be called once the run has returned. The wait ends with an error when
// ctx ends (the error wraps ctx's) or, if maxWait is positive, once
// maxWait has passed (a *BusyError, which is ErrBusy). A nil Gate admits
// at once.
func (g *Gate) Admit(ctx context.Context, app, lane string, maxWait time.Duration) (done func(), err error) {
	if g == nil {
		return func() {}, nil
	}
	g.mu.Lock()
	q := g.queue(app)
	// No waiting run may start (admitWaiting leaves none that may), so
	// this one goes first only if it may start at all.
	if g.mayStart(q, lane) {
		g.start(q, lane)
		g.mu.Unlock()
		return g.ender(app, lane), nil
	}
	w := &waiter{lane: lane, arrival: g.arrivals, admitted: make(chan struct{})}
	g.arrivals++
	q.waiting = append(q.waiting, w)
	g.mu.Unlock()
	return g.wait(ctx, app, w, maxWait)
}

// wait waits for w to be admitted, for ctx to end or for maxWait.
func (g *Gate) wait(ctx context.Context, app string, w *waiter, maxWait time.Duration) (func(), error) {
	var expired <-chan time.Time
	if maxWait > 0 {
		t := time.NewTimer(maxWait)
		defer t.Stop()
		expired = t.C
	}
	var reason error
	select {
	case <-w.admitted:
		return g.ender(app, w.lane), nil
	case <-ctx.Done():
		reason = fmt.Errorf("admission: wait to run a transformation: %w", ctx.Err())
	case <-expired:
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-w.admitted:
		// Admitted as the wait ended: the run may start after all,
		// unless ctx ended.
		if reason == nil {
			return g.ender(app, w.lane), nil
		}
		g.endLocked(app, w.lane)
		return nil, reason
	default:
	}
	q := g.apps[app]
	q.remove(w)
	if reason == nil {
		reason = g.busyLocked(app, w.lane, q, maxWait)
	}
	g.dropIfIdle(app, q)
	return nil, reason
}

// queue returns app's queue, made if need be; g.mu must be held.
func (g *Gate) queue(app string) *appQueue {
	q := g.apps[app]
	if q == nil {
		q = &appQueue{lanes: map[string]int{}}
		g.apps[app] = q
	}
	return q
}

// mayStart reports whether a run of q's app in lane may start now; g.mu
// must be held.
func (g *Gate) mayStart(q *appQueue, lane string) bool {
	return g.running < g.capacity && q.running < g.limits.RunsPerApp && q.lanes[lane] < g.limits.RunsPerLane
}

func (g *Gate) start(q *appQueue, lane string) {
	g.running++
	q.running++
	q.lanes[lane]++
}

// ender returns the function that ends a run of app in lane, once.
func (g *Gate) ender(app, lane string) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			defer g.mu.Unlock()
			g.endLocked(app, lane)
		})
	}
}

// endLocked ends a run of app in lane and starts the waiting runs that
// may start now; g.mu must be held.
func (g *Gate) endLocked(app, lane string) {
	q := g.apps[app]
	g.running--
	q.running--
	if q.lanes[lane]--; q.lanes[lane] == 0 {
		delete(q.lanes, lane)
	}
	g.admitWaiting()
	g.dropIfIdle(app, q)
}

// admitWaiting starts waiting runs while there is room: each time that
// of the app with the fewest runs in progress (the app whose run came
// first among equals), and of that app's runs the first that may start;
// g.mu must be held.
func (g *Gate) admitWaiting() {
	for g.running < g.capacity {
		var next *appQueue
		nextAt := -1
		for _, q := range g.apps {
			i := g.firstStartable(q)
			if i < 0 {
				continue
			}
			if next == nil || q.running < next.running ||
				(q.running == next.running && q.waiting[i].arrival < next.waiting[nextAt].arrival) {
				next, nextAt = q, i
			}
		}
		if next == nil {
			return
		}
		w := next.waiting[nextAt]
		next.waiting = append(next.waiting[:nextAt], next.waiting[nextAt+1:]...)
		g.start(next, w.lane)
		close(w.admitted)
	}
}

// firstStartable returns the index of q's first waiting run that may
// start now, or -1; g.mu must be held.
func (g *Gate) firstStartable(q *appQueue) int {
	if q.running >= g.limits.RunsPerApp {
		return -1
	}
	for i, w := range q.waiting {
		if g.mayStart(q, w.lane) {
			return i
		}
	}
	return -1
}

// dropIfIdle forgets app's queue once it has no runs; g.mu must be held.
func (g *Gate) dropIfIdle(app string, q *appQueue) {
	if q.running == 0 && len(q.waiting) == 0 {
		delete(g.apps, app)
	}
}

func (q *appQueue) remove(w *waiter) {
	for i, x := range q.waiting {
		if x == w {
			q.waiting = append(q.waiting[:i], q.waiting[i+1:]...)
			return
		}
	}
}

// Load is a count of runs.
type Load struct {
	// Running counts runs in progress, Waiting those waiting to start.
	Running, Waiting int
}

// Load returns the runs of the whole process.
func (g *Gate) Load() Load {
	g.mu.Lock()
	defer g.mu.Unlock()
	l := Load{Running: g.running}
	for _, q := range g.apps {
		l.Waiting += len(q.waiting)
	}
	return l
}

// AppLoad returns the runs of one app.
func (g *Gate) AppLoad(app string) Load {
	g.mu.Lock()
	defer g.mu.Unlock()
	q := g.apps[app]
	if q == nil {
		return Load{}
	}
	return Load{Running: q.running, Waiting: len(q.waiting)}
}

// ErrBusy is what a BusyError is: a run waited as long as it might and
// could not start.
var ErrBusy = errors.New("admission: no room to run the transformation")

// Which limit held a run back.
const (
	// LimitApp: the app had as many runs in progress as one app may.
	LimitApp = "app"
	// LimitLane: the lane had as many runs in progress as one lane may.
	LimitLane = "lane"
	// LimitRuns: the process had as many runs in progress as it may.
	LimitRuns = "runs"
	// LimitMemory: the runs in progress held the whole memory budget.
	LimitMemory = "memory"
)

// BusyError says why a run could not start within its wait.
type BusyError struct {
	App, Lane string
	// Limit is LimitLane, LimitApp, LimitRuns or LimitMemory.
	Limit string
	// Waited is how long the run waited.
	Waited time.Duration
	limits Limits
}

func (e *BusyError) Error() string {
	l := e.limits
	switch e.Limit {
	case LimitLane:
		return fmt.Sprintf("%s of app %s already has %d transformation runs in progress, as many as one endpoint may have at once; none ended within %v",
			e.Lane, e.App, l.RunsPerLane, e.Waited)
	case LimitApp:
		return fmt.Sprintf("app %s already has %d transformation runs in progress, as many as one app may have at once; none ended within %v",
			e.App, l.RunsPerApp, e.Waited)
	case LimitMemory:
		return fmt.Sprintf("the process-wide memory budget of running transformations is spent: %d runs in progress hold %s each of the %s budget; none ended within %v",
			l.Memory/l.RunMemory, mib(l.RunMemory), mib(l.Memory), e.Waited)
	}
	return fmt.Sprintf("%d transformation runs are in progress, as many as this server runs at once; none ended within %v", l.Runs, e.Waited)
}

// Is makes a BusyError match ErrBusy.
func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// busyLocked says which limit held a run of app back; g.mu must be held.
func (g *Gate) busyLocked(app, lane string, q *appQueue, waited time.Duration) *BusyError {
	e := &BusyError{App: app, Lane: lane, Limit: LimitRuns, Waited: waited, limits: g.limits}
	switch {
	case q.lanes[lane] >= g.limits.RunsPerLane:
		e.Limit = LimitLane
	case q.running >= g.limits.RunsPerApp:
		e.Limit = LimitApp
	case g.limits.memoryBound():
		e.Limit = LimitMemory
	}
	return e
}

func mib(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
