package js

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
)

// runInMode runs code on payload in a fresh runtime that gets the payload
// as lazy objects (lazy) or as ordinary ones, and returns the output
// payload or the error.
func runInMode(t testing.TB, lazy bool, code string, payload []byte) (string, error) {
	t.Helper()
	limits := Options{}.withDefaults()
	inst, err := newInstance(&limits)
	if err != nil {
		t.Fatal(err)
	}
	prog, cerr := compile(code)
	if cerr != nil {
		t.Fatalf("compile: %v", cerr)
	}
	inst.lazyPayload = lazy
	if err := inst.load(prog); err != nil {
		t.Fatalf("load: %v", err)
	}
	out, err := inst.call(hookbridge.TransformInput{EventType: "payment.succeeded", Payload: payload, URL: testURL})
	if err != nil {
		return "", err
	}
	return string(out.Payload), nil
}

// sameInBothModes checks that code gives the same output, or the same
// error, with lazy and with ordinary objects, and returns the output.
func sameInBothModes(t testing.TB, code string, payload []byte) string {
	t.Helper()
	lazyOut, lazyErr := runInMode(t, true, code, payload)
	plainOut, plainErr := runInMode(t, false, code, payload)
	if lazyOut != plainOut || errString(lazyErr) != errString(plainErr) {
		t.Fatalf("lazy and ordinary objects differ on %s\ncode: %s\n lazy     %s (%v)\n ordinary %s (%v)",
			payload, code, lazyOut, lazyErr, plainOut, plainErr)
	}
	return lazyOut
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

const lazyTestPayload = `{"b":1,"2":"two","1":"one","a":{"x":[1,{"y":null}],"__proto__":5,"toString":"s"},` +
	`"dup":1,"dup":{"k":true},"s":"\ud800\u00e9\n\/","n":[-0,1.0,1E2,0.1,12345678901234567890,1e400],` +
	`"data":{"customer":{"id":"cus_1","email":"a@example.com"},"amount":2999,"tags":["x","y"]}}`

// canonicalTestPayload is written as JSON.stringify writes it, so that
// untouched parts of it are copied from the input.
const canonicalTestPayload = `{"type":"payment.succeeded","a":{"x":[1,{"y":null}],"__proto__":5,"toString":"s"},"b":1,"dup":{"k":true},` +
	`"data":{"customer":{"id":"cus_1","email":"a@example.com"},"amount":2999,"tags":["x","y"]},"n":[0,-1,100],"s":"é\n\"\\"}`

// TestLazyPayloadBehavesAsJSONParse runs handlers that look at and change
// the payload in every common way, with lazy and with ordinary objects.
func TestLazyPayloadBehavesAsJSONParse(t *testing.T) {
	bodies := map[string]string{
		"untouched":               `return w`,
		"read":                    `const p = w.payload; w.payload = {a: p.a, x: p.a.x[1].y, c: p.data.customer.email, d: p.dup, miss: p.nope}; return w`,
		"key order":               `const p = w.payload; w.payload = {top: Object.keys(p), a: Object.keys(p.a), names: Object.getOwnPropertyNames(p.data)}; return w`,
		"for in":                  `const ks = []; for (const k in w.payload) ks.push(k); w.payload = ks; return w`,
		"entries":                 `w.payload = Object.entries(w.payload.data.customer); return w`,
		"identity":                `const p = w.payload; w.payload = [p.a === p.a, p.data.tags === p.data.tags, p.n[0] === 0]; return w`,
		"in and own":              `const p = w.payload; w.payload = ["a" in p, "toString" in p, p.hasOwnProperty("toString"), Object.hasOwn(p.a, "__proto__"), "zz" in p]; return w`,
		"prototype":               `const p = w.payload; w.payload = [Object.getPrototypeOf(p) === Object.prototype, p instanceof Object, typeof p, String(p), p.a.__proto__, Array.isArray(p.n)]; return w`,
		"descriptor":              `w.payload = Object.getOwnPropertyDescriptor(w.payload, "b"); return w`,
		"add and delete":          `const p = w.payload; p.z = 1; p[7] = "seven"; p[0] = "zero"; delete p.b; delete p.nope; p.a.x.push(3); return w`,
		"set existing":            `const p = w.payload; p.b = {deep: p.data}; p.data.amount = 1; return w`,
		"identity across change":  `const p = w.payload, c = p.data.customer; c.seen = true; p.data.x = 1; w.payload = [p.data.customer === c, p.data.customer.seen, Object.keys(p.data)]; return w`,
		"webhook keys":            `delete w.headers; w.zz = 1; w.method = "put"; w.payload = [Object.keys(w), w.hasOwnProperty("cancel"), "headers" in w, JSON.stringify({...w, payload: 0})]; return w`,
		"nested change":           `w.payload.data.customer.email = "b@example.com"; return w`,
		"nested array push":       `w.payload.data.tags.push("z"); return w`,
		"restore":                 `const p = w.payload; p.data.amount = 1; p.data.amount = 2999; return w`,
		"spread and assign":       `const p = w.payload; w.payload = [{...p.data, extra: 1}, Object.assign({}, p.a)]; return w`,
		"stringify in code":       `const p = w.payload; w.payload = [JSON.stringify(p), JSON.stringify(p.data, null, 1), JSON.stringify(p, ["a", "x"]), JSON.stringify(p.a, (k, v) => typeof v === "number" ? v + 1 : v)]; return w`,
		"nested moved":            `w.payload = {customer: w.payload.data.customer, tags: w.payload.data.tags}; return w`,
		"new prototype":           `Object.setPrototypeOf(w.payload.data, {toJSON() { return "replaced" }}); return w`,
		"proto key set":           `w.payload.a.__proto__ = 9; w.payload.data.__proto__ = {inherited: 1}; w.payload = [w.payload.a, w.payload.data.inherited]; return w`,
		"numbers":                 `w.payload = w.payload.n.map(x => [x, Object.is(x, -0), typeof x]); return w`,
		"strings":                 `const s = w.payload.s; w.payload = [s.length, s.charCodeAt(0), s]; return w`,
		"deleted while iterating": `const p = w.payload, ks = []; for (const k in p) { ks.push(k); delete p.data; } w.payload = ks; return w`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			for _, payload := range []string{lazyTestPayload, canonicalTestPayload} {
				sameInBothModes(t, "function handler(w) { "+body+" }", []byte(payload))
			}
		})
	}
}

// TestLazyPayloadWithInheritedToJSON covers a toJSON that top-level code
// puts on Object.prototype before the built-ins are frozen: it must be
// called for lazy objects too, which are then not copied from the input.
func TestLazyPayloadWithInheritedToJSON(t *testing.T) {
	code := `Object.prototype.toJSON = function () { return "to-json" };
		function handler(w) { return w }`
	if got := sameInBothModes(t, code, []byte(`{"a":{"b":1}}`)); got != `"to-json"` {
		t.Errorf("payload = %s, want \"to-json\"", got)
	}
}

// TestUntouchedPayloadIsCopied checks the output of a payload the handler
// did not change: the input bytes when they are compact, and what
// JSON.stringify writes otherwise.
func TestUntouchedPayloadIsCopied(t *testing.T) {
	cases := map[string]string{
		`{"a":1,"b":[true,null,"x\"y"],"c":{}}`:               `{"a":1,"b":[true,null,"x\"y"],"c":{}}`,
		"{ \"a\" : 1,\n  \"b\": [ 2 ] }":                      `{"a":1,"b":[2]}`,
		`{"a":1.50,"b":"\u0041\/","c":-0,"d":1e2}`:            `{"a":1.5,"b":"A/","c":0,"d":100}`,
		`{"10":1,"9":2,"a":3}`:                                `{"9":2,"10":1,"a":3}`,
		`{"a":1,"b":2,"a":3}`:                                 `{"a":3,"b":2}`,
		`{"a":1,"\u0061":2}`:                                  `{"a":2}`,
		`["x",{"y":1}]`:                                       `["x",{"y":1}]`,
		`"just a string"`:                                     `"just a string"`,
		`{"text":"tab\there é 😀 \u2028 \ud83d\ude00 \udc00"}`: `{"text":"tab\there é 😀 ` + "\u2028" + ` 😀 \udc00"}`,
	}
	for in, want := range cases {
		if got := sameInBothModes(t, `function handler(w) { return w }`, []byte(in)); got != want {
			t.Errorf("%s:\n got %s\nwant %s", in, got, want)
		}
	}
}

// TestUntouchedPayloadIsNotChanged checks Changed for lazy payloads: a
// handler that only reads the payload leaves it unchanged.
func TestUntouchedPayloadIsNotChanged(t *testing.T) {
	sb := New(Options{})
	for _, body := range []string{
		`return w`,
		`if (w.payload.data.total_amount > 0 && w.payload.type === "x") w.cancel = true; return w`,
		`Object.keys(w.payload.data); return w`,
	} {
		out, err := sb.Transform(t.Context(), "", "function handler(w) { "+body+" }", input(testPayload))
		if err != nil {
			t.Fatal(err)
		}
		if out.Changed || string(out.Payload) != testPayload {
			t.Errorf("%s: Changed = %v, payload %s; want false and the input", body, out.Changed, out.Payload)
		}
	}
}

func TestLazyPayloadSafe(t *testing.T) {
	cases := []struct {
		code string
		lazy bool
	}{
		{`function handler(w) { w.payload = {id: w.payload.data.id}; return w }`, true},
		{`function handler(w) { Object.freeze(w.payload); return w }`, false},
		{`function handler(w) { Object.seal(w.payload); return w }`, false},
		{`function handler(w) { Object.preventExtensions(w.payload); return w }`, false},
		{`function handler(w) { Object.defineProperty(w.payload, "x", {get() { return 1 }}); return w }`, false},
		{`function handler(w) { w.payload.__defineGetter__("x", () => 1); return w }`, false},
		{`function handler(w) { w.payload[Symbol.for("x")] = 1; return w }`, false},
		{`function handler(w) { Reflect.set(w.payload, "x", 1); return w }`, false},
		{`function handler(w) { return eval("w") }`, false},
		{`function handler(w) { return new Function("w", "return w")(w) }`, false},
		{`class A { #x = 1; static has(o) { return #x in o } } function handler(w) { return w }`, false},
	}
	for _, tc := range cases {
		if got := lazyPayloadSafe(tc.code); got != tc.lazy {
			t.Errorf("lazyPayloadSafe(%s) = %v, want %v", tc.code, got, tc.lazy)
		}
	}
}

// TestCodeThatFreezesGetsOrdinaryObjects runs, through the sandbox, what
// lazy objects cannot do.
func TestCodeThatFreezesGetsOrdinaryObjects(t *testing.T) {
	sb := New(Options{})
	for _, body := range []string{
		`"use strict"; Object.freeze(w.payload.data); try { w.payload.data.x = 1 } catch (e) { w.payload = e.name } return w`,
		`Object.defineProperty(w.payload, "hidden", {value: 1, enumerable: false}); w.payload = [w.payload.hidden, Object.keys(w.payload)]; return w`,
		`const s = Symbol("s"); w.payload[s] = 1; w.payload = w.payload[s]; return w`,
	} {
		out, err := sb.Transform(t.Context(), "", "function handler(w) { "+body+" }", input(testPayload))
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if want := map[bool]string{true: `"TypeError"`}[strings.Contains(body, "freeze")]; want != "" && string(out.Payload) != want {
			t.Errorf("%s: payload %s, want %s", body, out.Payload, want)
		}
	}
}

// FuzzLazyMatchesOrdinary runs handlers that copy, list and rebuild the
// payload on arbitrary JSON, with lazy and with ordinary objects: the
// outputs must be the same bytes.
func FuzzLazyMatchesOrdinary(f *testing.F) {
	for _, seed := range []string{lazyTestPayload, testPayload, `[]`, `"x"`, `{"a":{"a":{"a":[{}]}}}`,
		`{"1":1,"0":0,"01":2,"4294967295":3,"4294967294":4}`, `{"a":1,"a":2,"\u0061":3}`, "{\"a\" :\t[ 1 , 2 ] }"} {
		f.Add([]byte(seed))
	}
	bodies := []string{
		`return w`,
		`const p = w.payload; if (p && typeof p === "object") { for (const k in p) p[k + "_"] = p[k]; } return w`,
		`const walk = v => v && typeof v === "object" ? Array.isArray(v) ? v.map(walk) : Object.fromEntries(Object.keys(v).map(k => [k, walk(v[k])])) : v;
		 w.payload = [walk(w.payload), JSON.stringify(w.payload)]; return w`,
		`w.payload = {inner: w.payload}; return w`,
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) || bytes.Count(data, []byte("[")) > 200 || bytes.Count(data, []byte("{")) > 200 {
			return
		}
		for _, body := range bodies {
			sameInBothModes(t, "function handler(w) { "+body+" }", data)
		}
	})
}

// TestManyLookupsInALargeObject reads every field of a 20,000-key object by
// name. Scanning the keys for each lookup would take seconds and hit the
// time limit; the object is indexed after a few lookups instead.
func TestManyLookupsInALargeObject(t *testing.T) {
	var payload strings.Builder
	payload.WriteString(`{"data":{`)
	for i := range 20000 {
		if i > 0 {
			payload.WriteString(",")
		}
		fmt.Fprintf(&payload, `"k%d":%d`, i, i)
	}
	payload.WriteString(`}}`)
	code := `function handler(w) {
		const d = w.payload.data;
		let sum = 0;
		for (let i = 0; i < 20000; i++) sum += d["k" + i];
		w.payload = { sum, missing: d.nope === undefined };
		return w;
	}`
	out, err := New(Options{}).Transform(t.Context(), "", code, input(payload.String()))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"sum":199990000,"missing":true}`; string(out.Payload) != want {
		t.Errorf("payload %s, want %s", out.Payload, want)
	}
}

// TestRepeatedKeyInALargeObject repeats a key far apart in an object with
// more keys than the parser fingerprints: the repeat must still be noticed
// (the key written once, in its first place, with its last value).
func TestRepeatedKeyInALargeObject(t *testing.T) {
	var in, want strings.Builder
	in.WriteString(`{`)
	want.WriteString(`{`)
	for i := range 300 {
		if i > 0 {
			in.WriteString(",")
			want.WriteString(",")
		}
		fmt.Fprintf(&in, `"k%d":%d`, i, i)
		value := i
		if i == 3 {
			value = -1
		}
		fmt.Fprintf(&want, `"k%d":%d`, i, value)
	}
	in.WriteString(`,"k3":-1}`)
	want.WriteString(`}`)
	if got := sameInBothModes(t, `function handler(w) { return w }`, []byte(in.String())); got != want.String() {
		t.Errorf("got  %s\nwant %s", got, want.String())
	}
}
