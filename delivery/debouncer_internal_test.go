package delivery

import (
	"testing"
	"time"
)

// TestClaimDebouncerSpacesClaimsOnlyWhileBusy: while work is in flight a
// claim waits until the interval has passed since the last claim; with
// nothing in flight it never waits.
func TestClaimDebouncerSpacesClaimsOnlyWhileBusy(t *testing.T) {
	start := time.Unix(0, 0)
	d := claimDebouncer{interval: time.Millisecond}
	d.claimed(start)
	for _, tt := range []struct {
		after time.Duration
		busy  bool
		want  time.Duration
	}{
		{0, true, time.Millisecond},
		{400 * time.Microsecond, true, 600 * time.Microsecond},
		{time.Millisecond, true, 0},
		{3 * time.Millisecond, true, -2 * time.Millisecond}, // overdue: no wait
		{0, false, 0},
		{400 * time.Microsecond, false, 0},
	} {
		if got := d.wait(start.Add(tt.after), tt.busy); got != tt.want {
			t.Errorf("%v after a claim, busy %v: wait %v, want %v", tt.after, tt.busy, got, tt.want)
		}
	}
	d.claimed(start.Add(5 * time.Millisecond))
	if got := d.wait(start.Add(5*time.Millisecond), true); got != time.Millisecond {
		t.Errorf("right after the next claim: wait %v, want the whole interval", got)
	}
}
