package hookbridge

import "time"

// RateLimit is an endpoint's rate limit: at most Requests per Period,
// evenly spaced one Interval apart, except that Burst requests may go at
// once after a quiet spell.
type RateLimit struct {
	// Requests is how many requests go per Period; 0 means no limit.
	Requests int
	// Period is what Requests counts over; zero means one second.
	Period time.Duration
	// Burst is how many requests may go at once; 0 means 1.
	Burst int
}

// Limited reports whether there is a limit.
func (l RateLimit) Limited() bool { return l.Requests > 0 }

// Interval is the spacing between two requests, Period / Requests; zero
// without a limit.
func (l RateLimit) Interval() time.Duration {
	if l.Requests <= 0 {
		return 0
	}
	period := l.Period
	if period <= 0 {
		period = time.Second
	}
	return max(period/time.Duration(l.Requests), 1)
}

// Within is how many requests the limit lets go within d from a quiet
// start: the burst, plus one more for every interval in d.
func (l RateLimit) Within(d time.Duration) int {
	if l.Requests <= 0 {
		return 0
	}
	return max(l.Burst, 1) + int(d/l.Interval())
}

// ReserveTurn is the rate limiter both stores keep in their database: the
// generic cell rate algorithm (GCRA). tat is the endpoint's theoretical
// arrival time (zero if it has none): with one request every interval, a
// new request may go once now is within the burst tolerance,
// (burst-1) × interval, of tat.
//
// If the next request may go within maxWait of now, ReserveTurn returns
// when it goes (at, not before now), the new tat to store, and ok true.
// Otherwise it returns the earliest time the request could go, the tat
// unchanged, and ok false.
func ReserveTurn(tat, now time.Time, interval time.Duration, burst int, maxWait time.Duration) (at, newTAT time.Time, ok bool) {
	if interval <= 0 {
		return now, tat, true
	}
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
