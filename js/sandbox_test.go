package js

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/hookbridge/hookbridge"
)

const testURL = "https://hooks.example.com/in"

const testPayload = `{"type":"payment.succeeded","data":{"total_amount":2999,"currency":"USD"}}`

func input(payload string) hookbridge.TransformInput {
	return hookbridge.TransformInput{EventType: "payment.succeeded", Payload: []byte(payload), URL: testURL}
}

// transform runs code under key on the test payload.
func transform(t testing.TB, sb *Sandbox, key, code string) (*hookbridge.TransformOutput, error) {
	t.Helper()
	return sb.Transform(context.Background(), key, code, input(testPayload))
}

func mustTransform(t testing.TB, sb *Sandbox, code string) *hookbridge.TransformOutput {
	t.Helper()
	out, err := transform(t, sb, "", code)
	if err != nil {
		t.Fatalf("Transform: %v", err)
	}
	return out
}

// wantCodeError checks err is a CodeError of kind whose message contains
// fragment.
func wantCodeError(t testing.TB, err error, kind, fragment string) *hookbridge.CodeError {
	t.Helper()
	var ce *hookbridge.CodeError
	if !errors.As(err, &ce) {
		t.Fatalf("error = %v (%T), want a CodeError of kind %q", err, err, kind)
	}
	if ce.Kind != kind || !strings.Contains(ce.Message, fragment) {
		t.Fatalf("CodeError = %q %q, want kind %q with %q", ce.Kind, ce.Message, kind, fragment)
	}
	return ce
}

func TestCancel(t *testing.T) {
	out := mustTransform(t, New(Options{}), `function handler(w) { w.cancel = true; return w }`)
	if !out.Cancel || !out.Changed {
		t.Errorf("Cancel=%v Changed=%v, want both true", out.Cancel, out.Changed)
	}
}

func TestHeaders(t *testing.T) {
	sb := New(Options{})
	out := mustTransform(t, sb, `function handler(w) { w.headers["X-Shop"] = "Zoë's"; w.headers.Accept = "application/json"; return w }`)
	if len(out.Headers) != 2 || out.Headers["X-Shop"] != "Zoë's" || out.Headers["Accept"] != "application/json" || !out.Changed {
		t.Errorf("Headers=%v Changed=%v", out.Headers, out.Changed)
	}
	bad := []struct{ name, code, fragment string }{
		{"number value", `w.headers["X-N"] = 5`, `"X-N"] must be a string`},
		{"line break", `w.headers["X-A"] = "a\r\nX-Injected: 1"`, "line breaks"},
		{"bad name", `w.headers["X A"] = "1"`, "not a valid HTTP header name"},
		{"twice", `w.headers["x-a"] = "1"; w.headers["X-A"] = "2"`, "set twice"},
		{"not an object", `w.headers = "X-A: 1"`, "must be an object"},
		{"array", `w.headers = ["X-A"]`, "must be an object"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := transform(t, sb, "", "function handler(w) { "+tc.code+"; return w }")
			wantCodeError(t, err, kindResult, tc.fragment)
		})
	}
}

func TestMethod(t *testing.T) {
	sb := New(Options{})
	cases := []struct{ set, want, fragment string }{
		{`w.method = "put"`, "PUT", ""},
		{`w.method = "PATCH"`, "PATCH", ""},
		{`w.method = "post"`, "POST", ""},
		{`delete w.method`, "POST", ""},
		{`w.method = "GET"`, "", "must be POST, PUT or PATCH"},
		{`w.method = "DELETE"`, "", "must be POST, PUT or PATCH"},
		{`w.method = 1`, "", "must be a string"},
	}
	for _, tc := range cases {
		t.Run(tc.set, func(t *testing.T) {
			out, err := transform(t, sb, "", "function handler(w) { "+tc.set+"; return w }")
			if tc.fragment != "" {
				wantCodeError(t, err, kindResult, tc.fragment)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if out.Method != tc.want {
				t.Errorf("Method = %q, want %q", out.Method, tc.want)
			}
		})
	}
}

func TestURLValidation(t *testing.T) {
	sb := New(Options{})
	cases := []struct{ url, fragment string }{
		{`"https://api.segment.io/v1/track"`, ""},
		{`"http://127.0.0.1:8080/x?y=1"`, ""},
		{`"ftp://example.com/x"`, "absolute http:// or https:// URL"},
		{`"/v1/track"`, "absolute http:// or https:// URL"},
		{`"https://"`, "absolute http:// or https:// URL"},
		{`""`, "absolute http:// or https:// URL"},
		{`42`, "must be a string"},
		{`undefined`, "must be a string"},
	}
	for _, tc := range cases {
		t.Run(tc.url, func(t *testing.T) {
			out, err := transform(t, sb, "", "function handler(w) { w.url = "+tc.url+"; return w }")
			if tc.fragment != "" {
				wantCodeError(t, err, kindResult, tc.fragment)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if `"`+out.URL+`"` != tc.url || !out.Changed {
				t.Errorf("URL = %q Changed = %v", out.URL, out.Changed)
			}
		})
	}
	t.Run("unchanged input URL is not checked", func(t *testing.T) {
		in := input(testPayload)
		in.URL = ""
		out, err := sb.Transform(context.Background(), "", `function handler(w) { return w }`, in)
		if err != nil || out.Changed {
			t.Fatalf("out=%+v err=%v, want unchanged", out, err)
		}
	})
}

func TestResultMustBeTheWebhook(t *testing.T) {
	sb := New(Options{})
	for _, body := range []string{"", "return", "return null", "return 1", `return "webhook"`, "return [w]", "return true"} {
		t.Run(body, func(t *testing.T) {
			_, err := transform(t, sb, "", "function handler(w) { "+body+" }")
			wantCodeError(t, err, kindResult, "handler must return the webhook object")
		})
	}
	t.Run("a new object with the same fields", func(t *testing.T) {
		out := mustTransform(t, sb, `function handler(w) {
			return { eventType: w.eventType, url: "https://api.segment.io/v1/track", method: "POST", headers: {}, cancel: false, payload: { ok: true } }
		}`)
		if string(out.Payload) != `{"ok":true}` || out.URL != "https://api.segment.io/v1/track" || !out.Changed {
			t.Errorf("out = %+v", out)
		}
	})
	t.Run("cancel must be a boolean", func(t *testing.T) {
		_, err := transform(t, sb, "", `function handler(w) { w.cancel = "yes"; return w }`)
		wantCodeError(t, err, kindResult, "webhook.cancel must be true or false")
	})
	t.Run("payload must be JSON", func(t *testing.T) {
		_, err := transform(t, sb, "", `function handler(w) { w.payload = undefined; return w }`)
		wantCodeError(t, err, kindResult, "webhook.payload must be a JSON value")
		_, err = transform(t, sb, "", `function handler(w) { w.payload = { n: 10n }; return w }`)
		wantCodeError(t, err, kindResult, "BigInt")
		_, err = transform(t, sb, "", `function handler(w) { const o = {}; o.self = o; w.payload = o; return w }`)
		wantCodeError(t, err, kindResult, "circular")
	})
}

func TestChanged(t *testing.T) {
	sb := New(Options{})
	cases := []struct {
		name, payload, body string
		changed             bool
	}{
		{"returned as it came", testPayload, `return w`, false},
		{"field changed and restored", testPayload, `const d = w.payload.data; d.total_amount = 1; d.total_amount = 2999; return w`, false},
		{"method written in lower case", testPayload, `w.method = "post"; return w`, false},
		{"escapes and number spellings differ", `{"name":"Jos\u00e9","n":1.0,"big":1E2}`, `return w`, false},
		{"field added", testPayload, `w.payload.extra = 1; return w`, true},
		{"payload replaced by an equal copy", testPayload, `w.payload = JSON.parse(JSON.stringify(w.payload)); return w`, true},
		{"url changed", testPayload, `w.url = "https://api.segment.io/v1/track"; return w`, true},
		{"header set", testPayload, `w.headers["X-A"] = "1"; return w`, true},
		{"cancelled", testPayload, `w.cancel = true; return w`, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := sb.Transform(context.Background(), "", "function handler(w) { "+tc.body+" }", input(tc.payload))
			if err != nil {
				t.Fatal(err)
			}
			if out.Changed != tc.changed {
				t.Errorf("Changed = %v, want %v", out.Changed, tc.changed)
			}
		})
	}
}

func TestThrownExceptionNamesTheLine(t *testing.T) {
	sb := New(Options{})
	_, err := transform(t, sb, "", "function handler(w) {\n  const x = 1;\n  throw new Error(\"boom \" + x);\n}")
	ce := wantCodeError(t, err, kindRuntime, "Error: boom 1")
	if ce.Line != 3 || ce.Column == 0 {
		t.Errorf("at %d:%d, want line 3", ce.Line, ce.Column)
	}
	_, err = transform(t, sb, "", "function handler(w) {\n\n  return w.payload.missing.field;\n}")
	ce = wantCodeError(t, err, kindRuntime, "TypeError")
	if ce.Line != 3 {
		t.Errorf("at line %d, want 3", ce.Line)
	}
	_, err = transform(t, sb, "", "function handler(w) {\n  throw \"plain\";\n}")
	ce = wantCodeError(t, err, kindRuntime, "plain")
	if ce.Line != 2 {
		t.Errorf("at line %d, want 2", ce.Line)
	}
}

func TestSyntaxErrorNamesTheLine(t *testing.T) {
	sb := New(Options{})
	code := "function handler(w) {\n  const a = ;\n  return w;\n}"
	ce := wantCodeError(t, sb.Check(code), kindSyntax, "")
	if ce.Line != 2 || ce.Column == 0 {
		t.Errorf("at %d:%d, want line 2", ce.Line, ce.Column)
	}
	_, err := transform(t, sb, "key@1", code)
	if ce := wantCodeError(t, err, kindSyntax, ""); ce.Line != 2 {
		t.Errorf("Transform: at line %d, want 2", ce.Line)
	}
	ce = wantCodeError(t, sb.Check("let a = 1;\nlet a = 2;\nfunction handler(w) { return w }"), kindSyntax, "already been declared")
	if ce.Line != 2 {
		t.Errorf("redeclaration at line %d, want 2", ce.Line)
	}
}

func TestMissingHandler(t *testing.T) {
	sb := New(Options{})
	wantCodeError(t, sb.Check("var x = 1;\nfunction handle(w) { return w }"), kindSyntax, "does not define a handler")
	wantCodeError(t, sb.Check("const handler = 5"), kindSyntax, "handler must be a function, but it is a number")
	if err := sb.Check("const handler = (w) => w"); err != nil {
		t.Errorf("arrow function handler: %v", err)
	}
	_, err := transform(t, sb, "k@1", "function other(w) { return w }")
	wantCodeError(t, err, kindSyntax, "does not define a handler")
}

func TestCodeSizeLimit(t *testing.T) {
	sb := New(Options{MaxCodeSize: 100})
	code := "function handler(w) { return w }\n//" + strings.Repeat("x", 100)
	wantCodeError(t, sb.Check(code), kindLimit, "at most 100")
	_, err := transform(t, sb, "k@1", code)
	wantCodeError(t, err, kindLimit, "at most 100")
}

func TestEndlessLoopTimesOut(t *testing.T) {
	sb := New(Options{Timeout: 100 * time.Millisecond})
	code := `function handler(w) { if (w.payload.loop) { for (;;) {} } return w }`
	start := time.Now()
	_, err := sb.Transform(context.Background(), "loop@1", code, input(`{"loop":true}`))
	wantCodeError(t, err, kindTimeout, "did not finish within 100ms")
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("took %v", elapsed)
	}
	out, err := sb.Transform(context.Background(), "loop@1", code, input(`{"loop":false}`))
	if err != nil || out.Changed {
		t.Fatalf("next call on the same key: out=%+v err=%v", out, err)
	}
	wantCodeError(t, sb.Check("for (;;) {}\nfunction handler(w) { return w }"), kindTimeout, "")
}

// TestTimeoutDiscardsRuntime checks that the runtime that was interrupted
// is not reused: the next call starts with fresh top-level state.
func TestTimeoutDiscardsRuntime(t *testing.T) {
	sb := New(Options{Timeout: 100 * time.Millisecond})
	code := `var calls = 0;
function handler(w) { calls++; if (w.payload.loop) { for (;;) {} } w.payload = { calls }; return w }`
	key := "count@1"
	if out, err := sb.Transform(context.Background(), key, code, input(`{}`)); err != nil || string(out.Payload) != `{"calls":1}` {
		t.Fatalf("first call: %v %v", out, err)
	}
	if out, err := sb.Transform(context.Background(), key, code, input(`{}`)); err != nil || string(out.Payload) != `{"calls":2}` {
		t.Fatalf("second call (pooled runtime): %s %v", out.Payload, err)
	}
	_, err := sb.Transform(context.Background(), key, code, input(`{"loop":true}`))
	wantCodeError(t, err, kindTimeout, "")
	out, err := sb.Transform(context.Background(), key, code, input(`{}`))
	if err != nil || string(out.Payload) != `{"calls":1}` {
		t.Fatalf("after the timeout: %s %v, want a fresh runtime", out.Payload, err)
	}
}

func TestDeepRecursionHitsTheStackLimit(t *testing.T) {
	sb := New(Options{MaxStackDepth: 200})
	_, err := transform(t, sb, "rec@1", "function handler(w) { return down(0) }\nfunction down(n) { return down(n + 1) }")
	ce := wantCodeError(t, err, kindLimit, "call stack")
	if ce.Line != 2 {
		t.Errorf("at line %d, want 2", ce.Line)
	}
	out := mustTransform(t, sb, "function handler(w) { return down(150, w) }\nfunction down(n, w) { return n ? down(n - 1, w) : w }")
	if out.Changed {
		t.Error("recursion within the limit failed")
	}
}

func TestHugeOutputHitsTheLimit(t *testing.T) {
	sb := New(Options{MaxOutput: 1000})
	_, err := transform(t, sb, "", `function handler(w) { w.payload = { s: "x".repeat(2000) }; return w }`)
	wantCodeError(t, err, kindLimit, "larger than 1000 bytes")
	_, err = transform(t, sb, "", `function handler(w) { w.payload = new Array(1e4).fill({}); return w }`)
	wantCodeError(t, err, kindLimit, "larger than 1000 bytes")
	out := mustTransform(t, sb, `function handler(w) { w.payload = { s: "x".repeat(900) }; return w }`)
	if len(out.Payload) != 908 {
		t.Errorf("payload is %d bytes", len(out.Payload))
	}
}

func TestConsole(t *testing.T) {
	sb := New(Options{})
	out := mustTransform(t, sb, `function handler(w) {
		console.log("amount", w.payload.data.total_amount / 100, { currency: w.payload.data.currency }, [1, "a"]);
		console.info("%s is %d%%", "total", 29.99, "extra");
		console.warn(undefined, null, true, 1e21, -0, NaN, 10n);
		console.error(new TypeError("bad"), function named() {}, Symbol("s"));
		console.debug(new Date(0));
		console.log();
		return w;
	}`)
	want := []string{
		`amount 29.99 {"currency":"USD"} [1,"a"]`,
		`total is 29% extra`,
		`[warn] undefined null true 1e+21 0 NaN 10n`,
		`[error] TypeError: bad [Function: named] Symbol(s)`,
		`1970-01-01T00:00:00.000Z`,
		``,
	}
	if strings.Join(out.Console, "\n") != strings.Join(want, "\n") {
		t.Errorf("console\n got %q\nwant %q", out.Console, want)
	}

	out = mustTransform(t, sb, `function handler(w) { for (let i = 0; i < 1000; i++) console.log(i); console.log("x".repeat(5000)); return w }`)
	if len(out.Console) != DefaultMaxConsoleLines+1 || out.Console[99] != "99" || out.Console[100] != truncatedLine {
		t.Errorf("got %d lines ending %q", len(out.Console), out.Console[len(out.Console)-2:])
	}
	out = mustTransform(t, sb, `function handler(w) { console.log("é".repeat(3000)); const o = {}; o.o = o; console.log(o); return w }`)
	if line := out.Console[0]; len(line) > maxLineBytes || !strings.HasSuffix(line, "…") || !strings.HasPrefix(line, "éé") {
		t.Errorf("long line: %d bytes, ends %q", len(line), line[len(line)-10:])
	}
	if !strings.Contains(out.Console[1], "circular") {
		t.Errorf("circular object logged as %q", out.Console[1])
	}

	_, err := transform(t, sb, "", `function handler(w) { console.log("before"); throw new Error("after") }`)
	if ce := wantCodeError(t, err, kindRuntime, "after"); len(ce.Console) != 1 || ce.Console[0] != "before" {
		t.Errorf("console of a failed call = %q", ce.Console)
	}
}

func TestNoTimersNetworkOrModules(t *testing.T) {
	out := mustTransform(t, New(Options{}), `function handler(w) {
		w.payload = [typeof setTimeout, typeof setInterval, typeof require, typeof fetch, typeof XMLHttpRequest, typeof process, typeof GoError];
		return w;
	}`)
	if string(out.Payload) != `["undefined","undefined","undefined","undefined","undefined","undefined","undefined"]` {
		t.Errorf("globals: %s", out.Payload)
	}
}

// TestSourceMapsAreNotRead checks that a sourceMappingURL comment cannot
// make goja read a file (it would otherwise load it to map positions).
func TestSourceMapsAreNotRead(t *testing.T) {
	mapFile := filepath.Join(t.TempDir(), "handler.js.map")
	sourceMap := `{"version":3,"sources":["secret.js"],"names":[],"mappings":"AAmBA;AAmBA;AAmBA"}`
	if err := os.WriteFile(mapFile, []byte(sourceMap), 0o600); err != nil {
		t.Fatal(err)
	}
	sb := New(Options{})
	code := "function handler(w) {\n  throw new Error('x');\n}\n//# sourceMappingURL=" + mapFile
	_, err := transform(t, sb, "", code)
	if ce := wantCodeError(t, err, kindRuntime, "x"); ce.Line != 2 {
		t.Errorf("error at line %d: the source map was read", ce.Line)
	}
	code = "function handler(w) {\n  eval(\"\\n\\nthrow new Error('y')\\n//# sourceMappingURL=" + mapFile + "\");\n}"
	_, err = transform(t, sb, "", code)
	wantCodeError(t, err, kindRuntime, "y")
}

func TestContextCancellation(t *testing.T) {
	sb := New(Options{Timeout: 5 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	start := time.Now()
	const loop = `function handler(w) { for (;;) {} }`
	_, err := sb.Transform(ctx, "loop@1", loop, input(`{}`))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("stopped after %v", elapsed)
	}
	// The run stopped at its interrupt: nothing was abandoned, and the
	// code still runs on its callers' goroutines.
	if p := sb.programs.get("loop@1", loop); p.onRunner.Load() || p.stuck.Load() != 0 {
		t.Errorf("a run stopped by its context was taken for stuck (hand over %v, stuck %d)", p.onRunner.Load(), p.stuck.Load())
	}
	if _, err := sb.Transform(ctx, "k@1", `function handler(w) { return w }`, input(`{}`)); !errors.Is(err, context.Canceled) {
		t.Errorf("with a cancelled context: %v", err)
	}
}

func TestPrototypeTamperingDoesNotPersist(t *testing.T) {
	sb := New(Options{})
	tamper := `function handler(w) {
		Object.prototype.leak = "x";
		Array.prototype.push = function () { return -1 };
		JSON.stringify = function () { return "{}" };
		String.prototype.toUpperCase = function () { return "hacked" };
		Math.round = function () { return 0 };
		w.payload = { leak: ({}).leak, push: [].push(1), upper: "a".toUpperCase(), round: Math.round(1.6) };
		return w;
	}`
	probe := `function handler(w) {
		w.payload = { leak: ({}).leak, push: [].push(1), upper: "a".toUpperCase(), round: Math.round(1.6), json: JSON.stringify({ a: 1 }) };
		return w;
	}`
	want := `{"push":1,"upper":"A","round":2,"json":"{\"a\":1}"}`
	// The same key twice: the second call reuses the first one's runtime.
	for i := 0; i < 2; i++ {
		out, err := transform(t, sb, "tamper@1", tamper)
		if err != nil {
			t.Fatal(err)
		}
		if string(out.Payload) != `{"push":1,"upper":"A","round":2}` {
			t.Errorf("call %d: tampering took effect: %s", i, out.Payload)
		}
	}
	out, err := transform(t, sb, "probe@1", probe)
	if err != nil || string(out.Payload) != want {
		t.Errorf("other key: %s %v", out.Payload, err)
	}
	_, err = transform(t, sb, "strict@1", `"use strict"; function handler(w) { Object.prototype.leak = 1; return w }`)
	wantCodeError(t, err, kindRuntime, "TypeError")
}

// TestShadowingInheritedBuiltins checks that ordinary code that assigns a
// property a built-in prototype also has still works with the prototypes
// frozen.
func TestShadowingInheritedBuiltins(t *testing.T) {
	out := mustTransform(t, New(Options{}), `"use strict";
	class PaymentError extends Error {
		constructor(message) { super(message); this.name = "PaymentError"; }
	}
	function handler(w) {
		const o = {};
		o.toString = function () { return "custom" };
		const e = new PaymentError("declined");
		w.payload = { str: String(o), err: String(e), name: e.name, own: Object.keys(o) };
		return w;
	}`)
	if string(out.Payload) != `{"str":"custom","err":"PaymentError: declined","name":"PaymentError","own":["toString"]}` {
		t.Errorf("payload = %s", out.Payload)
	}
}

func TestTopLevelPolyfillsStillWork(t *testing.T) {
	out := mustTransform(t, New(Options{}), `
	if (!Array.prototype.last) { Array.prototype.last = function () { return this[this.length - 1] } }
	function handler(w) { w.payload = { last: [1, 2, 3].last() }; return w }`)
	if string(out.Payload) != `{"last":3}` {
		t.Errorf("payload = %s", out.Payload)
	}
}

func TestAsyncHandler(t *testing.T) {
	sb := New(Options{})
	out := mustTransform(t, sb, `async function handler(w) { w.payload = await Promise.resolve({ ok: true }); return w }`)
	if string(out.Payload) != `{"ok":true}` {
		t.Errorf("payload = %s", out.Payload)
	}
	_, err := transform(t, sb, "", `async function handler(w) { throw new RangeError("nope") }`)
	wantCodeError(t, err, kindRuntime, "RangeError: nope")
	_, err = transform(t, sb, "", `function handler(w) { return new Promise(() => {}) }`)
	wantCodeError(t, err, kindResult, "never settled")
}

func TestSameKeyNewCodeIsRecompiled(t *testing.T) {
	sb := New(Options{})
	out, _ := transform(t, sb, "ep@1", `function handler(w) { w.payload = 1; return w }`)
	out2, _ := transform(t, sb, "ep@1", `function handler(w) { w.payload = 2; return w }`)
	if out == nil || out2 == nil || string(out.Payload) != "1" || string(out2.Payload) != "2" {
		t.Errorf("payloads %v %v", out, out2)
	}
}

func TestInvalidPayloadIsNotACodeError(t *testing.T) {
	_, err := New(Options{}).Transform(context.Background(), "", `function handler(w) { return w }`, input(`{"a":`))
	var ce *hookbridge.CodeError
	if err == nil || errors.As(err, &ce) || !errors.Is(err, errBadJSON) {
		t.Errorf("error = %v, want a plain decoding error", err)
	}
}

func TestStringBuildingBuiltinsAreBounded(t *testing.T) {
	sb := New(Options{})
	for _, expr := range []string{
		`"xy".repeat(2 ** 24)`,
		`"x".padStart(2 ** 25, "ab")`,
		`"x".padEnd(Infinity)`,
		`new Array(2 ** 25).join()`,
		`new Array(2 ** 20).join("x".repeat(100))`,
	} {
		t.Run(expr, func(t *testing.T) {
			_, err := transform(t, sb, "", "function handler(w) { "+expr+"; return w }")
			wantCodeError(t, err, kindRuntime, "RangeError: Invalid string length")
		})
	}
	out := mustTransform(t, sb, `function handler(w) {
		w.payload = ["ab".repeat(3), "5".padStart(3, "0"), "5".padEnd(3), [1, 2, 3].join("-"), String([1, [2, 3]]), "x".padStart(0)];
		return w;
	}`)
	if string(out.Payload) != `["ababab","005","5  ","1-2-3","1,2,3","x"]` {
		t.Errorf("payload = %s", out.Payload)
	}
}

func TestJSONNestingIsBounded(t *testing.T) {
	sb := New(Options{})
	out := mustTransform(t, sb, `function handler(w) {
		let deep = {};
		for (let i = 0; i < 5000; i++) deep = { a: deep };
		const results = [];
		try { JSON.stringify(deep); results.push("stringified") } catch (e) { results.push(e.name) }
		try { JSON.parse("[".repeat(5000) + "]".repeat(5000)); results.push("parsed") } catch (e) { results.push(e.name) }
		w.payload = results;
		return w;
	}`)
	if string(out.Payload) != `["RangeError","RangeError"]` {
		t.Errorf("payload = %s", out.Payload)
	}
	_, err := transform(t, sb, "", `function handler(w) { let d = {}; for (let i = 0; i < 5000; i++) d = [d]; w.payload = d; return w }`)
	wantCodeError(t, err, kindResult, "nested deeper than 1000")
}

// TestStuckBuiltinIsAbandoned checks a run stuck in Go code, which
// vm.Interrupt cannot stop (as a huge sort or a backtracking regular
// expression would be): the caller gets a timeout soon anyway, and the code
// is refused until the stuck run has ended. The test's stuck built-in is a
// Go function that sleeps.
// stuckSandbox returns a Sandbox with a 50 ms time limit whose runtimes
// have stuckBuiltin, a built-in that sleeps for stuckFor where no
// interrupt reaches it, and code that calls it when the payload says slow.
func stuckSandbox(stuckFor time.Duration) (sb *Sandbox, code string) {
	sb = New(Options{Timeout: 50 * time.Millisecond})
	sb.extendRuntime = func(inst *instance) {
		_ = inst.vm.Set("stuckBuiltin", func(goja.FunctionCall) goja.Value {
			time.Sleep(stuckFor)
			return goja.Undefined()
		})
	}
	return sb, `function handler(w) { if (w.payload.slow) stuckBuiltin(); return w }`
}

// TestStuckBuiltinIsAbandonedInPlace follows code with a key, which runs on
// its caller's goroutine, through its first stuck run: the caller is told
// at the time limit plus the grace period, while the run is still stuck;
// meanwhile the code is refused and other code runs; the caller then gets
// the timeout error when the built-in ends. The next stuck run of the same
// code is handed over, and its caller gets its answer at once.
func TestStuckBuiltinIsAbandonedInPlace(t *testing.T) {
	const stuckFor = 500 * time.Millisecond
	sb, code := stuckSandbox(stuckFor)
	ctx := context.Background()
	noticed := make(chan error, 1)
	start := time.Now()
	withNotice := hookbridge.WithOverrunNotice(ctx, func() {
		if time.Since(start) >= stuckFor {
			noticed <- fmt.Errorf("told after %v, when the built-in had ended", time.Since(start))
			return
		}
		// While the run is stuck, its code is refused and other code runs.
		_, err := sb.Transform(ctx, "slow@1", code, input(`{}`))
		if ce := (*hookbridge.CodeError)(nil); !errors.As(err, &ce) || !strings.Contains(ce.Message, "still stuck") {
			noticed <- fmt.Errorf("while stuck, the same code gave %v, want a refusal", err)
			return
		}
		_, err = sb.Transform(ctx, "other@1", code, input(`{}`))
		noticed <- err
	})
	_, err := sb.Transform(withNotice, "slow@1", code, input(`{"slow":true}`))
	wantCodeError(t, err, kindTimeout, "stuck in a built-in")
	if elapsed := time.Since(start); elapsed < stuckFor {
		t.Errorf("returned after %v, before the built-in on its own goroutine ended", elapsed)
	}
	select {
	case err := <-noticed:
		if err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatal("the caller was never told that the run overran")
	}
	if out, err := sb.Transform(ctx, "slow@1", code, input(`{}`)); err != nil || out.Changed {
		t.Fatalf("refused after the stuck run ended: %v", err)
	}

	start = time.Now()
	_, err = sb.Transform(ctx, "slow@1", code, input(`{"slow":true}`))
	wantCodeError(t, err, kindTimeout, "stuck in a built-in")
	if elapsed := time.Since(start); elapsed >= stuckFor {
		t.Errorf("the second stuck run returned after %v: it was not handed over", elapsed)
	}
	_, err = sb.Transform(ctx, "slow@1", code, input(`{}`))
	wantCodeError(t, err, kindTimeout, "still stuck")
	waitUntilAccepted(t, sb, "slow@1", code)
}

// TestStuckBuiltinIsAbandoned checks that a run of code without a key (the
// test API's), which is handed over from the start, gives its caller the
// timeout at once.
func TestStuckBuiltinIsAbandoned(t *testing.T) {
	const stuckFor = 500 * time.Millisecond
	sb, code := stuckSandbox(stuckFor)
	start := time.Now()
	_, err := sb.Transform(context.Background(), "", code, input(`{"slow":true}`))
	wantCodeError(t, err, kindTimeout, "stuck in a built-in")
	if elapsed := time.Since(start); elapsed >= stuckFor {
		t.Errorf("returned after %v, not before the stuck run ended", elapsed)
	}
	if got := sb.sharedStuck.Load(); got != 1 {
		t.Errorf("%d runs counted as stuck, want 1", got)
	}
}

// TestScratchKeyReusesRuntimesOfItsOwnCode checks that a scratch key's
// runtimes (the test API's, one key per app) are reused between runs of
// the same code under the same key, and only then: another app's key,
// new code under the key, and code without a key start with fresh
// top-level state.
func TestScratchKeyReusesRuntimesOfItsOwnCode(t *testing.T) {
	sb := New(Options{})
	counter := `var calls = 0; function handler(w) { calls++; w.payload = { calls }; return w }`
	a, b := hookbridge.ScratchKey("app_a"), hookbridge.ScratchKey("app_b")
	for _, step := range []struct {
		name, key, code string
		want            int
	}{
		{"a's first run", a, counter, 1},
		{"a's second run", a, counter, 2},
		{"b's first run of the same code", b, counter, 1},
		{"a's third run", a, counter, 3},
		{"a's run of changed code", a, counter + "\n", 1},
		{"a run without a key", "", counter, 1},
		{"another run without a key", "", counter, 1},
	} {
		out, err := sb.Transform(context.Background(), step.key, step.code, input(`{}`))
		if want := fmt.Sprintf(`{"calls":%d}`, step.want); err != nil || string(out.Payload) != want {
			t.Fatalf("%s: %v %v, want %s", step.name, out, err, want)
		}
	}
}

// TestScratchKeyStuckRunsAreLimitedAsUnkeyed checks that runs of scratch
// keys are limited as runs of code without a key: a stuck one is handed
// over at once (its caller does not wait for the built-in), and stuck runs
// of every scratch key and of code without a key count together, so that
// trying out code under ever new keys cannot leave more of them burning
// CPU.
func TestScratchKeyStuckRunsAreLimitedAsUnkeyed(t *testing.T) {
	const stuckFor = 3 * time.Second
	sb, code := stuckSandbox(stuckFor)
	start := time.Now()
	for i := range maxSharedStuck {
		key := hookbridge.ScratchKey(fmt.Sprintf("app_%d", i))
		if i == maxSharedStuck-1 {
			key = ""
		}
		_, err := sb.Transform(context.Background(), key, code, input(`{"slow":true}`))
		wantCodeError(t, err, kindTimeout, "stuck in a built-in")
	}
	if elapsed := time.Since(start); elapsed >= stuckFor {
		t.Fatalf("the stuck runs returned after %v: they were not handed over", elapsed)
	}
	if got := sb.sharedStuck.Load(); got != maxSharedStuck {
		t.Errorf("%d runs counted as stuck, want %d", got, maxSharedStuck)
	}
	_, err := sb.Transform(context.Background(), hookbridge.ScratchKey("app_new"), code, input(`{}`))
	wantCodeError(t, err, kindTimeout, "still stuck")
	waitUntilAccepted(t, sb, hookbridge.ScratchKey("app_new"), code)
}

// waitUntilAccepted waits, for at most 5 s, until code under key runs
// again after a stuck run of it ended.
func waitUntilAccepted(t *testing.T, sb *Sandbox, key, code string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := sb.Transform(context.Background(), key, code, input(`{}`))
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("code still refused after the stuck run ended: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestConcurrentUse(t *testing.T) {
	// A generous limit: this test is about sharing, and the race detector
	// on two cores is slow.
	sb := New(Options{Timeout: 10 * time.Second})
	codes := map[string]string{
		"a@1": `function handler(w) { w.payload = { who: "a", n: w.payload.n * 2 }; return w }`,
		"b@1": `var seen = 0; function handler(w) { seen++; w.payload = { who: "b", n: w.payload.n + 1 }; return w }`,
		"":    `function handler(w) { w.payload = { who: "unkeyed", n: w.payload.n }; return w }`,
	}
	want := map[string]func(int) string{
		"a@1": func(n int) string { return fmt.Sprintf(`{"who":"a","n":%d}`, n*2) },
		"b@1": func(n int) string { return fmt.Sprintf(`{"who":"b","n":%d}`, n+1) },
		"":    func(n int) string { return fmt.Sprintf(`{"who":"unkeyed","n":%d}`, n) },
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				for key, code := range codes {
					n := g*1000 + i
					out, err := sb.Transform(context.Background(), key, code, input(fmt.Sprintf(`{"n":%d}`, n)))
					if err != nil {
						errs <- err
						return
					}
					if string(out.Payload) != want[key](n) {
						errs <- fmt.Errorf("key %q: got %s, want %s", key, out.Payload, want[key](n))
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestExceptionKeepsRuntime checks that a runtime whose handler threw an
// ordinary exception goes back to the pool.
func TestExceptionKeepsRuntime(t *testing.T) {
	sb := New(Options{})
	code := `var calls = 0;
function handler(w) { calls++; if (w.payload.fail) throw new Error("no"); w.payload = { calls }; return w }`
	ctx := context.Background()
	if _, err := sb.Transform(ctx, "ex@1", code, input(`{}`)); err != nil {
		t.Fatal(err)
	}
	_, err := sb.Transform(ctx, "ex@1", code, input(`{"fail":true}`))
	wantCodeError(t, err, kindRuntime, "Error: no")
	out, err := sb.Transform(ctx, "ex@1", code, input(`{}`))
	if err != nil || string(out.Payload) != `{"calls":3}` {
		t.Errorf("third call: %s %v, want the same runtime", out.Payload, err)
	}
}

func TestProgramCacheEvictsLeastRecentlyUsed(t *testing.T) {
	c := newProgramCache(new(atomic.Int32))
	first := c.get("key-0", "code")
	first.pool.capacity = 1
	for i := 1; i <= maxPrograms; i++ {
		c.get(fmt.Sprintf("key-%d", i), "code")
		if i == maxPrograms/2 {
			c.get("key-1", "code") // used again: stays
		}
	}
	if c.order.Len() != maxPrograms || len(c.items) != maxPrograms {
		t.Fatalf("cache holds %d/%d programs, want %d", c.order.Len(), len(c.items), maxPrograms)
	}
	if _, ok := c.items["key-0"]; ok {
		t.Error("the least recently used key was kept")
	}
	if _, ok := c.items["key-1"]; !ok {
		t.Error("a recently used key was dropped")
	}
	if !first.pool.closed {
		t.Error("the dropped program's pool is still open")
	}
	if c.get("key-1", "other code") == c.get("key-1", "code") {
		t.Error("new code under an old key reused the old program")
	}
}
