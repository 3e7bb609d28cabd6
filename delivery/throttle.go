package delivery

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/hookbridge/hookbridge"
)

// takeSlot takes the next slot of ep's rate limit, shared through the
// store with every worker of every process, and returns when it is (zero
// for an endpoint without a rate limit: at once). If the slot is further
// away than MaxThrottleWait it takes nothing and returns deferTo instead:
// when to try again, so that the worker is not held up — about when the
// slot comes, spread over one more MaxThrottleWait so that the deliveries
// handed back together do not all come due at the same instant.
func (d *Dispatcher) takeSlot(ctx context.Context, ep *hookbridge.Endpoint) (at, deferTo time.Time, err error) {
	if ep == nil || ep.RateLimit <= 0 {
		return time.Time{}, time.Time{}, nil
	}
	at, ok, err := d.store.ReserveSend(ctx, ep.ID, ep.RateLimit, ep.Burst, d.clock.Now(), d.cfg.MaxThrottleWait)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	if !ok {
		return time.Time{}, at.Add(rand.N(d.cfg.MaxThrottleWait)), nil
	}
	return at, time.Time{}, nil
}

// missedSlot reports whether the slot at has passed by more than the
// interval between two of ep's slots. A request sent that late arrives
// together with the requests of later slots, and the destination would
// count more in one second than the limit allows.
func (d *Dispatcher) missedSlot(ep *hookbridge.Endpoint, at time.Time) bool {
	if at.IsZero() || ep.RateLimit <= 0 {
		return false
	}
	return d.clock.Now().Sub(at) > time.Second/time.Duration(ep.RateLimit)
}

// waitForSlot waits until a slot that takeSlot gave, counted from now
// rather than from when the store answered: the slot is a moment in time,
// shared with other processes.
func (d *Dispatcher) waitForSlot(ctx context.Context, ep *hookbridge.Endpoint, at time.Time) error {
	if at.IsZero() {
		return ctx.Err()
	}
	wait := at.Sub(d.clock.Now())
	d.observe.RateLimitWaited(ep.Integration, wait)
	return d.clock.Sleep(ctx, wait)
}
