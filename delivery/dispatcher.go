package delivery

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"sync"
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
	// knows work comes due (see loop.wakeAt).
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

// positiveOr returns v if it is positive, and def otherwise.
func positiveOr[T int | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

func (c Config) withDefaults(timeout time.Duration) Config {
	c.Workers = positiveOr(c.Workers, DefaultWorkers)
	c.Lease = positiveOr(c.Lease, max(timeout, MaxEndpointTimeout)+time.Minute)
	c.PollInterval = positiveOr(c.PollInterval, time.Second)
	c.ShutdownGrace = positiveOr(c.ShutdownGrace, 10*time.Second)
	c.EndpointConcurrency = positiveOr(c.EndpointConcurrency, max(1, c.Workers*3/4))
	c.MaxBatch = positiveOr(c.MaxBatch, 100)
	c.MaxThrottleWait = positiveOr(c.MaxThrottleWait, 500*time.Millisecond)
	c.MinPause = positiveOr(c.MinPause, time.Second)
	if c.Clock == nil {
		c.Clock = SystemClock{}
	}
	if c.Observer == nil {
		c.Observer = noObserver{}
	}
	return c
}

// Dispatcher claims due deliveries and works them off. One goroutine, its
// loop (Run), decides what to claim and starts the workers; everyone else
// tells it what happened through its inbox.
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
	// inbox carries news to the loop.
	inbox *inbox
	// completer records the workers' completions in batches.
	completer *completer
}

// New makes a dispatcher. logger may be nil.
func New(store Store, planner *Planner, sender *Sender, retry RetryPolicy, cfg Config, logger *slog.Logger) *Dispatcher {
	logger = cmp.Or(logger, slog.New(slog.DiscardHandler))
	timeout := positiveOr(sender.Timeout, DefaultTimeout)
	cfg = cfg.withDefaults(timeout)
	return &Dispatcher{
		store:     store,
		planner:   planner,
		sender:    sender,
		retry:     retry,
		cfg:       cfg,
		clock:     cfg.Clock,
		observe:   cfg.Observer,
		log:       logger,
		timeout:   timeout,
		inbox:     newInbox(),
		completer: newCompleter(store),
	}
}

// Queued tells the dispatcher of deliveries an ingest stored, due at once
// (hookbridge.Ingested.Queued): it claims them by their ids as soon as it
// has workers for them, in one store call with any others queued
// meanwhile, and leaves those it has no worker for to its claims. It
// never blocks.
func (d *Dispatcher) Queued(ds []*hookbridge.Delivery) {
	if len(ds) > 0 {
		d.inbox.postQueued(ds)
	}
}

// Notify tells the dispatcher that work may be due that it was not told
// of (a delivery retried or resent through the API, work another process
// queued), so it claims at once instead of at its next poll. It never
// blocks.
func (d *Dispatcher) Notify() { d.inbox.postClaimable() }

// RunDue claims and works off everything due at the clock's now, as many
// units at once as there are workers, until nothing more is due, and says
// how many deliveries it handled. It is Run's loop without waiting: with a
// fake clock, a test steps through a schedule of hours by moving the clock
// to the next due time and calling RunDue.
func (d *Dispatcher) RunDue(ctx context.Context) (int, error) {
	handled := 0
	for {
		units, err := d.claimUnits(ctx, d.clock.Now(), d.cfg.Workers, nil)
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

// unit is what one worker sends as one request: one delivery, or the
// deliveries of one batching endpoint that are due together.
type unit []*hookbridge.Claim

// claimUnits claims up to limit units: deliveries shared out fairly across
// endpoints (see hookbridge.ClaimQuery.PerEndpoint), only those of ids if
// ids is not empty, and for each endpoint that batches, as many more of
// its due deliveries as fit in a batch.
func (d *Dispatcher) claimUnits(ctx context.Context, now time.Time, limit int, ids []string) ([]unit, error) {
	claims, err := d.store.Claim(ctx, hookbridge.ClaimQuery{
		Now: now, Limit: limit, Lease: d.cfg.Lease, PerEndpoint: d.cfg.EndpointConcurrency, Node: d.cfg.Node,
		ThrottleWindow: d.cfg.MaxThrottleWait / 2, IDs: ids,
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
