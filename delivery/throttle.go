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

// lateAllowance is how long after its turn a request to ep may still go:
// the spacing between two turns, or a fiftieth of the limit's period if
// that is longer. A request sent later than its turn arrives together with
// the requests of later turns; within the allowance, any one period sees at
// most a fiftieth of the limit more than its turns, and the spacing guard
// (spacingGuard) leaves that much room. A request later than that takes a
// turn afresh. The fiftieth matters at high rates, where one spacing is a
// millisecond or less and a busy machine wakes a worker later than that.
func lateAllowance(ep *hookbridge.Endpoint) time.Duration {
	limit := ep.Throttle()
	return max(spacing(ep), limit.Interval()*time.Duration(limit.Requests)/spacingGuard)
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
