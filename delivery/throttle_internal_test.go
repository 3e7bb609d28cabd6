package delivery

import (
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

// TestLateAllowanceIsAFiftiethOfThePeriod: a request may go late by a
// fiftieth of its limit's period, the room the spacing guard (2 %) leaves
// in every period, whatever the rate.
func TestLateAllowanceIsAFiftiethOfThePeriod(t *testing.T) {
	tests := []struct {
		requests int
		period   time.Duration
		want     time.Duration
	}{
		{1, 0, 20 * time.Millisecond},                   // a small part of one 1.02 s spacing
		{2, 0, 20 * time.Millisecond},                   // of 510 ms
		{20, 0, 20 * time.Millisecond},                  // of 51 ms
		{100, 0, 20 * time.Millisecond},                 // about two 10.2 ms spacings
		{1000, 0, 20 * time.Millisecond},                // about twenty 1.02 ms spacings
		{100, 10 * time.Second, 200 * time.Millisecond}, // HubSpot
		{5, 2 * time.Second, 40 * time.Millisecond},     // Discord
	}
	for _, tt := range tests {
		ep := &hookbridge.Endpoint{RateLimit: tt.requests, RateLimitPeriod: hookbridge.Duration(tt.period)}
		if got := lateAllowance(ep); got != tt.want {
			t.Errorf("%d per %v: late allowance %v, want %v", tt.requests, tt.period, got, tt.want)
		}
	}
}
