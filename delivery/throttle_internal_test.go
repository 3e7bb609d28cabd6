package delivery

import (
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

// TestLateAllowanceIsASpacingOrAFiftiethOfThePeriod: a request may go
// late by one spacing of its limit (2 % wider than the interval), or by a
// fiftieth of the limit's period where that is longer — at high rates,
// where a spacing is shorter than a busy machine's wake-up.
func TestLateAllowanceIsASpacingOrAFiftiethOfThePeriod(t *testing.T) {
	tests := []struct {
		requests int
		period   time.Duration
		want     time.Duration
	}{
		{2, 0, 510 * time.Millisecond},                  // a spacing: 500 ms and 2 %
		{20, 0, 51 * time.Millisecond},                  // 50 ms and 2 %
		{100, 0, 20 * time.Millisecond},                 // a fiftieth of a second beats 10.2 ms
		{1000, 0, 20 * time.Millisecond},                // a fiftieth of a second beats 1.02 ms
		{100, 10 * time.Second, 200 * time.Millisecond}, // HubSpot: a fiftieth of 10 s beats 102 ms
		{5, 2 * time.Second, 408 * time.Millisecond},    // Discord: a spacing, 400 ms and 2 %
	}
	for _, tt := range tests {
		ep := &hookbridge.Endpoint{RateLimit: tt.requests, RateLimitPeriod: hookbridge.Duration(tt.period)}
		if got := lateAllowance(ep); got != tt.want {
			t.Errorf("%d per %v: late allowance %v, want %v", tt.requests, tt.period, got, tt.want)
		}
	}
}
