package delivery

import (
	"context"
	"time"

	"github.com/hookbridge/hookbridge"
)

// spacingGuard widens the interval between two requests of a rate-limited
// endpoint by this fraction (1/50: 2 %). A request that leaves a little
// late, or is a little slower on the way, then still arrives no closer
// to the one before it than the limit allows, so that a destination
// counting in windows of its own never sees one more than the limit.
const spacingGuard = 50

// spacing is the interval the dispatcher keeps between two requests to ep:
// its limit's interval and the guard; zero without a limit.
func spacing(ep *hookbridge.Endpoint) time.Duration {
	if ep == nil {
		return 0
	}
	interval := ep.Throttle().Interval()
	return interval + interval/spacingGuard
}

// takeTurn asks for ep's next turn under its rate limit, shared through the
// store with every worker of every process — one call, answering "your
// turn is at" or "come back at". It returns at, the turn taken (zero for an
// endpoint without a rate limit: at once), or, when the turn is further
// away than MaxThrottleWait, takes nothing and returns deferTo: when to
// try again, half a MaxThrottleWait before the turn would come, so that
// the delivery is claimed again in time to take it.
func (d *Dispatcher) takeTurn(ctx context.Context, ep *hookbridge.Endpoint) (at, deferTo time.Time, err error) {
	interval := spacing(ep)
	if interval <= 0 {
		return time.Time{}, time.Time{}, nil
	}
	at, ok, err := d.store.ReserveSend(ctx, ep.ID, interval, ep.Burst, d.clock.Now(), d.cfg.MaxThrottleWait)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	if !ok {
		return time.Time{}, at.Add(-d.cfg.MaxThrottleWait / 2), nil
	}
	return at, time.Time{}, nil
}

// missedTurn reports whether the turn at has passed by more than ep's
// allowance for lateness (lateAllowance).
func (d *Dispatcher) missedTurn(ep *hookbridge.Endpoint, at time.Time) bool {
	if at.IsZero() {
		return false
	}
	return d.clock.Now().Sub(at) > lateAllowance(ep)
}

// lateAllowance is how long after its turn a request to ep may still go: a
// fiftieth of the limit's period. A request sent later than its turn comes
// closer to the requests of later turns; within the allowance, the window
// of one period that holds it holds no more turns than the limit, as the
// spacing guard (spacingGuard) widens the turns' spacing by as much in
// all. A request later than that takes a turn afresh. At high rates the
// allowance spans many turns (20 ms at 1,000/s), more than a busy machine
// is late to wake a worker; at low ones it is a small part of one (20 ms
// at 1/s), so that two requests never arrive within one period where the
// limit allows one.
func lateAllowance(ep *hookbridge.Endpoint) time.Duration {
	limit := ep.Throttle()
	return limit.Interval() * time.Duration(limit.Requests) / spacingGuard
}

// waitForTurn waits until a turn that takeTurn gave, counted from now
// rather than from when the store answered: the turn is a moment in time,
// shared with other processes.
func (d *Dispatcher) waitForTurn(ctx context.Context, ep *hookbridge.Endpoint, at time.Time) error {
	if at.IsZero() {
		return ctx.Err()
	}
	wait := at.Sub(d.clock.Now())
	d.observe.RateLimitWaited(ep.Integration, wait)
	return d.clock.Sleep(ctx, wait)
}
