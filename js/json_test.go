package js

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/dop251/goja"
)

// TestPayloadIsWrittenAsBrowsersStringify pins JSON.stringify semantics on
// the output payload; the expected text is what V8 prints.
func TestPayloadIsWrittenAsBrowsersStringify(t *testing.T) {
	got, err := evalJS(t, New(Options{}), `{
		b: 1, 2: "two", 1: "one", a: undefined, f() {}, s: Symbol("x"),
		nan: NaN, inf: -Infinity, negZero: -0, big: 1e21, small: 1e-7, frac: 0.1 + 0.2,
		date: new Date(Date.UTC(2025, 7, 4, 5, 30, 45, 182)), custom: { toJSON(key) { return "key:" + key } },
		arr: [undefined, function () {}, Symbol("y"), null, , 1],
		boxed: [new Number(3), new String("s"), new Boolean(false), Object(1n).toJSON === undefined],
		text: "quote\" backslash\\ tab\t nl\n ctrl\u0001 del\u007f ls\u2028 é 😀 lone\ud800 pair\ud83d\ude00 end",
		nested: { "": { "x y": [] } }
	}`)
	want := `{"1":"one","2":"two","b":1,"nan":null,"inf":null,"negZero":0,"big":1e+21,"small":1e-7,"frac":0.30000000000000004,` +
		`"date":"2025-08-04T05:30:45.182Z","custom":"key:custom","arr":[null,null,null,null,null,1],` +
		`"boxed":[3,"s",false,true],` +
		`"text":"quote\" backslash\\ tab\t nl\n ctrl\u0001 del` + "\u007f ls\u2028 é 😀" + ` lone\ud800 pair😀 end",` +
		`"nested":{"":{"x y":[]}}}`
	if err != nil || got != want {
		t.Errorf("got  %s (%v)\nwant %s", got, err, want)
	}
}

// TestUserStringifyMatchesBrowsers covers the replacer and indentation
// arguments; the expected strings are V8's. (goja's own stringify
// mis-indents after an empty array.)
func TestUserStringifyMatchesBrowsers(t *testing.T) {
	got, err := evalJS(t, New(Options{}), `[
		JSON.stringify({ a: [], b: { c: 1 } }, null, 2),
		JSON.stringify({ a: 1, b: [1, 2], c: {} }, null, "--"),
		JSON.stringify({ a: 1, b: 2, c: { a: 3, d: 4 } }, ["c", "a", "a"]),
		JSON.stringify({ a: 1, b: "x" }, (k, v) => typeof v === "number" ? v * 10 : v),
		JSON.stringify(undefined), JSON.stringify(function () {}), JSON.stringify("s"),
		JSON.stringify({ a: 1 }, null, 20).length,
	]`)
	want := `["{\n  \"a\": [],\n  \"b\": {\n    \"c\": 1\n  }\n}",` +
		`"{\n--\"a\": 1,\n--\"b\": [\n----1,\n----2\n--],\n--\"c\": {}\n}",` +
		`"{\"c\":{\"a\":3},\"a\":1}",` +
		`"{\"a\":10,\"b\":\"x\"}",` +
		`null,null,"\"s\"",20]`
	if err != nil || got != want {
		t.Errorf("got  %s (%v)\nwant %s", got, err, want)
	}
}

// TestStringifyAgreesWithGoja compares the serializer with goja's
// built-in JSON.stringify (which follows the same specification) on values
// without indentation.
func TestStringifyAgreesWithGoja(t *testing.T) {
	exprs := []string{
		`({ b: 1, a: [1, "x", null, true, { c: undefined }], 10: 2, 9: 3 })`,
		`[new Date(0), { toJSON() { return { deep: [1, 2] } } }, [[[]]], {}]`,
		`({ s: "\u0000\u001f\"\\/\u00e9\ud834\udd1e\udc00" })`,
		`Object.assign(Object.create({ inherited: 1 }), { own: 2 })`,
		`new Proxy([1, 2, 3], {})`,
		`new Proxy({ a: 1, b: 2 }, { ownKeys: () => ["b", "a"] })`,
		`[1.5, -0, 1e300 * 10, 123456789012345680000, 5e-324, 0.000001, 1e-7]`,
		`new Map([[1, 2]])`,
		`Object.defineProperty({ a: 1 }, "hidden", { value: 2, enumerable: false })`,
		`"plain string"`, `42`, `null`, `true`,
	}
	reference := goja.New()
	sb := New(Options{})
	for _, expr := range exprs {
		want, err := reference.RunString("JSON.stringify(" + expr + ")")
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		got, err := evalJS(t, sb, expr)
		if err != nil || got != want.String() {
			t.Errorf("%s:\n got %s (%v)\nwant %s", expr, got, err, want)
		}
	}
}

func TestPayloadDecodingKeepsJSONParseSemantics(t *testing.T) {
	sb := New(Options{})
	in := `{"b":1,"2":2,"1":3,"a":{"__proto__":1,"toString":"x","constructor":null},` +
		`"s":"\ud800\u00e9\n","dup":1,"dup":2,"n":[-0,1E2,0.1,12345678901234567890,1e400]}`
	out, err := sb.Transform(t.Context(), "", `function handler(w) {
		w.payload.proto = Object.getPrototypeOf(w.payload.a) === Object.prototype;
		w.payload.ownProto = Object.keys(w.payload.a);
		return w;
	}`, input(in))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"1":3,"2":2,"b":1,"a":{"__proto__":1,"toString":"x","constructor":null},` +
		`"s":"\ud800é\n","dup":2,"n":[0,100,0.1,12345678901234567000,null],"proto":true,"ownProto":["__proto__","toString","constructor"]}`
	if string(out.Payload) != want {
		t.Errorf("got  %s\nwant %s", out.Payload, want)
	}
}

func TestDecodeRejectsInvalidJSON(t *testing.T) {
	vm := goja.New()
	for _, bad := range []string{``, `{`, `{"a" 1}`, `[1,]`, `{"a":1,}`, `01`, `1.`, `-`, `"\x"`, "\"\x01\"", `tru`, `{} {}`, `"\u12"`, `NaN`} {
		if _, err := decodeJSON(vm, []byte(bad)); err == nil {
			t.Errorf("%q decoded without error", bad)
		}
	}
}

// FuzzJSONRoundTrip decodes valid JSON into goja values and writes it back:
// the result must be JSON with the same meaning as the input (as
// encoding/json reads both), and invalid input must be refused.
func FuzzJSONRoundTrip(f *testing.F) {
	for _, seed := range []string{`{"a":[1,2,{"b":null}],"c":"é\u00e9\ud800"}`, `[]`, `"x"`, `-0.5e-3`,
		`{"2":1,"1":2,"b":3}`, `{"a":1,"a":2}`, `[1e400, 123456789012345678901]`, `{"__proto__":{}}`} {
		f.Add([]byte(seed))
	}
	inst, err := newInstance(&Options{MaxOutput: 1 << 20, MaxStackDepth: 1000, MaxConsoleLines: 10})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := decodeJSON(inst.vm, data)
		if (err == nil) != json.Valid(data) {
			t.Fatalf("decode error %v, but json.Valid = %v", err, json.Valid(data))
		}
		if err != nil {
			return
		}
		w := inst.newJSONWriter(1 << 24)
		if ex := inst.vm.Try(func() { w.serialize(v) }); ex != nil {
			t.Fatalf("serialize: %v", ex)
		}
		var want, got any
		if err := json.Unmarshal(data, &want); err != nil {
			return // numbers beyond float64, which encoding/json refuses
		}
		if err := json.Unmarshal(w.out, &got); err != nil {
			t.Fatalf("output %s is not JSON: %v", w.out, err)
		}
		if !reflect.DeepEqual(normalizeNumbers(want), normalizeNumbers(got)) {
			t.Fatalf("round trip changed the value:\n in  %s\n out %s", data, w.out)
		}
	})
}

// normalizeNumbers turns -0 into 0, as JSON.stringify writes it.
func normalizeNumbers(v any) any {
	switch v := v.(type) {
	case float64:
		if v == 0 {
			return 0.0
		}
	case []any:
		for i := range v {
			v[i] = normalizeNumbers(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = normalizeNumbers(v[k])
		}
	}
	return v
}
