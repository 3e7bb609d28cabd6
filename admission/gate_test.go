package admission_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge/admission"
)

const mib = 1 << 20

func newGate(t *testing.T, l admission.Limits) *admission.Gate {
	t.Helper()
	g, err := admission.New(l)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// admitNow admits a run that must start at once.
func admitNow(t *testing.T, g *admission.Gate, app string) func() {
	t.Helper()
	done, err := g.Admit(t.Context(), app, "ep_"+app, time.Nanosecond)
	if err != nil {
		t.Fatalf("a run of %s did not start at once: %v", app, err)
	}
	return done
}

// admitted is the outcome of a run that waits.
type admitted struct {
	app  string
	n    int
	done func()
	err  error
}

// admitLater starts waiting for a run of app in the background; the
// outcome arrives on out.
func admitLater(ctx context.Context, g *admission.Gate, app string, n int, maxWait time.Duration, out chan<- admitted) {
	go func() {
		done, err := g.Admit(ctx, app, "ep_"+app, maxWait)
		out <- admitted{app: app, n: n, done: done, err: err}
	}()
}

// waitForWaiting waits until n runs wait in all.
func waitForWaiting(t *testing.T, g *admission.Gate, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for g.Load().Waiting != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d runs wait, want %d", g.Load().Waiting, n)
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
}

func TestAppLimit(t *testing.T) {
	g := newGate(t, admission.Limits{Runs: 4, RunsPerApp: 2, RunsPerLane: 2})
	admitNow(t, g, "acme")
	admitNow(t, g, "acme")
	_, err := g.Admit(t.Context(), "acme", "ep_other", 10*time.Millisecond)
	var busy *admission.BusyError
	if !errors.As(err, &busy) || !errors.Is(err, admission.ErrBusy) || busy.Limit != admission.LimitApp {
		t.Fatalf("a third run of one app: %v, want a BusyError for the app's limit", err)
	}
	if !strings.Contains(err.Error(), "app acme already has 2 transformation runs in progress") {
		t.Errorf("message %q does not say the app's limit is reached", err)
	}
	admitNow(t, g, "globex")
	if got := g.AppLoad("acme"); got != (admission.Load{Running: 2}) {
		t.Errorf("acme's load %+v after its refused run", got)
	}
}

// TestLaneLimit: one endpoint's runs take at most their lane's share of
// the app's, and a run of the app's other endpoint starts ahead of the
// first endpoint's waiting ones.
func TestLaneLimit(t *testing.T) {
	g := newGate(t, admission.Limits{Runs: 4, RunsPerApp: 2, RunsPerLane: 1})
	end, err := g.Admit(t.Context(), "acme", "ep_hostile", 0)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan admitted, 2)
	go func() {
		done, err := g.Admit(t.Context(), "acme", "ep_hostile", 0)
		out <- admitted{app: "hostile", done: done, err: err}
	}()
	waitForWaiting(t, g, 1)
	ordinary, err := g.Admit(t.Context(), "acme", "ep_ordinary", time.Nanosecond)
	if err != nil {
		t.Fatalf("the app's other endpoint waited behind the first's: %v", err)
	}
	_, err = g.Admit(t.Context(), "acme", "ep_third", 10*time.Millisecond)
	var busy *admission.BusyError
	if !errors.As(err, &busy) || busy.Limit != admission.LimitApp {
		t.Fatalf("a run of a full app: %v, want a BusyError for the app's limit", err)
	}
	ordinary()
	_, err = g.Admit(t.Context(), "acme", "ep_hostile", 10*time.Millisecond)
	if !errors.As(err, &busy) || busy.Limit != admission.LimitLane || !strings.Contains(err.Error(), "ep_hostile of app acme") {
		t.Fatalf("a second run of one endpoint: %v, want a BusyError for the lane's limit", err)
	}
	end()
	if r := <-out; r.err != nil {
		t.Fatalf("the waiting run did not start once the first ended: %v", r.err)
	}
}

func TestProcessLimit(t *testing.T) {
	g := newGate(t, admission.Limits{Runs: 2, RunsPerApp: 2, RunsPerLane: 2})
	endA := admitNow(t, g, "a")
	admitNow(t, g, "b")
	_, err := g.Admit(t.Context(), "c", "ep_c", 10*time.Millisecond)
	var busy *admission.BusyError
	if !errors.As(err, &busy) || busy.Limit != admission.LimitRuns {
		t.Fatalf("a third run: %v, want a BusyError for the process's limit", err)
	}
	out := make(chan admitted, 1)
	admitLater(t.Context(), g, "c", 0, 0, out)
	waitForWaiting(t, g, 1)
	endA()
	endA() // a second call changes nothing
	if r := <-out; r.err != nil {
		t.Fatalf("c did not start once a ended: %v", r.err)
	}
	if got := g.Load(); got != (admission.Load{Running: 2}) {
		t.Errorf("load %+v, want 2 running", got)
	}
}

func TestMemoryBudget(t *testing.T) {
	g := newGate(t, admission.Limits{Runs: 8, RunMemory: 64 * mib, Memory: 128 * mib})
	admitNow(t, g, "a")
	admitNow(t, g, "b")
	_, err := g.Admit(t.Context(), "c", "ep_c", 10*time.Millisecond)
	var busy *admission.BusyError
	if !errors.As(err, &busy) || busy.Limit != admission.LimitMemory {
		t.Fatalf("a third run of 64 MiB in a 128 MiB budget: %v, want a BusyError for memory", err)
	}
	want := "the process-wide memory budget of running transformations is spent: 2 runs in progress hold 64 MiB each of the 128 MiB budget"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("message %q, want it to say %q", err, want)
	}
	if _, err := admission.New(admission.Limits{RunMemory: 64 * mib, Memory: 32 * mib}); err == nil {
		t.Error("a budget smaller than one run's was accepted")
	}
}

func TestWaitEndsWithContext(t *testing.T) {
	g := newGate(t, admission.Limits{Runs: 1})
	end := admitNow(t, g, "a")
	ctx, cancel := context.WithCancel(t.Context())
	out := make(chan admitted, 1)
	admitLater(ctx, g, "b", 0, 0, out)
	waitForWaiting(t, g, 1)
	cancel()
	r := <-out
	if !errors.Is(r.err, context.Canceled) || errors.Is(r.err, admission.ErrBusy) {
		t.Fatalf("a wait whose context ended: %v, want context.Canceled", r.err)
	}
	if got := g.Load(); got != (admission.Load{Running: 1}) {
		t.Fatalf("load %+v after the wait ended, want the one run and nobody waiting", got)
	}
	end()
	if got := g.Load(); got != (admission.Load{}) {
		t.Errorf("load %+v once every run ended", got)
	}
	admitNow(t, g, "c")
}

// TestFairness: one app's queue of twenty runs does not keep another
// app's run waiting behind it; the next run to start is that of the app
// with the fewest in progress, and each app's runs start in order.
func TestFairness(t *testing.T) {
	g := newGate(t, admission.Limits{Runs: 2, RunsPerApp: 2, RunsPerLane: 2})
	endHostile := admitNow(t, g, "hostile")
	admitNow(t, g, "hostile")
	out := make(chan admitted, 21)
	for i := range 20 {
		admitLater(t.Context(), g, "hostile", i, 0, out)
		waitForWaiting(t, g, i+1) // so that they arrive in order
	}
	admitLater(t.Context(), g, "quiet", 0, 0, out)
	waitForWaiting(t, g, 21)

	endHostile()
	first := <-out
	if first.app != "quiet" || first.err != nil {
		t.Fatalf("the first run to start after one ended is %s's (%v), want quiet's", first.app, first.err)
	}
	first.done()
	for want := range 20 {
		r := <-out
		if r.err != nil || r.n != want {
			t.Fatalf("hostile run %d started where run %d was due (%v)", r.n, want, r.err)
		}
		r.done()
	}
}

// TestFewestRunningFirst: among apps that wait, the one with fewer runs
// in progress goes first, whoever came first.
func TestFewestRunningFirst(t *testing.T) {
	g := newGate(t, admission.Limits{Runs: 3, RunsPerApp: 3, RunsPerLane: 3})
	endA := admitNow(t, g, "a")
	admitNow(t, g, "a")
	admitNow(t, g, "b")
	out := make(chan admitted, 2)
	admitLater(t.Context(), g, "a", 0, 0, out)
	waitForWaiting(t, g, 1)
	admitLater(t.Context(), g, "c", 0, 0, out)
	waitForWaiting(t, g, 2)
	endA()
	if r := <-out; r.app != "c" {
		t.Fatalf("%s started first, want c (no runs) before a (one run)", r.app)
	}
}

func TestDefaults(t *testing.T) {
	procs := runtime.GOMAXPROCS(0)
	for _, tc := range []struct {
		in, want admission.Limits
	}{
		{admission.Limits{}, admission.Limits{Runs: 2 * procs, RunsPerApp: procs, RunsPerLane: max(1, procs/2)}},
		{admission.Limits{Runs: 2, RunMemory: 64 * mib}, admission.Limits{Runs: 2, RunsPerApp: 1, RunsPerLane: 1, RunMemory: 64 * mib, Memory: 128 * mib}},
		{admission.Limits{Runs: 16, RunsPerApp: 20, RunsPerLane: 30}, admission.Limits{Runs: 16, RunsPerApp: 16, RunsPerLane: 16}},
		{admission.Limits{Runs: 16, RunMemory: -1}, admission.Limits{Runs: 16, RunsPerApp: 8, RunsPerLane: 4, RunMemory: -1}},
	} {
		t.Run(fmt.Sprintf("%+v", tc.in), func(t *testing.T) {
			if got := newGate(t, tc.in).Limits(); got != tc.want {
				t.Errorf("limits %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestNilGateAdmitsAtOnce(t *testing.T) {
	var g *admission.Gate
	done, err := g.Admit(t.Context(), "a", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	done()
}
