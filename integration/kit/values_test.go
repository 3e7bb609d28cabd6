package kit

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestTextAndList(t *testing.T) {
	obj := map[string]any{"s": "x", "n": json.Number("1"), "a": []any{"y"}}
	if Text(obj, "s") != "x" || Text(obj, "n") != "" || Text(nil, "s") != "" {
		t.Error("Text gives a string member only")
	}
	if len(List(obj, "a")) != 1 || List(obj, "s") != nil || List(nil, "a") != nil {
		t.Error("List gives an array member only")
	}
}

func TestShownPrintsNumbersInTheirShortestForm(t *testing.T) {
	v := map[string]any{"a": []any{json.Number("1e3"), "b"}, "c": json.Number("2.50")}
	if got := fmt.Sprintf("%v", Shown(v)); got != "map[a:[1000 b] c:2.5]" {
		t.Errorf("shown as %s", got)
	}
	if v["c"] != json.Number("2.50") {
		t.Error("Shown changed its argument")
	}
	if Shown("x") != "x" || Shown(nil) != nil {
		t.Error("Shown changed a value without numbers")
	}
}

func TestJSONArray(t *testing.T) {
	if got := string(JSONArray([][]byte{[]byte(`{"a":1}`), []byte(`2`)})); got != `[{"a":1},2]` {
		t.Errorf("got %s", got)
	}
	if got := string(JSONArray(nil)); got != `[]` {
		t.Errorf("no items: got %s", got)
	}
}

func TestTextOr(t *testing.T) {
	if TextOr("refused", "x") != "refused" || TextOr(" \n", "x") != "x" || TextOr("", "x") != "x" {
		t.Error("TextOr keeps a text and replaces a blank one")
	}
}
