package delivery

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hookbridge/hookbridge"
)

// Store is what the dispatcher needs of the store: deliveries to claim and
// record, and the shared rate limits.
type Store interface {
	hookbridge.DeliveryStore
	hookbridge.ThrottleStore
}

// Config tunes a Dispatcher. Zero values mean the defaults.
type Config struct {
	// Workers is how many requests are in flight at once (default
	// DefaultWorkers). A batch is one request.
	Workers int
	// Lease is how long a claimed delivery stays reserved for this process
	// (default: the longest request timeout an endpoint may have, 60 s or
	// the sender's if longer, plus one minute). A process that dies holding
	// a lease delays that delivery by at most this long. No request is
	// given more than three quarters of it.
	Lease time.Duration
	// PollInterval is how often the store is asked for due work when no
	// one said there is some (default 1 s). It is a safety net: the
	// dispatcher wakes when work is queued, and at the earliest time it
	// knows work comes due (see wakeTime).
	PollInterval time.Duration
	// ShutdownGrace is how long in-flight attempts may finish after Run's
	// context ends (default 10 s); those still running are interrupted,
	// recorded and left to be retried.
	ShutdownGrace time.Duration
	// EndpointConcurrency caps the deliveries of one endpoint in flight at
	// once, counted across every process sharing the store (default three
	// quarters of Workers, at least 1), so that a slow or failing endpoint
	// always leaves workers to the others.
	EndpointConcurrency int
	// MaxBatch caps the deliveries in one batched request (default 100;
	// the integration's limits apply too).
	MaxBatch int
	// MaxThrottleWait is how long a worker waits for a rate-limited
	// endpoint's next turn; a delivery that would wait longer is handed
	// back, due shortly before its turn comes, without counting an
	// attempt (default 500 ms). A waiting worker sends nothing else, so
	// the wait is short, and claims lease a rate-limited endpoint no more
	// deliveries than its limit lets go in half this time
	// (hookbridge.ClaimQuery.ThrottleWindow): the turns they take stay
	// within the wait even while the endpoint's turns run ahead of now.
	MaxThrottleWait time.Duration
	// MinPause is the least time a 429 answer holds back its endpoint
	// (default 1 s); a longer Retry-After wins.
	MinPause time.Duration
	// Node names this process on the leases it takes, so that other nodes
	// take them over if it dies (hookbridge.NodeStore); empty: leases name
	// no node and only expire.
	Node string
	// Clock is the time source (default SystemClock).
	Clock Clock
	// Observer, if set, is told what the dispatcher does (for metrics).
	Observer Observer
}

// Observer is told what the dispatcher does: package metrics implements
// it. Its methods must be quick and must not block.
type Observer interface {
	// DeliveryFinished reports the outcome of one processing of a
	// delivery: its final status, or DeliveryPending when it is retried.
	DeliveryFinished(integration string, status hookbridge.DeliveryStatus)
	// AttemptSent reports one HTTP request (a batch is one): how long it
	// took and its status, 0 when no answer came.
	AttemptSent(integration string, took time.Duration, status int)
	// RateLimitWaited reports how long a request waited for its endpoint's
	// rate limit.
	RateLimitWaited(integration string, waited time.Duration)
}

// noObserver observes nothing.
type noObserver struct{}

func (noObserver) DeliveryFinished(string, hookbridge.DeliveryStatus) {}
func (noObserver) AttemptSent(string, time.Duration, int)             {}
func (noObserver) RateLimitWaited(string, time.Duration)              {}

// MaxEndpointTimeout is the longest request timeout an endpoint may set.
const MaxEndpointTimeout = 60 * time.Second

// DefaultWorkers is how many requests a Dispatcher has in flight at once
// unless Config.Workers says otherwise. A worker spends most of a
// delivery waiting — for the destination's answer, then for its outcome
// to be committed with others' (group commit) — so it takes many more
// workers than processors for delivery to keep up with ingest (why:
// docs/benchmarks.md, “Round 4” and “Round 8”). A worker is a goroutine
// only while it has work, and for ten seconds after; a slow endpoint may hold at most
// three quarters of them.
const DefaultWorkers = 256

func (c Config) withDefaults(timeout time.Duration) Config {
	if c.Workers <= 0 {
		c.Workers = DefaultWorkers
	}
	if c.Lease <= 0 {
		c.Lease = max(timeout, MaxEndpointTimeout) + time.Minute
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.ShutdownGrace <= 0 {
		c.ShutdownGrace = 10 * time.Second
	}
	if c.EndpointConcurrency <= 0 {
		c.EndpointConcurrency = max(1, c.Workers*3/4)
	}
	if c.MaxBatch <= 0 {
		c.MaxBatch = 100
	}
	if c.MaxThrottleWait <= 0 {
		c.MaxThrottleWait = 500 * time.Millisecond
	}
	if c.MinPause <= 0 {
		c.MinPause = time.Second
	}
	if c.Clock == nil {
		c.Clock = SystemClock{}
	}
	if c.Observer == nil {
		c.Observer = noObserver{}
	}
	return c
}

// Dispatcher claims due deliveries and works them off.
type Dispatcher struct {
	store   Store
	planner *Planner
	sender  *Sender
	retry   RetryPolicy
	cfg     Config
	clock   Clock
	observe Observer
	log     *slog.Logger
	// timeout is a request's timeout unless its endpoint sets one.
	timeout time.Duration

	wake     chan struct{}
	workDone chan struct{}
	// wakeAt is when Run next claims unless told sooner.
	wakeAt *wakeTime
	// running is the state of Run while it runs, for HandOff.
	running atomic.Pointer[running]
	// backlog is set while the last claim filled every free worker: more
	// may be due, and deliveries handed over would pass them.
	backlog atomic.Bool
	// unseen is set when work may have been queued, or become claimable,
	// that no claim has looked for yet (see mayHaveWork). Run clears it
	// as it starts a claim.
	unseen atomic.Bool
}

// running is what the work of a Run shares: what is in flight, the
// workers' goroutines, and the deliveries in flight by endpoint.
type running struct {
	ctx      context.Context
	wg       sync.WaitGroup
	inFlight atomic.Int64 // units of work, each one request
	workers  *goroutines

	mu     sync.Mutex
	closed bool
	// byEndpoint counts the deliveries in flight or reserved (see
	// HandOff) by endpoint, as the claim counts their leases.
	byEndpoint map[string]int
}

// beginLocked counts a unit of n deliveries to the endpoint in flight;
// r.mu must be held.
func (r *running) beginLocked(endpointID string, n int) {
	r.byEndpoint[endpointID] += n
	r.inFlight.Add(1)
	r.wg.Add(1)
}

// end counts a unit of n deliveries to the endpoint done, and reports
// whether the endpoint had limit or more in flight before: a claim may
// have passed over its due deliveries.
func (r *running) end(endpointID string, n, limit int) (wasAtLimit bool) {
	r.mu.Lock()
	wasAtLimit = r.byEndpoint[endpointID] >= limit
	if r.byEndpoint[endpointID] -= n; r.byEndpoint[endpointID] <= 0 {
		delete(r.byEndpoint, endpointID)
	}
	r.mu.Unlock()
	r.inFlight.Add(-1)
	r.wg.Done()
	return wasAtLimit
}

// New makes a dispatcher. logger may be nil.
func New(store Store, planner *Planner, sender *Sender, retry RetryPolicy, cfg Config, logger *slog.Logger) *Dispatcher {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	timeout := sender.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	cfg = cfg.withDefaults(timeout)
	return &Dispatcher{
		store:    store,
		planner:  planner,
		sender:   sender,
		retry:    retry,
		cfg:      cfg,
		clock:    cfg.Clock,
		observe:  cfg.Observer,
		log:      logger,
		timeout:  timeout,
		wake:     make(chan struct{}, 1),
		workDone: make(chan struct{}, 1),
		wakeAt:   newWakeTime(),
	}
}

// Notify tells the dispatcher that new work may be due, so it claims at
// once instead of at its next poll. It never blocks.
func (d *Dispatcher) Notify() {
	d.mayHaveWork()
	signal(d.wake)
}

// mayHaveWork notes that a claim may find work no claim has looked for:
// something was queued (Notify), a delivery stayed or went back to the
// store without a worker (a reservation refused or given back, a
// delivery released or rescheduled), a claimed unit ended (an ordered
// endpoint's next delivery may be free now), or an endpoint at its cap
// has a worker again. A freed worker makes Run claim only then, or while
// a backlog lasts: when every fresh delivery is handed over and
// delivered, the claim would find nothing, and claiming for each freed
// worker would be wasted work under load (why: docs/benchmarks.md, “Round 8”).
// Work that only time makes due (a retry, an expired lease) waits for
// the wake time (see wakeTime).
func (d *Dispatcher) mayHaveWork() { d.unseen.Store(true) }

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends, then stops claiming, gives in-flight
// attempts ShutdownGrace to finish, and returns.
func (d *Dispatcher) Run(ctx context.Context) error {
	// Work outlives ctx by the grace period, so it gets its own context.
	workCtx, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	r := &running{ctx: workCtx, workers: newGoroutines(goIdle), byEndpoint: map[string]int{}}
	defer r.workers.close()
	d.running.Store(r)
	var lastClaim time.Time
	// timed says the poll or the wake time started this claim (or it is
	// the first): after it the store says what comes due next, as this
	// dispatcher may not know it.
	timed := true
	for ctx.Err() == nil {
		if r.inFlight.Load() > 0 {
			d.pace(ctx, lastClaim)
		}
		free := d.cfg.Workers - int(r.inFlight.Load())
		claimed := 0
		if free > 0 {
			lastClaim = time.Now()
			d.unseen.Store(false) // what is queued from now on, the next claim looks for
			now := d.clock.Now()
			timed = d.wakeAt.passed(now) || timed
			units, err := d.claimUnits(ctx, now, free)
			if err != nil && ctx.Err() == nil {
				d.log.Error("claim deliveries", "err", err)
			}
			claimed = len(units)
			for _, u := range units {
				d.startWork(r, u, false)
			}
			d.backlog.Store(claimed > 0 && claimed == free)
			if timed {
				d.askNextDue(ctx, now)
			}
		}
		if claimed > 0 && claimed == free {
			timed = false
			continue // there may be more due right now
		}
		timed = d.idle(ctx, free > 0)
	}
	r.mu.Lock()
	r.closed = true // no more reservations: drain waits for those made
	r.mu.Unlock()
	d.drain(&r.wg, cancelWork)
	return nil
}

// startWork processes u on a goroutine of r's workers, counted in r until
// it is done; reserved says a HandOff reservation counts it already. A
// worker whose transformation is stuck in a built-in past its time limit
// frees its worker as soon as the sandbox says so
// (hookbridge.WithOverrunNotice): it records its failure only when the
// built-in ends, and meanwhile other endpoints' deliveries take the worker.
// Shutdown does not wait for it either, as it would not for an abandoned
// run.
func (d *Dispatcher) startWork(r *running, u unit, reserved bool) {
	endpointID := u[0].Delivery.EndpointID
	if !reserved {
		r.mu.Lock()
		r.beginLocked(endpointID, len(u))
		r.mu.Unlock()
	}
	release := sync.OnceFunc(func() {
		if wasAtLimit := r.end(endpointID, len(u), d.cfg.EndpointConcurrency); wasAtLimit || !reserved {
			d.mayHaveWork()
		}
		signal(d.workDone)
	})
	r.workers.run(func() {
		defer release()
		d.process(hookbridge.WithOverrunNotice(r.ctx, release), u)
	})
}

// The Dispatcher is a hookbridge.HandOff: a store may lease it the
// deliveries it queues as it stores a message, when a worker is free for
// them, so that they need no claim.
var _ hookbridge.HandOff = (*Dispatcher)(nil)

// Reserve reserves a worker for a delivery to the endpoint if Run is
// running, a worker is free, the endpoint has fewer than
// EndpointConcurrency deliveries in flight, and the last claim did not
// find more due deliveries than it could take (those come first). A
// claim under way counts the workers free when it started, so the
// reservations made meanwhile may take the work in flight a few past
// Workers until it ends.
func (d *Dispatcher) Reserve(endpointID string) bool {
	if !d.reserve(endpointID) {
		d.mayHaveWork() // the delivery stays for the claim
		return false
	}
	return true
}

// reserve is Reserve's decision and bookkeeping.
func (d *Dispatcher) reserve(endpointID string) bool {
	r := d.running.Load()
	if r == nil || d.backlog.Load() {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || int(r.inFlight.Load()) >= d.cfg.Workers || r.byEndpoint[endpointID] >= d.cfg.EndpointConcurrency {
		return false
	}
	r.beginLocked(endpointID, 1)
	return true
}

// Unreserve gives back a reservation that was not used: the delivery, if
// stored, is the claim's.
func (d *Dispatcher) Unreserve(endpointID string) {
	d.running.Load().end(endpointID, 1, d.cfg.EndpointConcurrency)
	d.mayHaveWork()
	signal(d.workDone)
}

// Take delivers c on the worker reserved for it.
func (d *Dispatcher) Take(c *hookbridge.Claim) {
	d.startWork(d.running.Load(), unit{c}, true)
}

// LeaseDuration is how long a delivery handed over is leased for.
func (d *Dispatcher) LeaseDuration() time.Duration { return d.cfg.Lease }

// RunDue claims and works off everything due at the clock's now, as many
// units at once as there are workers, until nothing more is due, and says
// how many deliveries it handled. It is Run's loop without waiting: with a
// fake clock, a test steps through a schedule of hours by moving the clock
// to the next due time and calling RunDue.
func (d *Dispatcher) RunDue(ctx context.Context) (int, error) {
	handled := 0
	for {
		units, err := d.claimUnits(ctx, d.clock.Now(), d.cfg.Workers)
		if err != nil {
			return handled, err
		}
		if len(units) == 0 {
			return handled, nil
		}
		var wg sync.WaitGroup
		for _, u := range units {
			handled += len(u)
			wg.Go(func() { d.process(ctx, u) })
		}
		wg.Wait()
	}
}

// minClaimInterval is the least time between two claims while workers are
// busy. Each claim costs a few queries whatever it finds, and under load
// workers free up one after another: claiming for each would spend more
// on claiming than on delivering (why: docs/benchmarks.md, “Round 2”).
// Waiting this long lets several workers free up, so one claim fills
// them. Idle workers claim at once, so the wait adds nothing to delivery
// lag at low rates.
const minClaimInterval = time.Millisecond

// pace waits until minClaimInterval has passed since the last claim.
func (d *Dispatcher) pace(ctx context.Context, lastClaim time.Time) {
	wait := minClaimInterval - time.Since(lastClaim)
	if wait <= 0 {
		return
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-ctx.Done():
	case <-timer.C:
	}
}

// idle waits until there may be something to do: a Notify while a
// worker is free, a worker freed while work may be unseen (mayHaveWork),
// a backlog lasts or the wake time has passed, the wake time while a
// worker is free, or the poll interval's end. It reports whether the
// wake time or the poll ended it.
func (d *Dispatcher) idle(ctx context.Context, haveFreeWorkers bool) (timed bool) {
	poll := time.NewTimer(d.cfg.PollInterval) // real time: a net under everything, whatever the clock
	defer poll.Stop()
	for {
		wake := d.wake
		if !haveFreeWorkers {
			wake = nil // only a freed worker matters now
		}
		due, stopDue := d.dueTimer(haveFreeWorkers)
		select {
		case <-ctx.Done():
			stopDue()
			return false
		case <-wake:
			stopDue()
			return false
		case <-d.workDone:
			stopDue()
			if d.unseen.Load() || d.backlog.Load() || d.wakeAt.due(d.clock.Now()) {
				return false
			}
			haveFreeWorkers = true // a worker is free now, but a claim would find nothing yet
		case <-due:
			return true
		case <-d.wakeAt.earlier:
			stopDue() // set the timer again
		case <-poll.C:
			stopDue()
			return true
		}
	}
}

// dueTimer returns a channel that receives at the wake time, if one is
// known and a worker is free to claim then, and a function that stops it.
func (d *Dispatcher) dueTimer(haveFreeWorkers bool) (<-chan time.Time, func()) {
	next := d.wakeAt.get()
	if !haveFreeWorkers || next.IsZero() {
		return nil, func() {}
	}
	return d.clock.After(next.Sub(d.clock.Now()))
}

// askNextDue asks the store when work next comes due after now, and wakes
// then.
func (d *Dispatcher) askNextDue(ctx context.Context, now time.Time) {
	next, err := d.store.NextDue(ctx, now)
	if err != nil {
		if ctx.Err() == nil {
			d.log.Error("ask when work comes due", "err", err)
		}
		return
	}
	d.wakeAt.at(next)
}

func (d *Dispatcher) drain(wg *sync.WaitGroup, cancelWork context.CancelFunc) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d.cfg.ShutdownGrace):
		d.log.Warn("shutdown grace over: interrupting in-flight deliveries")
		cancelWork()
		<-done
	}
}

// unit is what one worker sends as one request: one delivery, or the
// deliveries of one batching endpoint that are due together.
type unit []*hookbridge.Claim

// claimUnits claims up to limit units: deliveries shared out fairly across
// endpoints (see hookbridge.ClaimQuery.PerEndpoint), and for each endpoint
// that batches, as many more of its due deliveries as fit in a batch.
func (d *Dispatcher) claimUnits(ctx context.Context, now time.Time, limit int) ([]unit, error) {
	claims, err := d.store.Claim(ctx, hookbridge.ClaimQuery{
		Now: now, Limit: limit, Lease: d.cfg.Lease, PerEndpoint: d.cfg.EndpointConcurrency, Node: d.cfg.Node,
		ThrottleWindow: d.cfg.MaxThrottleWait / 2,
	})
	if err != nil {
		return nil, err
	}
	var (
		units   []unit
		batches = map[string]int{} // endpoint id → index in units
	)
	for _, c := range claims {
		if !d.batches(c.Endpoint) {
			units = append(units, unit{c})
			continue
		}
		if i, ok := batches[c.Endpoint.ID]; ok {
			units[i] = append(units[i], c)
			continue
		}
		batches[c.Endpoint.ID] = len(units)
		units = append(units, unit{c})
	}
	for id, i := range batches {
		more, err := d.fillBatch(ctx, now, id, len(units[i]))
		if err != nil {
			d.log.Error("claim deliveries to fill a batch", "endpoint_id", id, "err", err)
		}
		units[i] = append(units[i], more...)
	}
	return units, nil
}

// fillBatch claims more due deliveries of a batching endpoint, up to a
// batch's size.
func (d *Dispatcher) fillBatch(ctx context.Context, now time.Time, endpointID string, have int) ([]*hookbridge.Claim, error) {
	room := d.cfg.MaxBatch - have
	if room <= 0 {
		return nil, nil
	}
	more, err := d.store.Claim(ctx, hookbridge.ClaimQuery{Now: now, Limit: room, Lease: d.cfg.Lease, EndpointID: endpointID, Node: d.cfg.Node})
	if err != nil {
		return nil, fmt.Errorf("fill batch: %w", err)
	}
	return more, nil
}

// batches reports whether deliveries to ep go in batches.
func (d *Dispatcher) batches(ep *hookbridge.Endpoint) bool {
	if ep == nil || !ep.Batching {
		return false
	}
	_, ok := d.batcher(ep)
	return ok
}

func (d *Dispatcher) batcher(ep *hookbridge.Endpoint) (hookbridge.Batcher, bool) {
	integ, ok := d.planner.Integrations.Get(ep.Integration)
	if !ok {
		return nil, false
	}
	b, ok := integ.(hookbridge.Batcher)
	return b, ok
}

// process works one unit to its outcomes and records them.
func (d *Dispatcher) process(ctx context.Context, u unit) {
	if len(u) == 1 {
		d.deliverOne(ctx, u[0])
		return
	}
	d.deliverBatch(ctx, u)
}
