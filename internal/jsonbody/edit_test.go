package jsonbody

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestSetStringIfMissing(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		want        string
		wantChanged bool
	}{
		{"adds after last member, keeps spacing", "{ \"a\" : 1 ,\n \"b\": [1, 2] }\n", "{ \"a\" : 1 ,\n \"b\": [1, 2],\"id\":\"K\" }\n", true},
		{"empty object", "{}", `{"id":"K"}`, true},
		{"empty object with spaces", "{ \n }", "{ \n \"id\":\"K\"}", true},
		{"keeps a set value", `{"id":"mine","x":2}`, `{"id":"mine","x":2}`, false},
		{"keeps a numeric value", `{"id":7}`, `{"id":7}`, false},
		{"replaces null", `{"id": null, "x": 1.50}`, `{"id": "K", "x": 1.50}`, true},
		{"replaces empty string", `{"x":1e3,"id":""}`, `{"x":1e3,"id":"K"}`, true},
		{"nested id does not count", `{"data":{"id":"inner"}}`, `{"data":{"id":"inner"},"id":"K"}`, true},
		{"last duplicate wins", `{"id":"a","id":null}`, `{"id":"a","id":"K"}`, true},
		{"number last", `{"n":12}`, `{"n":12,"id":"K"}`, true},
		{"unicode and escapes kept", `{"s":"caf\u00e9 ☕ \"q\""}`, `{"s":"caf\u00e9 ☕ \"q\"","id":"K"}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed, err := SetStringIfMissing([]byte(tt.in), "id", "K")
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want || changed != tt.wantChanged {
				t.Errorf("got %s (changed %v), want %s (changed %v)", got, changed, tt.want, tt.wantChanged)
			}
			if !json.Valid(got) {
				t.Errorf("result is not valid JSON: %s", got)
			}
		})
	}
}

func TestSetStringIfMissingRejectsNonObjects(t *testing.T) {
	for _, in := range []string{``, `[]`, `"s"`, `{"a":1`, `{"a":1} {}`, `{"a":}`} {
		if _, _, err := SetStringIfMissing([]byte(in), "id", "K"); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

func TestEditArray(t *testing.T) {
	in := `{"context":{"x":1}, "batch": [ {"a":1}, {"messageId":"keep"} ,{} ], "z":true}`
	got, err := EditArray([]byte(in), "batch", func(i int, elem []byte) ([]byte, error) {
		out, _, err := SetStringIfMissing(elem, "messageId", fmt.Sprintf("K-%d", i))
		return out, err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"context":{"x":1}, "batch": [ {"a":1,"messageId":"K-0"}, {"messageId":"keep"} ,{"messageId":"K-2"} ], "z":true}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestEditArrayErrors(t *testing.T) {
	identity := func(_ int, e []byte) ([]byte, error) { return e, nil }
	for _, in := range []string{`{}`, `{"batch":{}}`, `{"batch":[1,]}`} {
		if _, err := EditArray([]byte(in), "batch", identity); err == nil {
			t.Errorf("%s: no error", in)
		}
	}
}

func TestDecodeValue(t *testing.T) {
	v, err := DecodeValue([]byte(`{"t": 1722749445, "f": 1.5}`), Lenient)
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := v.(map[string]any)["t"].(json.Number); !ok || n.String() != "1722749445" {
		t.Errorf("t = %#v, want json.Number 1722749445", v)
	}
	for in, want := range map[string]any{`[1]`: []any{json.Number("1")}, `"x"`: "x", `null`: nil} {
		if got, err := DecodeValue([]byte(in), Lenient); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("DecodeValue(%s) = %#v, %v; want %#v", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		`{} x`:    "data after",
		`{"a":1,`: "not valid JSON",
		``:        "not valid JSON",
	} {
		_, err := DecodeValue([]byte(in), Lenient)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("DecodeValue(%s) = %v, want an error mentioning %q", in, err, want)
		}
	}
}

func FuzzSetStringIfMissing(f *testing.F) {
	for _, seed := range []string{`{}`, `{"id":null}`, `{"a":[1,{"b":2}], "id":""}`, ` { "x" : "y" } `, `{"a":1e5}`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, changed, err := SetStringIfMissing([]byte(in), "id", "K")
		if err != nil {
			return
		}
		var before, after map[string]any
		if json.Unmarshal([]byte(in), &before) != nil {
			t.Fatalf("accepted invalid object %q", in)
		}
		if err := json.Unmarshal(out, &after); err != nil {
			t.Fatalf("produced invalid JSON %q from %q: %v", out, in, err)
		}
		if changed && after["id"] != "K" {
			t.Fatalf("changed but id = %v", after["id"])
		}
		if !changed && string(out) != in {
			t.Fatalf("not changed but bytes differ")
		}
		delete(before, "id")
		delete(after, "id")
		if fmt.Sprint(before) != fmt.Sprint(after) {
			t.Fatalf("other members changed: %v → %v", before, after)
		}
	})
}

func TestElementSizes(t *testing.T) {
	body := []byte(`{"batch":[1],"batch":[ {"a":"b"} , "xy",[]],"other":2}`)
	if got := ElementSizes(body, "batch"); !slices.Equal(got, []int{9, 4, 2}) {
		t.Fatalf("sizes %v, want [9 4 2] (the last batch member, as written)", got)
	}
	for _, c := range []struct{ body, name string }{{`{"batch":{}}`, "batch"}, {`{"a":[]}`, "batch"}, {`[1]`, "batch"}, {`{"batch":[}`, "batch"}} {
		if got := ElementSizes([]byte(c.body), c.name); got != nil {
			t.Errorf("%s: sizes %v, want nil", c.body, got)
		}
	}
}
