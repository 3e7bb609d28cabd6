package js

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// hostileLimit is the time limit of the hostile-handler tests: short, so
// that handlers that loop forever end soon.
const hostileLimit = 50 * time.Millisecond

// hostileBound is how long a hostile run may take at most: its time limit,
// the grace period of a run stuck in Go, and room for a busy machine.
const hostileBound = hostileLimit + stopGrace + 2*time.Second

// loopForever is a getter, trap or method body that never returns.
const loopForever = `for (;;) {}`

// transformBounded runs code under key and checks that it returns within
// hostileBound. A panic in the sandbox would end the test
// binary here, on the runner's goroutine or on this one.
func transformBounded(t *testing.T, sb *Sandbox, key, code string) error {
	t.Helper()
	start := time.Now()
	_, err := sb.Transform(context.Background(), key, code, input(testPayload))
	if elapsed := time.Since(start); elapsed > hostileBound {
		t.Fatalf("Transform took %v, more than %v", elapsed, hostileBound)
	}
	return err
}

// TestHostileHandlersStayInTheSandbox runs handlers whose errors and
// results run user code when Go reads them — the handler of issue 15 first
// (a thrown Error whose message getter never returns, which ended the
// process) — with a key (in place) and without (handed over). Each fails
// with a CodeError of the expected kind within the limits, and the sandbox
// goes on working.
func TestHostileHandlersStayInTheSandbox(t *testing.T) {
	errorWith := func(property, getter string) string {
		return `var e = new Error("x"); Object.defineProperty(e, "` + property + `", { get() { ` + getter + ` } });`
	}
	cases := []struct {
		name, code, kind, fragment string
	}{
		{"issue 15: thrown Error's message getter loops",
			`function handler(w){ var e=new Error("x"); Object.defineProperty(e,"message",{get(){for(;;){}}}); throw e }`,
			kindTimeout, "did not finish"},
		{"thrown Error's name getter loops",
			`function handler(w) { ` + errorWith("name", loopForever) + ` throw e }`, kindTimeout, "did not finish"},
		{"thrown Error's message getter recurses",
			`function handler(w) { ` + errorWith("message", `return (function r() { return r() })()`) + ` throw e }`,
			kindLimit, "call stack"},
		{"thrown Error's stack getter loops",
			`function handler(w) { ` + errorWith("stack", loopForever) + ` throw e }`, kindRuntime, "Error: x"},
		{"thrown Error's message getter throws",
			`function handler(w) { ` + errorWith("message", `throw new Error("again")`) + ` throw e }`,
			kindRuntime, "cannot be shown"},
		{"thrown Error's toString loops",
			`function handler(w) { var e = new Error("x"); e.toString = function () { ` + loopForever + ` }; throw e }`,
			kindRuntime, "Error: x"},
		{"thrown object's toJSON loops",
			`function handler(w) { throw { toJSON() { ` + loopForever + ` } } }`, kindTimeout, "did not finish"},
		{"thrown object's toString and valueOf loop",
			`function handler(w) { throw { toString() { ` + loopForever + ` }, valueOf() { ` + loopForever + ` } } }`,
			kindRuntime, "{}"},
		{"thrown Proxy's get trap loops",
			`function handler(w) { throw new Proxy({}, { get() { ` + loopForever + ` } }) }`, kindTimeout, "did not finish"},
		{"thrown revoked Proxy",
			`function handler(w) { var r = Proxy.revocable({}, {}); r.revoke(); throw r.proxy }`,
			kindRuntime, "cannot be shown"},
		{"top-level code throws an Error whose message getter loops",
			errorWith("message", loopForever) + ` throw e; function handler(w) { return w }`, kindTimeout, "did not finish"},
		{"async handler rejects with an Error whose message getter loops",
			`async function handler(w) { ` + errorWith("message", loopForever) + ` throw e }`, kindTimeout, "did not finish"},
		{"result is a Proxy whose get trap loops",
			`function handler(w) { return new Proxy(w, { get() { ` + loopForever + ` } }) }`, kindTimeout, "did not finish"},
		{"result's url getter loops",
			`function handler(w) { Object.defineProperty(w, "url", { get() { ` + loopForever + ` } }); return w }`,
			kindTimeout, "did not finish"},
		{"result's headers getter loops",
			`function handler(w) { Object.defineProperty(w, "headers", { get() { ` + loopForever + ` } }); return w }`,
			kindTimeout, "did not finish"},
		{"a header's getter loops",
			`function handler(w) { w.headers = { get "X-A"() { ` + loopForever + ` } }; return w }`,
			kindTimeout, "did not finish"},
		{"headers Proxy's ownKeys trap loops",
			`function handler(w) { w.headers = new Proxy({}, { ownKeys() { ` + loopForever + ` } }); return w }`,
			kindTimeout, "did not finish"},
		{"cancel is an object whose getter loops",
			`function handler(w) { w.cancel = { get a() { ` + loopForever + ` } }; return w }`,
			kindResult, "webhook.cancel must be true or false, but it is an object"},
		{"payload's toJSON throws an Error whose message getter loops",
			`function handler(w) { w.payload = { toJSON() { ` + errorWith("message", loopForever) + ` throw e } }; return w }`,
			kindTimeout, "did not finish"},
		{"console.log of an object whose getter loops",
			`function handler(w) { console.log({ get a() { ` + loopForever + ` } }); return w }`, kindTimeout, "did not finish"},
		{"console.log %d of an object whose valueOf loops",
			`function handler(w) { console.log("%d", { valueOf() { ` + loopForever + ` } }); return w }`,
			kindTimeout, "did not finish"},
	}
	sb := New(Options{Timeout: hostileLimit})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, key := range []string{"", "hostile@" + tc.name} {
				err := transformBounded(t, sb, key, tc.code)
				wantCodeError(t, err, tc.kind, tc.fragment)
			}
			if err := transformBounded(t, sb, "", `function handler(w) { return w }`); err != nil {
				t.Fatalf("the sandbox no longer runs code: %v", err)
			}
		})
	}
}

// crashSandbox returns a Sandbox whose runtimes have goPanic, a built-in
// that panics in Go as a bug in the runtime would (a nil map written).
func crashSandbox() *Sandbox {
	sb := New(Options{Timeout: hostileLimit})
	sb.extendRuntime = func(inst *instance) {
		_ = inst.vm.Set("goPanic", func(goja.FunctionCall) goja.Value {
			var m map[string]int
			m["boom"] = 1
			return goja.Undefined()
		})
	}
	return sb
}

// TestRuntimeCrashIsRecovered checks that a Go panic inside the sandbox —
// while the handler runs, while Go reads its result or its thrown error,
// or in top-level code — is recovered as a CodeError of kind "crash", with
// or without a key, and that the sandbox goes on working.
func TestRuntimeCrashIsRecovered(t *testing.T) {
	codes := map[string]string{
		"handler":       `function handler(w) { goPanic(); return w }`,
		"result getter": `function handler(w) { Object.defineProperty(w, "url", { get: goPanic }); return w }`,
		"error getter":  `function handler(w) { var e = new Error("x"); Object.defineProperty(e, "message", { get: goPanic }); throw e }`,
		"top level":     `goPanic(); function handler(w) { return w }`,
	}
	sb := crashSandbox()
	for name, code := range codes {
		t.Run(name, func(t *testing.T) {
			for _, key := range []string{"", "crash@" + name} {
				err := transformBounded(t, sb, key, code)
				wantCodeError(t, err, kindCrash, "assignment to entry in nil map")
			}
			if err := transformBounded(t, sb, "crash@"+name, `function handler(w) { return w }`); err != nil {
				t.Fatalf("the sandbox no longer runs code: %v", err)
			}
		})
	}
}

// TestReadingTheResultCountsTowardTheTimeLimit gives the result a getter
// written in Go that returns only once the run has been interrupted, so
// the time limit passes while Go reads the result and no JavaScript runs
// after it: the run fails with a timeout rather than succeeding late.
func TestReadingTheResultCountsTowardTheTimeLimit(t *testing.T) {
	sb := New(Options{Timeout: 20 * time.Millisecond})
	sb.extendRuntime = func(inst *instance) {
		_ = inst.vm.Set("postOnceInterrupted", func(goja.FunctionCall) goja.Value {
			for deadline := time.Now().Add(5 * time.Second); !inst.stopped() && time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
			return inst.vm.ToValue("POST")
		})
	}
	code := `function handler(w) { Object.defineProperty(w, "method", { get: postOnceInterrupted, enumerable: true }); return w }`
	for _, key := range []string{"", "slow-result@1"} {
		_, err := sb.Transform(context.Background(), key, code, input(testPayload))
		wantCodeError(t, err, kindTimeout, "did not finish within")
	}
}

// TestHeaderLimits checks the limits on webhook.headers: 100 headers
// pass, 100,000 fail at once with an error naming the limit (reading
// them was quadratic before), and so do headers over 16 KiB in all.
func TestHeaderLimits(t *testing.T) {
	sb := New(Options{Timeout: 10 * time.Second})
	setHeaders := func(n int, value string) string {
		return `function handler(w) { for (let i = 0; i < ` + strconv.Itoa(n) + `; i++) w.headers["X-H" + i] = "` + value + `"; return w }`
	}

	out := mustTransform(t, sb, setHeaders(MaxHeaders, "v"))
	if len(out.Headers) != MaxHeaders {
		t.Fatalf("got %d headers, want %d", len(out.Headers), MaxHeaders)
	}

	start := time.Now()
	_, err := transform(t, sb, "", setHeaders(100_000, "v"))
	wantCodeError(t, err, kindLimit, "webhook.headers has 100000 headers; at most 100 are allowed")
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("refusing 100,000 headers took %v", elapsed)
	}

	_, err = transform(t, sb, "", setHeaders(20, strings.Repeat("v", 1000)))
	wantCodeError(t, err, kindLimit, "add up to more than 16 KiB")
}
