package js

import (
	"context"
	"testing"
	"time"
)

// TestBacktrackingRegexpEndsAtMaxTimeout runs a regular expression that
// backtracks for hours (a lookahead makes goja run it with regexp2, whose
// matching vm.Interrupt never reaches). The caller gets its timeout at once
// and the run is abandoned, as for any stuck built-in; what this test adds
// is that the abandoned run ends too, once regexp2's match timeout
// (MaxTimeout) has passed, so that the code runs again instead of being
// refused while a processor stays busy for hours.
func TestBacktrackingRegexpEndsAtMaxTimeout(t *testing.T) {
	t.Parallel()
	sb := New(Options{Timeout: 50 * time.Millisecond})
	code := `function handler(w) {
		if (w.payload.evil) /^(a+)+(?=b)/.test("a".repeat(40) + "!");
		return w;
	}`
	ctx := context.Background()
	start := time.Now()
	_, err := sb.Transform(ctx, "evil@1", code, input(`{"evil":true}`))
	wantCodeError(t, err, kindTimeout, "stuck in a built-in")
	_, err = sb.Transform(ctx, "evil@1", code, input(`{}`))
	wantCodeError(t, err, kindTimeout, "still stuck")

	deadline := start.Add(MaxTimeout + 5*time.Second)
	for err != nil && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		_, err = sb.Transform(ctx, "evil@1", code, input(`{}`))
	}
	if err != nil {
		t.Fatalf("code still refused %v after the stuck match began (match timeout %v): %v",
			time.Since(start).Round(time.Second), MaxTimeout, err)
	}
}
