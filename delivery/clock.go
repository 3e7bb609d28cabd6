package delivery

import (
	"context"
	"time"
)

// Clock is where the dispatcher reads the time and waits. Claims, leases,
// retry times and attempt times all come from it, so a test can give the
// dispatcher a fake clock and walk a schedule of hours in milliseconds
// (see Dispatcher.RunDue).
type Clock interface {
	Now() time.Time
	// Sleep waits for d, or until ctx ends (then it returns ctx's error).
	Sleep(ctx context.Context, d time.Duration) error
	// After returns a channel that receives the time once d has passed,
	// and a function that stops it (the channel then never receives).
	After(d time.Duration) (c <-chan time.Time, stop func())
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits for d or until ctx ends.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// After returns a timer's channel and its Stop.
func (SystemClock) After(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTimer(d)
	return t.C, func() { t.Stop() }
}
