package hookbridge_test

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

func TestObjectReadsTheBodyOnce(t *testing.T) {
	req := &hookbridge.OutboundRequest{Body: []byte(`{"a":1,"b":[true,null]}`)}
	first, err := req.Object()
	if err != nil {
		t.Fatal(err)
	}
	second, _ := req.Object()
	if reflect.ValueOf(first).Pointer() != reflect.ValueOf(second).Pointer() || req.BodyReads() != 1 {
		t.Fatalf("two calls read the body %d times", req.BodyReads())
	}
	req.Body = []byte(`{"c":2}`)
	third, _ := req.Object()
	if _, ok := third["c"]; !ok || req.BodyReads() != 2 {
		t.Fatalf("a replaced body was not read again: %v, %d reads", third, req.BodyReads())
	}
	req.Body = []byte(`[1]`)
	if _, err := req.Object(); err == nil {
		t.Fatal("an array was read as an object")
	}
}

func TestSetStringIfMissingKeepsBodyAndObjectInStep(t *testing.T) {
	cases := []struct {
		body, want string
		changed    bool
	}{
		{`{"a":1}`, `{"a":1,"id":"k"}`, true},
		{`{ "a" : 1 }`, `{ "a" : 1,"id":"k" }`, true},
		{`{}`, `{"id":"k"}`, true},
		{` { } `, ` { "id":"k"} `, true},
		{`{"id":null,"a":1}`, `{"id":"k","a":1}`, true},
		{`{"id":"","a":1}`, `{"id":"k","a":1}`, true},
		{`{"id":"mine"}`, `{"id":"mine"}`, false},
		{`{"id":0}`, `{"id":0}`, false},
	}
	for _, c := range cases {
		req := &hookbridge.OutboundRequest{Body: []byte(c.body)}
		changed, err := req.SetStringIfMissing("id", "k")
		if err != nil || changed != c.changed || string(req.Body) != c.want {
			t.Errorf("%s: got %s, %v, %v; want %s, %v", c.body, req.Body, changed, err, c.want, c.changed)
			continue
		}
		checkInStep(t, req)
	}
	req := &hookbridge.OutboundRequest{Body: []byte(`"text"`)}
	if changed, err := req.SetStringIfMissing("id", "k"); err == nil || changed || string(req.Body) != `"text"` {
		t.Errorf("a body that is not an object was changed: %s, %v, %v", req.Body, changed, err)
	}
}

func TestSetStringInItemsIfMissing(t *testing.T) {
	req := &hookbridge.OutboundRequest{Body: []byte(`{"batch":[{"a":1},{"messageId":"mine"},7,{"messageId":null}]}`)}
	changed, err := req.SetStringInItemsIfMissing("batch", "messageId", func(i int) string { return "k-" + string(rune('0'+i)) })
	want := `{"batch":[{"a":1,"messageId":"k-0"},{"messageId":"mine"},7,{"messageId":"k-3"}]}`
	if err != nil || !changed || string(req.Body) != want {
		t.Fatalf("got %s, %v, %v; want %s", req.Body, changed, err, want)
	}
	checkInStep(t, req)
	again, _ := req.SetStringInItemsIfMissing("batch", "messageId", func(int) string { return "other" })
	if again || req.BodyReads() != 1 {
		t.Fatalf("items that all have the member were changed (%v) or the body read again (%d reads)", again, req.BodyReads())
	}
}

func TestSetStringInItemsIfMissingLeavesItemsWithoutAValue(t *testing.T) {
	req := &hookbridge.OutboundRequest{Body: []byte(`{"batch":[{"action":"identify"},{"action":"event"}]}`)}
	value := func(i int) string {
		if i == 0 {
			return ""
		}
		return "k"
	}
	changed, err := req.SetStringInItemsIfMissing("batch", "id", value)
	want := `{"batch":[{"action":"identify"},{"action":"event","id":"k"}]}`
	if err != nil || !changed || string(req.Body) != want {
		t.Fatalf("got %s, %v, %v; want %s", req.Body, changed, err, want)
	}
	checkInStep(t, req)
	none := &hookbridge.OutboundRequest{Body: []byte(`{"batch":[{"action":"identify"}]}`)}
	if changed, _ := none.SetStringInItemsIfMissing("batch", "id", value); changed || string(none.Body) != `{"batch":[{"action":"identify"}]}` {
		t.Errorf("an item without a value was changed: %s", none.Body)
	}
}

// checkInStep fails unless the request's kept reading is what reading its
// body afresh gives, and it was read only once.
func checkInStep(t *testing.T, req *hookbridge.OutboundRequest) {
	t.Helper()
	kept, err := req.Object()
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := jsonbody.DecodeValue(req.Body, jsonbody.Lenient)
	if err != nil {
		t.Fatalf("the edited body %s does not read: %v", req.Body, err)
	}
	if !reflect.DeepEqual(kept, fresh) {
		t.Fatalf("kept %v, but the body %s reads %v", kept, req.Body, fresh)
	}
	if req.BodyReads() != 1 {
		t.Fatalf("the body was read %d times", req.BodyReads())
	}
}

// FuzzSetStringIfMissing holds the request's edit to jsonbody's, which
// scans the members: the same bytes, and a kept reading equal to a fresh one.
func FuzzSetStringIfMissing(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1}`, `{"id":null}`, ` {"x":{"id":1} , "y":[]}	`, `{"id":"","id":"v"}`, `{"id":"v","id":null}`} {
		f.Add(s, "id", "value")
	}
	f.Fuzz(func(t *testing.T, body, name, value string) {
		want, wantChanged, err := jsonbody.SetStringIfMissing([]byte(body), name, value)
		req := &hookbridge.OutboundRequest{Body: []byte(body)}
		changed, reqErr := req.SetStringIfMissing(name, value)
		if !utf8.ValidString(name) || !utf8.ValidString(value) {
			if reqErr == nil {
				t.Fatalf("%q, %q: a name or value that is not UTF-8 was set", name, value)
			}
			return
		}
		if err != nil || reqErr != nil {
			if (err == nil) != (reqErr == nil) && jsonbody.Check([]byte(body), jsonbody.Lenient) == nil {
				t.Fatalf("%q: jsonbody says %v, the request %v", body, err, reqErr)
			}
			return
		}
		if changed != wantChanged || string(req.Body) != string(want) {
			t.Fatalf("%q: request gives %q (%v), jsonbody %q (%v)", body, req.Body, changed, want, wantChanged)
		}
		checkInStep(t, req)
	})
}

func TestSetStringReplacesWhatTheBodyHolds(t *testing.T) {
	cases := []struct{ body, want string }{
		{`{"api_key":"theirs","a":1}`, `{"api_key":"ours","a":1}`},
		{`{"api_key":7}`, `{"api_key":"ours"}`},
		{`{"a":{"api_key":"x"}}`, `{"a":{"api_key":"x"},"api_key":"ours"}`},
		{`{"api_key":"ours"}`, `{"api_key":"ours"}`},
	}
	for _, c := range cases {
		req := &hookbridge.OutboundRequest{Body: []byte(c.body)}
		if err := req.SetString("api_key", "ours"); err != nil || string(req.Body) != c.want {
			t.Errorf("%s: got %s, %v; want %s", c.body, req.Body, err, c.want)
			continue
		}
		checkInStep(t, req)
	}
}

func TestValueReadsAnyBodyOnce(t *testing.T) {
	req := &hookbridge.OutboundRequest{Body: []byte(`[{"event":"a"},2]`)}
	v, err := req.Value()
	if err != nil {
		t.Fatal(err)
	}
	if items, ok := v.([]any); !ok || len(items) != 2 {
		t.Fatalf("read %v", v)
	}
	if _, err := req.Object(); err == nil || err.Error() != "a JSON object is required, not an array" {
		t.Fatalf("an array read as an object: %v", err)
	}
	if req.BodyReads() != 1 {
		t.Fatalf("read %d times", req.BodyReads())
	}
	for body, want := range map[string]string{`"x"`: "a string", `null`: "null", `{"a":1,`: "not valid JSON"} {
		req := &hookbridge.OutboundRequest{Body: []byte(body)}
		if _, err := req.Object(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Object of %s: %v, want an error mentioning %q", body, err, want)
		}
	}
}

func TestSetValueKeepsItsReading(t *testing.T) {
	req := &hookbridge.OutboundRequest{Body: []byte(`[{"properties":{"n":1.50}}]`)}
	v, err := req.Value()
	if err != nil {
		t.Fatal(err)
	}
	v.([]any)[0].(map[string]any)["properties"].(map[string]any)["$insert_id"] = "k"
	if err := req.SetValue(v); err != nil {
		t.Fatal(err)
	}
	if want := `[{"properties":{"$insert_id":"k","n":1.50}}]`; string(req.Body) != want {
		t.Fatalf("body %s, want %s", req.Body, want)
	}
	kept, _ := req.Value()
	fresh, err := jsonbody.DecodeValue(req.Body, jsonbody.Lenient)
	if err != nil || !reflect.DeepEqual(kept, fresh) || req.BodyReads() != 1 {
		t.Fatalf("kept %v, fresh %v (%v), %d reads", kept, fresh, err, req.BodyReads())
	}
}

func TestSetValueWritesTextAsItIs(t *testing.T) {
	req := &hookbridge.OutboundRequest{}
	if err := req.SetValue([]any{map[string]any{"name": "Smith & Sons <shop>"}}); err != nil {
		t.Fatal(err)
	}
	if want := `[{"name":"Smith & Sons <shop>"}]`; string(req.Body) != want {
		t.Fatalf("body %s, want %s", req.Body, want)
	}
}
