package jsonbody

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// readerCases are bodies, well and badly formed, that the package must read
// as encoding/json does.
var readerCases = []string{
	``, ` `, `{`, `}`, `[]`, `[1, {"a":2}]`, ` [ 1 , "]" ,[],{} ] `, `"s"`, `12`, `null`, `true`,
	`{}`, ` { } `, "{\n\t\"a\" : 1 ,\r\n \"b\":[1, 2] }\n",
	`{"t": 1722749445, "f": 1.5, "e": -1.2e+10, "z": 0, "neg": -0, "big": 123456789012345678901234567890}`,
	`{"s":"caf\u00e9 ☕ \"q\" \\ \/ \b\f\n\r\t","k\u0065y":1,"end\\":"\\"}`,
	`{"surrogates":"\ud83d\ude00","lone":"\ud800x"}`,
	"{\"bad utf8\":\"a\xffb\",\"k\xfe\":1}",
	`{"a":1,"a":2,"a":null}`,
	`{"n":null,"t":true,"f":false,"o":{"x":[[],{},[{}]]},"arr":[]}`,
	`{"a":"}]\"[{","b":["]","}"]}`,
	`{"a":1} `, `{"a":1} x`, `{"a":1} {}`, `{"a":1}{"b":2}`, `{"a":1,}`, `{"a":}`, `{"a" 1}`,
	`{"a":[1,]}`, `{"a":tru}`, `{"a":01}`, `{"a":1.}`, `{a:1}`, `{"a":"x`, "{\"a\":\"\x01\"}",
	`{"batch":[{"type":"track","userId":"u"}, {"messageId":"keep"} ,{} ],"context":{}}`,
	`{"a":-}`, `{"a":-01}`, `{"a":1e}`, `{"a":1e+}`, `{"a":.5}`, `{"a":+1}`, `{"a":1.5E-3}`, `{"a":-0.0e0}`,
	`{"a":"\u12"}`, `{"a":"\u12G4"}`, `{"a":"\x"}`, `{"a":"\'"}`, `{"a":"\`, `{"a":"\u0000\uDFFF"}`, "{\"a\":\"\x7f\"}",
	`{,"a":1}`, `{"a":1,,"b":2}`, `[,1]`, `[1 2]`, `[1,]`, `{"a":[1,2}`, `{"a":{]`, `{"a":nul}`, `{"a":truex}`, `{"a":true1}`,
	`{"\"":1, "":2}`, "{\"a\"\t:\r1\n}", "{\"a\":1}\x00", `{"a":1]`, `{1:2}`, `{"a":1 "b":2}`,
	`{"a":` + strings.Repeat(`[`, 1001) + strings.Repeat(`]`, 1001) + `}`,
	`{"a":` + strings.Repeat(`[`, MaxDepth) + strings.Repeat(`]`, MaxDepth) + `}`,
	`{"a":` + strings.Repeat(`[`, MaxDepth-1) + strings.Repeat(`]`, MaxDepth-1) + `}`,
	strings.Repeat(`{"a":`, 10001) + `1` + strings.Repeat(`}`, 10001),
	strings.Repeat(`{"a":`, 500) + `[1]` + strings.Repeat(`}`, 500),
}

// short quotes a test input, cut to a readable length.
func short(in string) string {
	if len(in) > 80 {
		in = in[:80] + "…"
	}
	return fmt.Sprintf("%q", in)
}

// refDecode is DecodeValue by encoding/json's Decoder, the reference.
func refDecode(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("data after the top-level value")
	}
	return v, nil
}

// refMembers is Members by encoding/json's Decoder, the reference.
func refMembers(obj []byte) ([]Member, error) {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if err := refDelim(dec, '{'); err != nil {
		return nil, err
	}
	var members []Member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		start, end, err := refValue(dec, obj)
		if err != nil {
			return nil, err
		}
		members = append(members, Member{Name: name, Start: start, End: end})
	}
	return members, refEnd(dec, '}')
}

// refElements is Elements by encoding/json's Decoder, the reference.
func refElements(arr []byte) ([][2]int, error) {
	dec := json.NewDecoder(bytes.NewReader(arr))
	if err := refDelim(dec, '['); err != nil {
		return nil, err
	}
	var elems [][2]int
	for dec.More() {
		start, end, err := refValue(dec, arr)
		if err != nil {
			return nil, err
		}
		elems = append(elems, [2]int{start, end})
	}
	return elems, refEnd(dec, ']')
}

func refDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %v, found %v", want, tok)
	}
	return nil
}

func refEnd(dec *json.Decoder, want json.Delim) error {
	if err := refDelim(dec, want); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("data after the top-level value")
	}
	return nil
}

func refValue(dec *json.Decoder, src []byte) (start, end int, err error) {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return 0, 0, err
	}
	end = int(dec.InputOffset())
	return end - len(raw), end, nil
}

// refDepth is how deeply the brackets of JSON text nest, outside strings.
func refDepth(text []byte) int {
	depth, deepest := 0, 0
	inString, escaped := false, false
	for _, c := range text {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}

// jsontextMaxDepth is jsontext's own bound on nesting, which Lenient
// reading keeps and encoding/json's Token does not have.
const jsontextMaxDepth = 10000

// checkAgainstReference holds the package to encoding/json for one input:
// Lenient reading accepts what encoding/json accepts, to the same values
// and byte ranges; Strict reading accepts that, less text that is not
// UTF-8, names a member twice or nests deeper than MaxDepth.
func checkAgainstReference(t *testing.T, in string) {
	t.Helper()
	src := []byte(in)
	if refDepth(src) > jsontextMaxDepth {
		if Check(src, Lenient) == nil {
			t.Fatalf("Check(%s, Lenient) accepted text nested deeper than jsontext's bound", short(in))
		}
		return
	}
	valid := json.Valid(src)
	if err := Check(src, Lenient); (err == nil) != valid {
		t.Fatalf("Check(%s, Lenient) = %v; encoding/json finds it valid: %v", short(in), err, valid)
	}
	got, gotErr := DecodeValue(src, Lenient)
	want, wantErr := refDecode(src)
	if (gotErr == nil) != (wantErr == nil) || !reflect.DeepEqual(got, want) {
		t.Fatalf("DecodeValue(%s) = %#v, %v; encoding/json's %#v, %v", short(in), got, gotErr, want, wantErr)
	}
	if members, err := Members(src, Lenient); err == nil {
		obj := want.(map[string]any)
		for _, m := range members {
			s, ok := Unquote(src[m.Start:m.End])
			if wantS, wantOK := obj[m.Name].(string); (ok != wantOK || s != wantS) && !repeated(members, m.Name) {
				t.Fatalf("Unquote of %s's member %q = %q, %v; DecodeValue read %#v", short(in), m.Name, s, ok, obj[m.Name])
			}
		}
	}
	members, gotErr := Members(src, Lenient)
	wantMembers, wantErr := refMembers(src)
	if (gotErr == nil) != (wantErr == nil) || gotErr == nil && !reflect.DeepEqual(members, wantMembers) {
		t.Fatalf("Members(%s) = %v, %v; encoding/json's %v, %v", short(in), members, gotErr, wantMembers, wantErr)
	}
	elems, gotErr := Elements(src, Lenient)
	wantElems, wantErr := refElements(src)
	if (gotErr == nil) != (wantErr == nil) || gotErr == nil && !reflect.DeepEqual(elems, wantElems) {
		t.Fatalf("Elements(%s) = %v, %v; encoding/json's %v, %v", short(in), elems, gotErr, wantElems, wantErr)
	}
	strictErr := Check(src, Strict)
	if strictErr == nil && (!valid || !utf8.Valid(src) || refDepth(src) > MaxDepth) {
		t.Fatalf("Check(%s, Strict) accepted text encoding/json refuses, not UTF-8 or too deep", short(in))
	}
	var depthErr *DepthError
	if valid && utf8.Valid(src) && refDepth(src) > MaxDepth && !errors.As(strictErr, &depthErr) {
		t.Fatalf("Check(%s, Strict) = %v, want a DepthError", short(in), strictErr)
	}
	if obj, ok := want.(map[string]any); strictErr == nil && ok && len(members) != len(obj) {
		t.Fatalf("Check(%s, Strict) accepted a repeated name", short(in))
	}
}

func TestReadingAgreesWithEncodingJSON(t *testing.T) {
	for _, in := range readerCases {
		checkAgainstReference(t, in)
		ms, _ := refMembers([]byte(in))
		for _, m := range ms {
			checkAgainstReference(t, in[m.Start:m.End])
		}
	}
}

func TestStrictRefusals(t *testing.T) {
	var depthErr *DepthError
	for in, want := range map[string]func(error) bool{
		"{\"a\":\"\xff\"}":    func(err error) bool { return errors.Is(err, ErrInvalidUTF8) },
		`{"a":1,"a":2}`:       func(err error) bool { return errors.Is(err, ErrDuplicateName) },
		`{"a":{"b":1,"b":2}}`: func(err error) bool { return errors.Is(err, ErrDuplicateName) },
		`{"a":"\ud800"}`:      func(err error) bool { return err != nil },
		`{} {}`:               func(err error) bool { return errors.Is(err, ErrTrailingData) },
		`{} x`:                func(err error) bool { return errors.Is(err, ErrTrailingData) },
		strings.Repeat(`[`, MaxDepth+1) + strings.Repeat(`]`, MaxDepth+1): func(err error) bool {
			return errors.As(err, &depthErr) && depthErr.Limit == MaxDepth && depthErr.Offset == MaxDepth
		},
	} {
		if err := Check([]byte(in), Strict); !want(err) {
			t.Errorf("Check(%s, Strict) = %v", short(in), err)
		}
	}
	if err := Check([]byte(strings.Repeat(`[`, MaxDepth)+strings.Repeat(`]`, MaxDepth)), Strict); err != nil {
		t.Errorf("Check refuses text nested MaxDepth deep: %v", err)
	}
}

func TestSpans(t *testing.T) {
	in := []byte(` {"a":[1,-2.5e+3], "b":{"c":"d\u00e9"},"t":true,"f":false,"n":null} `)
	members, err := Members(in, Strict)
	if err != nil || !reflect.DeepEqual(members, []Member{{"a", 6, 17}, {"b", 23, 38}, {"t", 43, 47}, {"f", 52, 57}, {"n", 62, 66}}) {
		t.Errorf("members: %v, %v", members, err)
	}
	elems, err := Elements(in[6:17], Strict)
	if err != nil || !reflect.DeepEqual(elems, [][2]int{{1, 2}, {3, 10}}) {
		t.Errorf("elements: %v, %v", elems, err)
	}
}

// FuzzReadingAgreesWithEncodingJSON holds the package to encoding/json
// as the reference for validity, values, byte ranges and depth.
func FuzzReadingAgreesWithEncodingJSON(f *testing.F) {
	for _, in := range readerCases {
		if len(in) < 1000 {
			f.Add(in)
		}
	}
	f.Fuzz(checkAgainstReference)
}

// repeated reports whether members names name more than once (a reading
// keeps only the last).
func repeated(members []Member, name string) bool {
	n := 0
	for _, m := range members {
		if m.Name == name {
			n++
		}
	}
	return n > 1
}
