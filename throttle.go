package hookbridge

import "time"

// ReserveSlot is the rate limiter both stores keep in their database: the
// generic cell rate algorithm (GCRA). tat is the endpoint's theoretical
// arrival time (zero if it has none): with rate requests per second, one
// request every 1/rate, a new request may go once now is within the burst
// tolerance, (burst-1)/rate, of tat.
//
// If the next request may go within maxWait of now, ReserveSlot returns
// when it goes (at, not before now), the new tat to store, and ok true.
// Otherwise it returns the earliest time the request could go, the tat
// unchanged, and ok false.
func ReserveSlot(tat, now time.Time, rate, burst int, maxWait time.Duration) (at, newTAT time.Time, ok bool) {
	if rate <= 0 {
		return now, tat, true
	}
	interval := time.Second / time.Duration(rate)
	tolerance := time.Duration(max(burst, 1)-1) * interval
	start := tat
	if start.Before(now) {
		start = now
	}
	at = start.Add(-tolerance)
	if at.Sub(now) > maxWait {
		return at, tat, false
	}
	if at.Before(now) {
		at = now
	}
	return at, start.Add(interval), true
}
