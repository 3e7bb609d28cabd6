package js

import (
	"context"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

// TestBacktrackingRegexpEndsAtMaxTimeout runs a regular expression that
// backtracks for hours (a lookahead makes goja run it with regexp2, whose
// matching vm.Interrupt never reaches). The code has a key, so it runs on
// the caller's goroutine: the caller is told at the time limit that the
// run is stuck, and the call itself returns once regexp2's match timeout
// (MaxTimeout) has passed — not hours later — with the timeout error.
// Without the match timeout this test runs until the test binary's
// timeout.
func TestBacktrackingRegexpEndsAtMaxTimeout(t *testing.T) {
	t.Parallel()
	sb := New(Options{Timeout: 50 * time.Millisecond})
	code := `function handler(w) {
		if (w.payload.evil) /^(a+)+(?=b)/.test("a".repeat(40) + "!");
		return w;
	}`
	start := time.Now()
	noticed := make(chan time.Duration, 1)
	ctx := hookbridge.WithOverrunNotice(context.Background(), func() { noticed <- time.Since(start) })
	_, err := sb.Transform(ctx, "evil@1", code, input(`{"evil":true}`))
	elapsed := time.Since(start)
	wantCodeError(t, err, kindTimeout, "stuck in a built-in")
	if elapsed < MaxTimeout-time.Second || elapsed > MaxTimeout+5*time.Second {
		t.Errorf("the stuck run ended after %v, want about the match timeout %v", elapsed, MaxTimeout)
	}
	select {
	case at := <-noticed:
		if at >= MaxTimeout {
			t.Errorf("the caller was told after %v, when the run had ended", at)
		}
	default:
		t.Error("the caller was never told that the run overran")
	}
	if _, err := sb.Transform(context.Background(), "evil@1", code, input(`{}`)); err != nil {
		t.Errorf("code refused after its stuck run ended: %v", err)
	}
}
