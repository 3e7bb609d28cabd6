package js

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

// FuzzHostileHandler runs handlers built from hostile building blocks —
// getters, Proxy traps and conversion methods that loop, recurse or
// throw; throws of every type; revoked proxies — placed at every point
// where Go reads a JavaScript value: the thrown value, the result and each
// of its fields, the headers, the payload, console and hb arguments,
// top-level code, a rejected promise. Whatever the handler does, Transform
// must return, within its limits, either a result or a CodeError of a
// kind the code can cause; a panic or a "crash" error fails the target.
//
// A recipe is read three bytes at a time (where, what, how); see
// hostileRecipe. The time limit is short so that each input is fast.
func FuzzHostileHandler(f *testing.F) {
	for _, seed := range hostileSeeds() {
		f.Add(seed)
	}
	sb := New(Options{Timeout: 3 * time.Millisecond})
	known := map[string]bool{kindSyntax: true, kindRuntime: true, kindTimeout: true, kindLimit: true, kindMemory: true, kindResult: true}
	f.Fuzz(func(t *testing.T, recipe []byte) {
		code, key := hostileRecipe(recipe)
		const bound = 10 * time.Second
		ctx, cancel := context.WithTimeout(context.Background(), bound)
		defer cancel()
		start := time.Now()
		_, err := sb.Transform(ctx, key, code, input(testPayload))
		if elapsed := time.Since(start); elapsed > bound {
			t.Fatalf("Transform took %v:\n%s", elapsed, code)
		}
		if err == nil {
			return
		}
		ce, ok := err.(*hookbridge.CodeError)
		switch {
		case !ok:
			t.Fatalf("error %v (%T), want a CodeError:\n%s", err, err, code)
		case ce.Kind == kindCrash:
			t.Fatalf("the runtime crashed: %v\n%s", err, code)
		case !known[ce.Kind]:
			t.Fatalf("CodeError of unknown kind %q: %v\n%s", ce.Kind, err, code)
		}
	})
}

// hostileSeeds covers each site with the behaviours that broke the
// sandbox before: a getter that loops, one that throws, one that
// overflows the stack.
func hostileSeeds() [][]byte {
	seeds := [][]byte{
		// The handler of issue 15: throw an Error whose message getter loops.
		{0, 4, 0},
		// Async, keyed: reject with an Error whose name getter loops.
		{0xC0, 0, 5, 0},
	}
	for site := range len(hostileSites) {
		for _, how := range []byte{0, 1, 3} {
			seeds = append(seeds, []byte{0, byte(site), 1, how}, []byte{0x40, byte(site), 9, how})
		}
	}
	return seeds
}

// hostileRecipe builds a handler from recipe: the first byte's top bits
// choose a key (bit 6: run in place) and an async handler (bit 7), and
// every three bytes after it place one hostile value (what, how) at one
// site (where). It returns the code and the key to run it under.
func hostileRecipe(recipe []byte) (code, key string) {
	var flags byte
	if len(recipe) > 0 {
		flags, recipe = recipe[0], recipe[1:]
	}
	g := &hostileGen{}
	var top, body strings.Builder
	for i := 0; i+2 < len(recipe) && i < 3*maxPlacements; i += 3 {
		site := hostileSites[int(recipe[i])%len(hostileSites)]
		value := g.value(recipe[i+1], recipe[i+2], 0)
		behaviour := g.behaviour(recipe[i+2], 0)
		stmt := strings.NewReplacer("$V", value, "$B", behaviour).Replace(site.stmt)
		if site.topLevel {
			top.WriteString(stmt + "\n")
		} else {
			body.WriteString("  " + stmt + "\n")
		}
	}
	async := ""
	if flags&0x80 != 0 {
		async = "async "
	}
	code = top.String() + async + "function handler(w) {\n" + body.String() + "  return w;\n}\n"
	if flags&0x40 != 0 {
		key = "fuzz"
	}
	return code, key
}

// maxPlacements bounds the hostile values in one handler.
const maxPlacements = 4

// hostileSites are the places a hostile value goes: $V is replaced by a
// value, $B by the body of a function.
var hostileSites = []struct {
	stmt     string
	topLevel bool
}{
	{stmt: `throw $V;`},
	{stmt: `return $V;`},
	{stmt: `w.url = $V;`},
	{stmt: `w.method = $V;`},
	{stmt: `w.headers = $V;`},
	{stmt: `w.headers["X-A"] = $V;`},
	{stmt: `w.cancel = $V;`},
	{stmt: `w.payload = $V;`},
	{stmt: `w.payload.data = $V;`},
	{stmt: `Object.defineProperty(w, "url", { get() { $B }, enumerable: true });`},
	{stmt: `Object.defineProperty(w, "headers", { get() { $B }, enumerable: true });`},
	{stmt: `Object.defineProperty(w, "payload", { get() { $B }, enumerable: true });`},
	{stmt: `Object.defineProperty(w, "cancel", { get() { $B }, enumerable: true });`},
	{stmt: `w = new Proxy(w, { get() { $B }, ownKeys() { $B }, getOwnPropertyDescriptor() { $B }, getPrototypeOf() { $B }, has() { $B } });`},
	{stmt: `w.headers = new Proxy({ "X-A": "1" }, { get() { $B }, ownKeys() { $B }, getOwnPropertyDescriptor() { $B } });`},
	{stmt: `console.log($V);`},
	{stmt: `console.log("%d %i %f %s %o %c", $V, $V, $V, $V, $V, $V);`},
	{stmt: `console.error("x", $V);`},
	{stmt: `hb.formatAmount($V, $V);`},
	{stmt: `try { hb.toUnixSeconds($V) } catch (e) { w.payload = e }`},
	{stmt: `JSON.stringify($V);`},
	{stmt: `try { (function () { $B })() } catch (e) { w.payload = e }`},
	{stmt: `try { (function () { $B })() } catch (e) { throw e }`},
	{stmt: `w.payload = { toJSON() { $B } };`},
	{stmt: `return Promise.reject($V);`},
	{stmt: `return new Promise(() => { $B });`},
	{stmt: `String($V);`},
	{stmt: `throw $V;`, topLevel: true},
	{stmt: `var handler = $V;`, topLevel: true},
	{stmt: `console.log($V);`, topLevel: true},
}

// hostileGen builds hostile values and function bodies, nesting them at
// most maxHostileDepth deep.
type hostileGen struct {
	n int // numbers the helpers' local names
}

const maxHostileDepth = 2

// behaviour is the body of a getter, trap or method: it loops, throws,
// recurses without end or returns something awkward.
func (g *hostileGen) behaviour(how byte, depth int) string {
	inner := func() string { return g.value(how/7, how/3, depth+1) }
	switch how % 9 {
	case 0:
		return `for (;;) {}`
	case 1:
		return `throw ` + inner() + `;`
	case 2:
		return `return ` + inner() + `;`
	case 3:
		return `return (function r() { return r() })();`
	case 4:
		return `for (;;) { try { for (;;) {} } catch (e) {} }`
	case 5:
		return `throw "x".repeat(1 << 16);`
	case 6:
		return `return new Array(1 << 10).fill({ a: 1 });`
	case 7:
		return `return arguments.callee.caller;`
	default:
		return `return this;`
	}
}

// value is a JavaScript expression: a primitive of any type, or an object
// whose conversions, getters or traps behave as how says.
func (g *hostileGen) value(what, how byte, depth int) string {
	if depth >= maxHostileDepth {
		return hostilePrimitives[int(what)%len(hostilePrimitives)]
	}
	b := g.behaviour(how, depth)
	g.n++
	e := "e" + strconv.Itoa(g.n)
	errorWith := func(property string) string {
		return `(() => { const ` + e + ` = new Error("x"); Object.defineProperty(` + e + `, "` + property + `", { get() { ` + b + ` } }); return ` + e + ` })()`
	}
	switch what % 14 {
	case 0:
		return hostilePrimitives[int(how)%len(hostilePrimitives)]
	case 1:
		return `({ get a() { ` + b + ` }, toString() { ` + b + ` }, valueOf() { ` + b + ` }, toJSON() { ` + b + ` }, [Symbol.toPrimitive]() { ` + b + ` } })`
	case 2:
		return `new Proxy({}, { get() { ` + b + ` }, has() { ` + b + ` }, ownKeys() { ` + b + ` }, getOwnPropertyDescriptor() { ` + b + ` }, getPrototypeOf() { ` + b + ` } })`
	case 3:
		return `new Proxy(function () {}, { apply() { ` + b + ` }, get() { ` + b + ` }, getPrototypeOf() { ` + b + ` } })`
	case 4:
		return errorWith("message")
	case 5:
		return errorWith("name")
	case 6:
		return errorWith("stack")
	case 7:
		return errorWith("constructor")
	case 8:
		return `(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy })()`
	case 9:
		return `(() => { class E extends Error { get name() { ` + b + ` } }; return new E("x") })()`
	case 10:
		return `Object.create(new Proxy(Error.prototype, { get() { ` + b + ` } }))`
	case 11:
		return `[` + g.value(what/3, how/5, depth+1) + `]`
	case 12:
		return `({ a: ` + g.value(what/3, how/5, depth+1) + ` })`
	default:
		return `Object.setPrototypeOf(new Error("x"), new Proxy({}, { get() { ` + b + ` }, getPrototypeOf() { ` + b + ` } }))`
	}
}

// hostilePrimitives are thrown and returned values of every type.
var hostilePrimitives = []string{
	`"s"`, `42`, `null`, `undefined`, `Symbol("s")`, `10n`, `NaN`, `true`, `-0`,
	`"x".repeat(1 << 16)`, `"\ud800"`, `function f() {}`, `new Date(NaN)`, `/x/`, `[]`, `{}`,
}
