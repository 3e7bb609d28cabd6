package jsonobj

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// readerCases are bodies, well and badly formed, that the fast readers and
// the json.Decoder ones must read alike.
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

func checkDecodeAgrees(t *testing.T, in string) {
	t.Helper()
	got, gotErr := Decode([]byte(in))
	want, wantErr := decodeSlow([]byte(in))
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Fatalf("Decode(%s) error %v, json.Decoder's %v", short(in), gotErr, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Decode(%s) = %#v, json.Decoder's %#v", short(in), got, want)
	}
	obj, err := ReadObject([]byte(in))
	if fmt.Sprint(err) != fmt.Sprint(wantErr) {
		t.Fatalf("ReadObject(%s) error %v, Decode's %v", short(in), err, wantErr)
	}
	for name, v := range want {
		s, ok := obj.String(name)
		if wantS, wantOK := v.(string); ok != wantOK || s != wantS {
			t.Fatalf("ReadObject(%s).String(%q) = %q, %v; Decode read %#v", short(in), name, s, ok, v)
		}
	}
}

// checkMembersAgree compares Members and Elements with their json.Decoder
// forms; on an error only its presence matters, as every caller drops the
// result.
func checkMembersAgree(t *testing.T, in string) {
	t.Helper()
	got, gotErr := Members([]byte(in))
	want, wantErr := membersSlow([]byte(in))
	if (gotErr == nil) != (wantErr == nil) || gotErr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("Members(%s) = %v, %v; json.Decoder's %v, %v", short(in), got, gotErr, want, wantErr)
	}
	gotElems, gotErr := Elements([]byte(in))
	wantElems, wantErr := elementsSlow([]byte(in))
	if (gotErr == nil) != (wantErr == nil) || gotErr == nil && !reflect.DeepEqual(gotElems, wantElems) {
		t.Fatalf("Elements(%s) = %v, %v; json.Decoder's %v, %v", short(in), gotElems, gotErr, wantElems, wantErr)
	}
}

func TestFastReadersAgreeWithDecoder(t *testing.T) {
	for _, in := range readerCases {
		checkDecodeAgrees(t, in)
		checkMembersAgree(t, in)
		ms, _ := membersSlow([]byte(in))
		for _, m := range ms {
			checkDecodeAgrees(t, in[m.Start:m.End])
			checkMembersAgree(t, in[m.Start:m.End])
		}
	}
}

func TestFastReadersTakeTheFastPath(t *testing.T) {
	// Guards against a fast reader that silently always gives up.
	in := []byte(` {"a":[1,-2.5e+3], "b":{"c":"d\u00e9"},"t":true,"f":false,"n":null} `)
	obj, ok := readObject(in)
	want := map[string]any{"a": []any{json.Number("1"), json.Number("-2.5e+3")}, "b": map[string]any{"c": "dé"}, "t": true, "f": false, "n": nil}
	if !ok || !reflect.DeepEqual(obj, want) {
		t.Errorf("fast decoder: %#v, %v", obj, ok)
	}
	members, ok := scanMembers(in)
	if !ok || !reflect.DeepEqual(members, []Member{{"a", 6, 17}, {"b", 23, 38}, {"t", 43, 47}, {"f", 52, 57}, {"n", 62, 66}}) {
		t.Errorf("fast members: %v, %v", members, ok)
	}
	elems, ok := scanElements(in[6:17])
	if !ok || !reflect.DeepEqual(elems, [][2]int{{1, 2}, {3, 10}}) {
		t.Errorf("fast elements: %v, %v", elems, ok)
	}
}

// TestFastReaderRefusesInvalidText checks the reader itself, not only the
// exported functions, which would hide a wrong acceptance behind the
// json.Decoder fallback only if the fallback agreed.
func TestFastReaderRefusesInvalidText(t *testing.T) {
	for _, in := range readerCases {
		if _, ok := readObject([]byte(in)); ok && !json.Valid([]byte(in)) {
			t.Errorf("readObject accepted %s", short(in))
		}
		if _, ok := scanMembers([]byte(in)); ok && !json.Valid([]byte(in)) {
			t.Errorf("scanMembers accepted %s", short(in))
		}
		if _, ok := scanElements([]byte(in)); ok && !json.Valid([]byte(in)) {
			t.Errorf("scanElements accepted %s", short(in))
		}
	}
}

func FuzzFastReadersAgreeWithDecoder(f *testing.F) {
	for _, in := range readerCases {
		if len(in) < 1000 {
			f.Add(in)
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkDecodeAgrees(t, in)
		checkMembersAgree(t, in)
		_, decoded := readObject([]byte(in))
		_, scanned := scanMembers([]byte(in))
		_, scannedArray := scanElements([]byte(in))
		if (decoded || scanned || scannedArray) && !json.Valid([]byte(in)) {
			t.Fatalf("the fast reader accepted invalid %s", short(in))
		}
	})
}
