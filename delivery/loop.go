package delivery

import (
	"context"
	"sync"
	"time"

	"github.com/hookbridge/hookbridge"
)

// loop is the state of one Run. Only Run's goroutine reads or changes it;
// the rest of the process tells it what happened through the inbox.
type loop struct {
	d *Dispatcher
	// workCtx is the context of the work started; it outlives Run's by
	// the shutdown grace.
	workCtx context.Context
	workers *goroutines
	// running counts the units in flight, for the shutdown to wait for.
	running sync.WaitGroup

	// inFlight counts the units in flight, each one request.
	inFlight int
	// byEndpoint counts the deliveries in flight by endpoint.
	byEndpoint map[string]int
	// started holds the ids of the deliveries in flight: one queued by
	// ingest that a claim of what is due has started already is not
	// claimed again by its id (a claim that misses it would take it for
	// passed over).
	started map[string]struct{}
	// queued are fresh deliveries waiting for a worker, to be claimed by
	// their ids.
	queued []*hookbridge.Delivery
	// claimable says a claim may find work that no claim has looked for.
	claimable bool
	// passedOver says deliveries older than the queued ones may wait in
	// the store: a claim by id left some of those it listed there, the
	// queue overflowed, or an endpoint that was at its cap has room again.
	// The claim of what is due, which takes the earliest first, goes
	// before the queued ones then.
	passedOver bool
	// backlog says the last claim filled every free worker: more may be
	// due, and they come before deliveries queued after them.
	backlog bool
	// timed says the next claim is the poll's or the wake time's: after
	// it, the store says when work comes due next, as only the store may
	// know (a retry another process recorded).
	timed bool
	// wakeAt is the earliest time known at which work comes due that no
	// claim has looked for; zero if none.
	wakeAt time.Time
	// debounce spaces the claims while workers are busy.
	debounce claimDebouncer
	// poll and pause are timers kept from one wait to the next.
	poll, pause *time.Timer
}

// minClaimInterval is the least time between two claims while workers are
// busy. Each claim costs the store a few queries whatever it finds, and
// under load workers free up one after another: claiming for each would
// spend more on claiming than on delivering (docs/benchmarks.md, “Round
// 2”). Waiting this long lets several workers free up and several ingests
// queue their deliveries, so that one claim takes them all. Idle workers
// claim at once, so the wait adds nothing to delivery lag at low rates.
const minClaimInterval = time.Millisecond

// claimDebouncer spaces claims: while work is in flight, a claim waits
// until interval has passed since the last one.
type claimDebouncer struct {
	interval time.Duration
	last     time.Time
}

// wait is how long a claim must wait at now; zero or less: none.
func (c *claimDebouncer) wait(now time.Time, busy bool) time.Duration {
	if !busy {
		return 0
	}
	return c.interval - now.Sub(c.last)
}

// claimed notes a claim at now.
func (c *claimDebouncer) claimed(now time.Time) { c.last = now }

func newLoop(d *Dispatcher, workCtx context.Context) *loop {
	return &loop{
		d: d, workCtx: workCtx, workers: newGoroutines(goIdle),
		byEndpoint: map[string]int{},
		started:    map[string]struct{}{},
		timed:      true, // the first claim asks when work comes due
		debounce:   claimDebouncer{interval: minClaimInterval},
		poll:       time.NewTimer(d.cfg.PollInterval),
		pause:      time.NewTimer(time.Hour),
	}
}

// Run delivers until ctx ends, then stops claiming, gives in-flight
// attempts ShutdownGrace to finish, and returns. Each turn of its loop
// takes the news from the inbox, then makes at most one claim — of the
// deliveries queued by ingest, by their ids, or of whatever is due — and
// starts a worker for each unit claimed, or waits for news, a time at
// which work comes due, or the poll.
func (d *Dispatcher) Run(ctx context.Context) error {
	// Work outlives ctx by the grace period, so it gets its own context.
	workCtx, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	l := newLoop(d, workCtx)
	defer l.workers.close()
	defer l.poll.Stop()
	defer l.pause.Stop()
	for ctx.Err() == nil {
		l.absorb(d.inbox.take())
		if !l.claim(ctx) {
			l.wait(ctx)
		}
	}
	d.drain(&l.running, cancelWork)
	return nil
}

// free is how many workers are free.
func (l *loop) free() int { return l.d.cfg.Workers - l.inFlight }

// absorb takes in the news.
func (l *loop) absorb(n news) {
	for _, e := range n.ended {
		l.end(e)
	}
	l.claimable = l.claimable || n.claimable
	if !n.dueAt.IsZero() && (l.wakeAt.IsZero() || n.dueAt.Before(l.wakeAt)) {
		l.wakeAt = n.dueAt
	}
	for _, d := range n.queued {
		if _, ok := l.started[d.ID]; !ok {
			l.queued = append(l.queued, d)
		}
	}
	if most := l.d.cfg.Workers; len(l.queued) > most {
		// More than the workers could take at once: the rest is the claim's.
		l.queued = l.queued[:most]
		l.claimable, l.passedOver = true, true
	}
}

// end counts a unit ended. An endpoint that had as many deliveries in
// flight as it may have (Config.EndpointConcurrency) has room again, and
// claims may have passed over its due deliveries.
func (l *loop) end(e endedUnit) {
	if l.byEndpoint[e.endpointID] >= l.d.cfg.EndpointConcurrency {
		l.claimable, l.passedOver = true, true
	}
	if l.byEndpoint[e.endpointID] -= len(e.deliveryIDs); l.byEndpoint[e.endpointID] <= 0 {
		delete(l.byEndpoint, e.endpointID)
	}
	for _, id := range e.deliveryIDs {
		delete(l.started, id)
	}
	l.inFlight--
}

// claim makes one claim if a worker is free, there is reason to claim and
// the debouncer lets it, starts the units claimed, and reports whether it
// claimed. Queued deliveries are claimed by their ids — unless older work
// may be waiting in the store (the last claim found a backlog, or claims
// passed deliveries over): then they are left to the claim of what is
// due, which takes the earliest first.
func (l *loop) claim(ctx context.Context) bool {
	free := l.free()
	if free <= 0 {
		return false
	}
	now := l.d.clock.Now()
	if !l.wakeAt.IsZero() && !l.wakeAt.After(now) {
		l.wakeAt, l.timed = time.Time{}, true
	}
	if l.backlog || l.passedOver {
		// Work older than the queued deliveries may be waiting in the
		// store: the claim of what is due takes the earliest first, the
		// queued ones with it.
		l.queued, l.claimable = nil, true
	}
	if len(l.queued) == 0 && !l.claimable && !l.backlog && !l.timed {
		return false
	}
	if l.debounce.wait(time.Now(), l.inFlight > 0) > 0 {
		return false
	}
	l.debounce.claimed(time.Now())
	l.poll.Reset(l.d.cfg.PollInterval)
	if len(l.queued) > 0 {
		l.claimQueued(ctx, now, free)
		return true
	}
	l.claimDue(ctx, now, free)
	return true
}

// claimQueued claims, by their ids, as many of the queued deliveries as
// there are free workers, and starts them. Those the claim does not
// return (their endpoint is at its cap, paused or ordered behind an older
// delivery) stay in the store for the next claim of whatever is due.
func (l *loop) claimQueued(ctx context.Context, now time.Time, free int) {
	take := l.queued[:min(free, len(l.queued))]
	l.queued = l.queued[len(take):]
	ids := make([]string, len(take))
	for i, q := range take {
		ids[i] = q.ID
	}
	units, err := l.d.claimUnits(ctx, now, free, ids)
	if err != nil && ctx.Err() == nil {
		l.d.log.Error("claim queued deliveries", "err", err)
	}
	claimed := 0
	for _, u := range units {
		claimed += len(u)
		l.start(u, false)
	}
	if claimed < len(ids) {
		l.claimable, l.passedOver = true, true
	}
}

// claimDue claims due deliveries for the free workers and starts them.
func (l *loop) claimDue(ctx context.Context, now time.Time, free int) {
	timed := l.timed
	l.claimable, l.passedOver, l.timed = false, false, false
	units, err := l.d.claimUnits(ctx, now, free, nil)
	if err != nil && ctx.Err() == nil {
		l.d.log.Error("claim deliveries", "err", err)
	}
	for _, u := range units {
		l.start(u, true)
	}
	l.backlog = len(units) > 0 && len(units) == free
	if timed {
		l.askNextDue(ctx, now)
	}
}

// start processes u on a worker, counted in flight until it ends. A
// worker whose transformation is stuck in a built-in past its time limit
// frees its worker as soon as the sandbox says so
// (hookbridge.WithOverrunNotice): it records its failure only when the
// built-in ends, and meanwhile other endpoints' deliveries take the worker.
// Shutdown does not wait for it either, as it would not for an abandoned
// run.
//
// When the unit ends, a claim may find work that it held back: the next
// delivery of an ordered endpoint, or — for a unit of the claim of what
// is due — others that claim passed over.
func (l *loop) start(u unit, claimedDue bool) {
	endpointID := u[0].Delivery.EndpointID
	l.inFlight++
	l.byEndpoint[endpointID] += len(u)
	ids := make([]string, len(u))
	for i, c := range u {
		ids[i] = c.Delivery.ID
		l.started[c.Delivery.ID] = struct{}{}
	}
	l.running.Add(1)
	claimable := claimedDue || (u[0].Endpoint != nil && u[0].Endpoint.Ordering.Enabled)
	inbox := l.d.inbox
	release := sync.OnceFunc(func() {
		inbox.post(func(n *news) {
			n.ended = append(n.ended, endedUnit{endpointID: endpointID, deliveryIDs: ids})
			n.claimable = n.claimable || claimable
		})
		l.running.Done()
	})
	l.workers.run(func() {
		defer release()
		l.d.process(hookbridge.WithOverrunNotice(l.workCtx, release), u)
	})
}

// wait waits for news, the wake time (with a worker free), the end of the
// debouncer's wait (with a claim to make), or the poll.
func (l *loop) wait(ctx context.Context) {
	var due <-chan time.Time
	if l.free() > 0 && !l.wakeAt.IsZero() {
		var stop func()
		due, stop = l.d.clock.After(l.wakeAt.Sub(l.d.clock.Now()))
		defer stop()
	}
	var paused <-chan time.Time
	if l.free() > 0 && (len(l.queued) > 0 || l.claimable || l.backlog || l.timed) {
		l.pause.Reset(max(l.debounce.wait(time.Now(), true), 0))
		paused = l.pause.C
	}
	select {
	case <-ctx.Done():
	case <-l.d.inbox.posted:
	case <-due:
	case <-paused:
	case <-l.poll.C:
		l.timed = true
		l.poll.Reset(l.d.cfg.PollInterval)
	}
}

// askNextDue asks the store when work next comes due after now, and wakes
// then.
func (l *loop) askNextDue(ctx context.Context, now time.Time) {
	next, err := l.d.store.NextDue(ctx, now)
	if err != nil {
		if ctx.Err() == nil {
			l.d.log.Error("ask when work comes due", "err", err)
		}
		return
	}
	if !next.IsZero() && (l.wakeAt.IsZero() || next.Before(l.wakeAt)) {
		l.wakeAt = next
	}
}

// drain waits for the work in flight, interrupting it once the shutdown
// grace is over.
func (d *Dispatcher) drain(running *sync.WaitGroup, cancelWork context.CancelFunc) {
	done := make(chan struct{})
	go func() { running.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d.cfg.ShutdownGrace):
		d.log.Warn("shutdown grace over: interrupting in-flight deliveries")
		cancelWork()
		<-done
	}
}
