package js

import (
	"time"

	"github.com/dlclark/regexp2/v2"
)

// MaxTimeout is the longest time limit a Sandbox accepts; a longer
// Options.Timeout is cut to it.
const MaxTimeout = 10 * time.Second

// A regular expression that needs backtracking (a lookahead, a
// backreference) runs in regexp2, which vm.Interrupt never reaches. A run
// stuck in one is abandoned (see Sandbox.execute), but it keeps its
// goroutine and a processor busy until the match ends: for a catastrophic
// pattern, hours. regexp2's match timeout bounds each match. goja exposes
// no per-runtime setting, so it is set here once for the process, to
// MaxTimeout: a match cut short by it has run longer than any call's time
// limit, so its run was already interrupted and its caller already given
// a timeout — no handler ever sees a match end early.
func init() {
	regexp2.DefaultMatchTimeout = MaxTimeout
}
