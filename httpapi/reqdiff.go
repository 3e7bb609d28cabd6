package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/hookbridge/hookbridge"
)

// requestDiff is one difference between two requests: at a path ("method",
// "url", "headers.X-Key", "body.properties.amount", "body.items[2]"), the
// live value and the draft's, as JSON; a side that lacks the path is
// absent.
type requestDiff struct {
	Path  string          `json:"path"`
	Live  json.RawMessage `json:"live,omitempty"`
	Draft json.RawMessage `json:"draft,omitempty"`
}

// diffRequests lists how draft differs from live, in method, URL, headers
// and body, at most limit differences. Bodies that are JSON are compared
// structurally (key order and spacing do not count); others as text.
func diffRequests(live, draft *hookbridge.RecordedRequest, limit int) []requestDiff {
	d := &differ{limit: limit, out: []requestDiff{}}
	d.text("method", live.Method, draft.Method)
	d.text("url", live.URL, draft.URL)
	for _, name := range slices.Sorted(maps.Keys(mergedKeys(live.Headers, draft.Headers))) {
		lv, lok := live.Headers[name]
		dv, dok := draft.Headers[name]
		if lok != dok || lv != dv {
			d.add("headers."+name, optionalJSON(lv, lok), optionalJSON(dv, dok))
		}
	}
	lb, lerr := decodeAny(live.Body)
	db, derr := decodeAny(draft.Body)
	if lerr == nil && derr == nil {
		d.value("body", lb, db)
	} else {
		d.text("body", live.Body, draft.Body)
	}
	return d.out
}

// differ collects differences up to its limit.
type differ struct {
	limit int
	out   []requestDiff
}

func (d *differ) full() bool { return len(d.out) >= d.limit }

func (d *differ) add(path string, live, draft json.RawMessage) {
	if !d.full() {
		d.out = append(d.out, requestDiff{Path: path, Live: live, Draft: draft})
	}
}

func (d *differ) text(path, live, draft string) {
	if live != draft {
		d.add(path, mustJSON(live), mustJSON(draft))
	}
}

// value compares two decoded JSON values, descending into objects and
// arrays of the same kind.
func (d *differ) value(path string, live, draft any) {
	if d.full() {
		return
	}
	switch l := live.(type) {
	case map[string]any:
		if r, ok := draft.(map[string]any); ok {
			d.object(path, l, r)
			return
		}
	case []any:
		if r, ok := draft.([]any); ok {
			d.array(path, l, r)
			return
		}
	}
	lj, dj := mustJSON(live), mustJSON(draft)
	if !bytes.Equal(lj, dj) {
		d.add(path, lj, dj)
	}
}

func (d *differ) object(path string, live, draft map[string]any) {
	for _, k := range slices.Sorted(maps.Keys(mergedKeys(live, draft))) {
		lv, lok := live[k]
		dv, dok := draft[k]
		switch {
		case lok && dok:
			d.value(path+"."+k, lv, dv)
		case lok:
			d.add(path+"."+k, mustJSON(lv), nil)
		default:
			d.add(path+"."+k, nil, mustJSON(dv))
		}
	}
}

func (d *differ) array(path string, live, draft []any) {
	for i := range max(len(live), len(draft)) {
		at := path + "[" + strconv.Itoa(i) + "]"
		switch {
		case i < len(live) && i < len(draft):
			d.value(at, live[i], draft[i])
		case i < len(live):
			d.add(at, mustJSON(live[i]), nil)
		default:
			d.add(at, nil, mustJSON(draft[i]))
		}
	}
}

func mergedKeys[V any](a, b map[string]V) map[string]bool {
	keys := make(map[string]bool, len(a)+len(b))
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

func optionalJSON(v string, ok bool) json.RawMessage {
	if !ok {
		return nil
	}
	return mustJSON(v)
}

// mustJSON encodes a value decoded from JSON (or a string), which cannot
// fail.
func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// decodeAny decodes one JSON value, keeping numbers as written (no
// rounding of large integers).
func decodeAny(text string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value")
	}
	return v, nil
}
