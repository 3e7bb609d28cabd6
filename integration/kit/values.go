package kit

import (
	"bytes"
	"encoding/json"
	"slices"
)

// The helpers below read a body as req.Object and req.Value give it:
// map[string]any, []any, string, json.Number, bool or nil.

// Text is obj's member name when it is a string, "" otherwise (obj may be
// nil).
func Text(obj map[string]any, name string) string {
	s, _ := obj[name].(string)
	return s
}

// List is obj's member name when it is an array, nil otherwise (obj may
// be nil).
func List(obj map[string]any, name string) []any {
	items, _ := obj[name].([]any)
	return items
}

// Shown is v for a message to print with %v: every number in it, a
// json.Number, as a float64, which %v prints in its shortest form (1e3 as
// 1000, 2.50 as 2.5), in arrays and objects too. v is not changed.
func Shown(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, _ := x.Float64()
		return f
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = Shown(item)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for name, member := range x {
			out[name] = Shown(member)
		}
		return out
	}
	return v
}

// JSONArray is the JSON array of items, each one JSON value, in order: a
// batch's body built from its items.
func JSONArray(items [][]byte) []byte {
	return slices.Concat([]byte("["), bytes.Join(items, []byte(",")), []byte("]"))
}
