package hookbridge_test

import (
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

func TestRateLimitIntervalAndWithin(t *testing.T) {
	for _, c := range []struct {
		name     string
		limit    hookbridge.RateLimit
		interval time.Duration
		within   int // within 200 ms
	}{
		{"none", hookbridge.RateLimit{}, 0, 0},
		{"1/s", hookbridge.RateLimit{Requests: 1}, time.Second, 1},
		{"20/s", hookbridge.RateLimit{Requests: 20}, 50 * time.Millisecond, 5},
		{"1000/s burst 10", hookbridge.RateLimit{Requests: 1000, Burst: 10}, time.Millisecond, 210},
		{"HubSpot 100 per 10 s", hookbridge.RateLimit{Requests: 100, Period: 10 * time.Second}, 100 * time.Millisecond, 3},
		{"Discord 5 per 2 s", hookbridge.RateLimit{Requests: 5, Period: 2 * time.Second}, 400 * time.Millisecond, 1},
	} {
		if got := c.limit.Interval(); got != c.interval {
			t.Errorf("%s: interval %v, want %v", c.name, got, c.interval)
		}
		if got := c.limit.Within(200 * time.Millisecond); got != c.within {
			t.Errorf("%s: %d within 200 ms, want %d", c.name, got, c.within)
		}
	}
}
