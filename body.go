package hookbridge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

// parsedBody is an OutboundRequest's Body read as JSON, kept for the Body
// it was read from.
type parsedBody struct {
	from  []byte
	value any
	err   error
}

// Value returns the request's body read as one JSON value, as
// jsonbody.DecodeValue reads it by its Lenient rules: map[string]any,
// []any, string, json.Number, bool or nil. The body is read once: Prepare,
// Validate, a Batcher and ReadAnswer asking for the same Body get the same
// value, until Body is replaced by another slice (Body is replaced, never
// changed in place). The value is the request's: read it, and change the
// body only through the request's methods, which keep the two in step.
//
// Its error reads after "the body is" (see jsonbody.DecodeValue).
func (r *OutboundRequest) Value() (any, error) {
	if p := r.parsed; p != nil && sameSlice(p.from, r.Body) {
		return p.value, p.err
	}
	value, err := jsonbody.DecodeValue(r.Body, jsonbody.Lenient)
	r.parsed = &parsedBody{from: r.Body, value: value, err: err}
	r.bodyReads++
	return value, err
}

// Object is Value for a body that must be one JSON object; any other value
// is an error ("a JSON object is required, not an array").
func (r *OutboundRequest) Object() (map[string]any, error) {
	value, err := r.Value()
	if err != nil {
		return nil, err
	}
	object, ok := value.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("a JSON object is required, not %s", jsonbody.Kind(value))
	}
	return object, nil
}

// BodyReads says how many times Value read a body of this request: once
// for a delivery, whatever reads it, unless something replaced Body
// without the request's methods.
func (r *OutboundRequest) BodyReads() int { return r.bodyReads }

// SetStringIfMissing gives the body, a JSON object, the top-level member
// name = value unless it has a non-empty string or any other value there
// (null and "" count as missing), in Body and in Object's map alike. It
// reports whether it changed anything. The rest of Body is kept byte for
// byte, and a new member goes last. A name or value that is not UTF-8 is
// an error, and a body that is not a JSON object is left as it is, with
// Object's error.
func (r *OutboundRequest) SetStringIfMissing(name, value string) (bool, error) {
	return r.setString(name, value, func(current any) bool { return !missingString(current) })
}

// SetString is SetStringIfMissing that sets the member whatever it held.
func (r *OutboundRequest) SetString(name, value string) error {
	_, err := r.setString(name, value, func(current any) bool { return current == value })
	return err
}

// setString sets the top-level member name to the string value unless
// keep says its current value stays: a member the body has is replaced
// where it stands (found by a scan), a new one goes last, with no scan.
func (r *OutboundRequest) setString(name, value string, keep func(current any) bool) (bool, error) {
	if !utf8.ValidString(name) || !utf8.ValidString(value) {
		return false, fmt.Errorf("set %q: the name and the value must be UTF-8", name)
	}
	object, err := r.Object()
	if err != nil {
		return false, err
	}
	current, found := object[name]
	if found && keep(current) {
		return false, nil
	}
	var body []byte
	if found {
		body, err = jsonbody.SetString(r.Body, name, value)
	} else {
		body, err = addStringMember(r.Body, len(object) == 0, name, value)
	}
	if err != nil {
		return false, fmt.Errorf("set %s: %w", name, err)
	}
	object[name] = value
	r.replaceBody(body)
	return true, nil
}

// missingString reports whether a member's value counts as missing: null
// (or absent) or "".
func missingString(v any) bool { return v == nil || v == "" }

// SetValue replaces Body with value encoded as JSON (encoding/json: an
// object's members sorted by name; <, > and & written as they are, not
// escaped for HTML) and keeps value as its reading, so that a Prepare
// that rebuilds the body does not make the next reader read it again.
// value must hold only what Value gives: maps, slices, strings,
// json.Numbers, bools and nils.
func (r *OutboundRequest) SetValue(value any) error {
	var encoded bytes.Buffer
	enc := json.NewEncoder(&encoded)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(value); err != nil {
		return fmt.Errorf("encode the body: %w", err)
	}
	body := bytes.TrimSuffix(encoded.Bytes(), []byte("\n"))
	r.Body = body
	r.parsed = &parsedBody{from: body, value: value}
	return nil
}

// SetStringInItemsIfMissing is SetStringIfMissing for each object in the
// array the top-level member array holds, with value(i) for item i; an
// empty value(i) leaves item i as it is, as are items that are not
// objects. The body is scanned for the items' places only when one of
// them lacks the member and has a value.
func (r *OutboundRequest) SetStringInItemsIfMissing(array, name string, value func(i int) string) (bool, error) {
	object, err := r.Object()
	if err != nil {
		return false, err
	}
	items, ok := object[array].([]any)
	if !ok {
		return false, nil
	}
	lacks := func(i int) bool {
		obj, ok := items[i].(map[string]any)
		return ok && missingString(obj[name]) && value(i) != ""
	}
	missing := false
	for i := range items {
		if missing = lacks(i); missing {
			break
		}
	}
	if !missing {
		return false, nil
	}
	body, err := jsonbody.EditArray(r.Body, array, func(i int, elem []byte) ([]byte, error) {
		if !lacks(i) {
			return elem, nil
		}
		v := value(i)
		items[i].(map[string]any)[name] = v
		edited, _, err := jsonbody.SetStringIfMissing(elem, name, v)
		return edited, err
	})
	if err != nil {
		return false, fmt.Errorf("set %s in each of %s: %w", name, array, err)
	}
	r.replaceBody(body)
	return true, nil
}

// replaceBody sets Body to an edit of it whose reading is the kept map,
// changed in step.
func (r *OutboundRequest) replaceBody(body []byte) {
	r.Body = body
	r.parsed.from = body
}

// addStringMember adds "name": value as the last member of obj.
func addStringMember(obj []byte, empty bool, name, value string) ([]byte, error) {
	encoded, err := json.Marshal(value)
	if err != nil {
		return nil, err
	}
	return jsonbody.AddMember(obj, empty, name, encoded)
}

// sameSlice reports whether a and b are the same slice of the same memory.
func sameSlice(a, b []byte) bool {
	return len(a) == len(b) && cap(a) == cap(b) && (cap(a) == 0 || &a[:cap(a)][0] == &b[:cap(b)][0])
}
