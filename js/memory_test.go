package js

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

// hostileLimits stop runs by memory well before their time is up.
var hostileLimits = Options{Timeout: 20 * time.Second, MaxMemory: 16 << 20}

func TestAllocatingWithoutEndIsStoppedByTheMemoryLimit(t *testing.T) {
	sb := New(hostileLimits)
	for name, body := range map[string]string{
		"string doubling": `let s = "x"; while (true) s += s;`,
		"array growth":    `const a = []; for (let i = 0; ; i++) a.push({ i, s: "item " + i });`,
		"object growth":   `const o = {}; for (let i = 0; ; i++) o["key" + i] = i;`,
		"typed arrays":    `const keep = []; while (true) keep.push(new Float64Array(1 << 16));`,
	} {
		// Code with a key runs on the caller's goroutine, code without one
		// on a goroutine of its own: both are watched.
		for how, key := range map[string]string{"in place": name + "@1", "handed over": ""} {
			t.Run(name+"/"+how, func(t *testing.T) {
				allocateWithoutEnd(t, sb, key, body)
			})
		}
	}
}

// allocateWithoutEnd runs body, which allocates without end, in a handler
// under key and checks that the memory limit stopped it.
func allocateWithoutEnd(t *testing.T, sb *Sandbox, key, body string) {
	t.Helper()
	// Each run's budget counts from the collector's goal; collect what the
	// previous case left, so that every case starts alike.
	runtime.GC()
	start := time.Now()
	_, err := transform(t, sb, key, "function handler(w) {\n"+body+"\nreturn w }")
	ce := wantCodeError(t, err, kindMemory, "memory limit exceeded: the handler allocated more than 16 MiB")
	// A run stopped inside a long built-in (a huge concatenation) is
	// abandoned where it is, and its position is not known.
	if ce.Line != 2 && ce.Line != 0 {
		t.Errorf("error names line %d, want 2", ce.Line)
	}
	if elapsed := time.Since(start); elapsed > hostileLimits.Timeout/2 {
		t.Errorf("stopped after %v: the time limit, not the memory limit, stopped it", elapsed)
	}
}

// TestGarbageDoesNotCountAgainstTheMemoryLimit: a handler that allocates
// far more than the limit in total, but keeps little of it, is not stopped.
func TestGarbageDoesNotCountAgainstTheMemoryLimit(t *testing.T) {
	sb := New(hostileLimits)
	const code = `function handler(w) {
		let n = 0;
		for (let i = 0; i < 40000; i++) {
			const chunk = "0123456789".repeat(200) + i; // ~4 KB each, 160 MB in all
			n += chunk.length;
		}
		w.payload = { n };
		return w;
	}`
	// The watch is the process's heap: a hostile run of an earlier test,
	// abandoned while stuck in a built-in, may still be growing it when
	// this one starts, and stop it (as production retries such stops). So
	// a memory stop is retried after a collection, a few times. Were
	// garbage counted, every try would be stopped: 160 MB of it against a
	// 16 MiB budget.
	var (
		out *hookbridge.TransformOutput
		err error
	)
	for try := 0; try < 3; try++ {
		if out, err = transform(t, sb, "", code); !isMemoryStop(err) {
			break
		}
		t.Logf("try %d stopped for memory (another run's allocation?): %v", try+1, err)
		runtime.GC()
		time.Sleep(500 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("Transform: %v", err)
	}
	if string(out.Payload) != `{"n":80188890}` {
		t.Errorf("payload = %s", out.Payload)
	}
}

func isMemoryStop(err error) bool {
	var codeErr *hookbridge.CodeError
	return errors.As(err, &codeErr) && codeErr.Kind == kindMemory
}

// TestOtherCodeRunsWhileOneAllocates runs a handler that allocates without
// end beside an ordinary one: the ordinary runs all succeed meanwhile, and
// the hostile one gets its memory error.
func TestOtherCodeRunsWhileOneAllocates(t *testing.T) {
	sb := New(hostileLimits)
	hostile := `function handler(w) { const a = []; for (let i = 0; ; i++) a.push([i, "x" + i]); }`
	ordinary := `function handler(w) { w.payload = { n: w.payload.data.total_amount + 1 }; return w }`
	var wg sync.WaitGroup
	hostileErr := make(chan error, 1)
	wg.Go(func() {
		_, err := sb.Transform(context.Background(), "hostile@1", hostile, input(testPayload))
		hostileErr <- err
	})
	deadline := time.Now().Add(hostileLimits.Timeout)
	runs := 0
	for len(hostileErr) == 0 && time.Now().Before(deadline) {
		out, err := sb.Transform(context.Background(), "ordinary@1", ordinary, input(testPayload))
		if err != nil {
			t.Fatalf("ordinary run %d failed while another allocated: %v", runs, err)
		}
		if string(out.Payload) != `{"n":3000}` {
			t.Fatalf("ordinary run %d: payload %s", runs, out.Payload)
		}
		runs++
	}
	wg.Wait()
	wantCodeError(t, <-hostileErr, kindMemory, "memory limit exceeded")
	if runs == 0 {
		t.Error("no ordinary run happened while the hostile one ran")
	}
	// The hostile code's runtime was thrown away; the code runs again (and
	// is stopped again), and ordinary code still runs.
	_, err := sb.Transform(context.Background(), "hostile@1", hostile, input(testPayload))
	wantCodeError(t, err, kindMemory, "memory limit exceeded")
	if _, err := sb.Transform(context.Background(), "ordinary@1", ordinary, input(testPayload)); err != nil {
		t.Errorf("ordinary run after: %v", err)
	}
}

func TestNoMemoryLimitWhenNegative(t *testing.T) {
	sb := New(Options{MaxMemory: -1, Timeout: 100 * time.Millisecond})
	_, err := transform(t, sb, "", `function handler(w) { const a = []; for (;;) a.push(1); }`)
	wantCodeError(t, err, kindTimeout, "did not finish")
}

// TestBuiltinsThatAllocateInGoAreBounded covers built-ins that loop or
// allocate in Go, where no interrupt reaches them: each is refused before
// it starts.
func TestBuiltinsThatAllocateInGoAreBounded(t *testing.T) {
	// With 16 MiB, arrays may hold 2^20 elements and buffers 2^20 bytes.
	sb := New(Options{MaxMemory: 16 << 20})
	limit := fmt.Sprint(1 << 20)
	cases := []struct{ expr, want string }{
		{`new Array(2 ** 28).fill(0)`, "RangeError: Array.prototype.fill: the sandbox allows at most " + limit + " elements"},
		{`(() => { const a = []; a.length = 2 ** 31; return a.map((x) => x) })()`, "RangeError: Array.prototype.map"},
		{`(() => { const a = []; a.length = 2 ** 30; return a.sort() })()`, "RangeError: Array.prototype.sort"},
		{`(() => { const a = []; a.length = 2 ** 30; return [...a] })()`, "RangeError: Array.prototype.values"},
		{`(() => { const a = []; a.length = 2 ** 30; return new Set(a) })()`, "RangeError: Array.prototype.values"},
		{`(() => { const a = []; a.length = 2 ** 30; return a.includes(1) })()`, "RangeError: Array.prototype.includes"},
		{`[1].concat(new Array(2 ** 20))`, "RangeError: Array.prototype.concat"},
		{`new Array(2 ** 11).fill(new Array(2 ** 10).fill(0)).flat()`, "RangeError: Array.prototype.flat"},
		{`Array.from({ length: 2 ** 27 })`, "RangeError: Array.from"},
		{`Array.prototype.slice.call({ length: 2 ** 31 })`, "RangeError: Array.prototype.slice"},
		{`String.fromCharCode.apply(null, { length: 2 ** 26 })`, "RangeError: Maximum call stack size exceeded: more than 131072 arguments"},
		{`Reflect.apply(Math.max, null, new Array(2 ** 20))`, "RangeError: Maximum call stack size exceeded"},
		{`Reflect.construct(Array, new Array(2 ** 20))`, "RangeError: Maximum call stack size exceeded"},
		{`"ab".repeat(2 ** 20).split("")`, "RangeError: String.prototype.split"},
		{`[..."ab".repeat(2 ** 20)]`, "RangeError: String iterator"},
		{`new ArrayBuffer(2 ** 31)`, "RangeError: Invalid array buffer length: the sandbox allows at most " + limit + " bytes"},
		{`new Float64Array(2 ** 27)`, "RangeError: Invalid typed array length"},
		{`new Uint8Array(new Array(2 ** 21))`, "RangeError: Array.from"},
		{`new Float64Array(new Uint8Array(2 ** 18))`, "RangeError: Invalid typed array length"},
		{`new (new Uint8Array(1).constructor)(2 ** 31)`, "RangeError: Invalid typed array length"},
		{`new (new Uint8Array(1).buffer.constructor)(2 ** 31)`, "RangeError: Invalid array buffer length"},
		{`new Uint8Array(2 ** 16).map((x) => x).slice().subarray(0).length && new Float32Array(2 ** 19)`, "RangeError: Invalid typed array length"},
		{`(class extends Uint8Array {}).from({ length: 2 ** 21 })`, "RangeError: Invalid typed array length"},
		{`(() => { class Big extends Float64Array {} return new Big(2 ** 18) })()`, "RangeError: Invalid typed array length"},
		// A length that answers the check and the built-in differently.
		{`Array.prototype.fill.call({ get length() { return 2 ** 31 } }, 1)`, "TypeError: Array.prototype.fill: the sandbox does not allow this on an object whose length is a getter or a Proxy"},
		{`(() => { let n = 0; return new Float64Array({ get length() { return n++ ? 2 ** 30 : 1 } }) })()`, "TypeError: Array.from"},
		{`Array.prototype.map.call(new Proxy([], { get: (t, k) => k === "length" ? 2 ** 31 : t[k] }), (x) => x)`, "TypeError: Array.prototype.map"},
	}
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			start := time.Now()
			_, err := transform(t, sb, "", "function handler(w) { "+tc.expr+"; return w }")
			wantCodeError(t, err, kindRuntime, tc.want)
			if elapsed := time.Since(start); elapsed > 500*time.Millisecond {
				t.Errorf("refused only after %v", elapsed)
			}
		})
	}
}

// TestBoundedBuiltinsStillWork: the bounds change nothing for ordinary use.
func TestBoundedBuiltinsStillWork(t *testing.T) {
	out := mustTransform(t, New(Options{}), `function handler(w) {
		function args() { return Array.prototype.slice.call(arguments) }
		class Bytes extends Uint8Array {}
		const bytes = new Uint8Array([1, 2, 3]);
		const doubled = bytes.map((x) => x * 2);
		w.payload = {
			mapped: [1, 2, 3].map((x) => x * 2).filter((x) => x > 2),
			flat: [1, [2, [3, [4]]]].flat(Infinity),
			concat: [1].concat([2, 3], 4),
			from: Array.from({ length: 3 }, (_, i) => i),
			fromSet: Array.from(new Set([1, 1, 2])),
			spread: [...[1, 2], ..."hé"],
			set: new Set([1, 2, 2]).size,
			args: args(1, 2),
			max: Math.max.apply(null, [3, 9, 4]),
			reflect: Reflect.apply(Math.min, null, [3, 9, 4]),
			split: "a,b,c".split(","),
			sorted: [3, 1, 2].sort(),
			typed: Array.from(doubled),
			typedOK: doubled instanceof Uint8Array && doubled.constructor === Uint8Array && bytes.buffer instanceof ArrayBuffer,
			subclass: new Bytes(2) instanceof Bytes && new Bytes(2) instanceof Uint8Array,
			fromTyped: Array.from(Float64Array.from([1.5, 2.5])),
			view: new Uint8Array(new ArrayBuffer(8), 2, 4).length,
			iteratorSame: Array.prototype.values === Array.prototype[Symbol.iterator],
			entries: [...["a", "b"].entries()],
		};
		return w;
	}`)
	want := `{"mapped":[4,6],"flat":[1,2,3,4],"concat":[1,2,3,4],"from":[0,1,2],"fromSet":[1,2],"spread":[1,2,"h","é"],` +
		`"set":2,"args":[1,2],"max":9,"reflect":3,"split":["a","b","c"],"sorted":[1,2,3],"typed":[2,4,6],"typedOK":true,` +
		`"subclass":true,"fromTyped":[1.5,2.5],"view":4,"iteratorSame":true,"entries":[[0,"a"],[1,"b"]]}`
	if string(out.Payload) != want {
		t.Errorf("payload\n got %s\nwant %s", out.Payload, want)
	}
}
