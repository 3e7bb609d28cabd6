package jsonobj

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Decode parses body as one JSON object, keeping numbers as json.Number so
// that a validator can tell 1722749445 from 1722749445.5.
//
// A well-formed object is read by a fast reader; anything else goes
// through json.Decoder, so that the error says what it always said.
func Decode(body []byte) (map[string]any, error) {
	if obj, ok := readObject(body); ok {
		return obj, nil
	}
	return decodeSlow(body)
}

// decodeSlow is Decode by json.Decoder.
func decodeSlow(body []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("not valid JSON: data after the top-level value")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("a JSON object is required, not %s", Kind(v))
	}
	return obj, nil
}

// Kind names the JSON type of a decoded value, with its article, for
// messages: "a string", "an object", "null".
func Kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number, float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("a %T", v)
}

// Member is one name/value pair of a JSON object, with the byte range of its
// value in the object's source.
type Member struct {
	Name       string
	Start, End int
}

// Members lists the members of the JSON object obj in source order.
func Members(obj []byte) ([]Member, error) {
	if members, ok := scanMembers(obj); ok {
		return members, nil
	}
	return membersSlow(obj)
}

// Elements lists the byte ranges of the elements of the JSON array arr.
func Elements(arr []byte) ([][2]int, error) {
	if elems, ok := scanElements(arr); ok {
		return elems, nil
	}
	return elementsSlow(arr)
}

// membersSlow is Members by json.Decoder, for what the fast reader does
// not accept: it says what is wrong, and accepts exactly what Members
// always accepted.
func membersSlow(obj []byte) ([]Member, error) {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	var members []Member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("read member name: %w", err)
		}
		name, _ := tok.(string)
		start, end, err := nextValue(dec, obj)
		if err != nil {
			return nil, fmt.Errorf("read member %q: %w", name, err)
		}
		members = append(members, Member{Name: name, Start: start, End: end})
	}
	return members, expectEnd(dec, '}')
}

// elementsSlow is Elements by json.Decoder, as membersSlow is Members.
func elementsSlow(arr []byte) ([][2]int, error) {
	dec := json.NewDecoder(bytes.NewReader(arr))
	if err := expectDelim(dec, '['); err != nil {
		return nil, err
	}
	var elems [][2]int
	for dec.More() {
		start, end, err := nextValue(dec, arr)
		if err != nil {
			return nil, fmt.Errorf("read element %d: %w", len(elems), err)
		}
		elems = append(elems, [2]int{start, end})
	}
	return elems, expectEnd(dec, ']')
}

// SetStringIfMissing gives the object obj the string member name = value
// unless it already has a non-empty one (null and "" count as missing). It
// reports whether it changed anything. The rest of obj is kept byte for
// byte.
func SetStringIfMissing(obj []byte, name, value string) ([]byte, bool, error) {
	members, err := Members(obj)
	if err != nil {
		return nil, false, err
	}
	return setStringIfMissing(obj, members, name, value)
}

// setStringIfMissing is SetStringIfMissing on an object whose members are
// known.
func setStringIfMissing(obj []byte, members []Member, name, value string) ([]byte, bool, error) {
	m, found := last(members, name)
	if found {
		current := bytes.TrimSpace(obj[m.Start:m.End])
		if !bytes.Equal(current, []byte("null")) && !bytes.Equal(current, []byte(`""`)) {
			return obj, false, nil
		}
	}
	encoded, err := json.Marshal(value)
	if err != nil {
		return nil, false, fmt.Errorf("encode %s: %w", name, err)
	}
	if found {
		return splice(obj, m.Start, m.End, encoded), true, nil
	}
	return insertMember(obj, members, name, encoded)
}

// EditArray applies edit to each element of the array held by the member
// name of the object obj, keeping all other bytes. It is an error if the
// member is missing or not an array.
func EditArray(obj []byte, name string, edit func(index int, elem []byte) ([]byte, error)) ([]byte, error) {
	members, err := Members(obj)
	if err != nil {
		return nil, err
	}
	m, ok := last(members, name)
	if !ok {
		return nil, fmt.Errorf("no %q member", name)
	}
	arr := obj[m.Start:m.End]
	elems, err := Elements(arr)
	if err != nil {
		return nil, fmt.Errorf("member %q: %w", name, err)
	}
	edited := make([]byte, 0, len(arr)+len(elems)*32)
	prev := 0
	for i, e := range elems {
		replacement, err := edit(i, arr[e[0]:e[1]])
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", name, i, err)
		}
		edited = append(edited, arr[prev:e[0]]...)
		edited = append(edited, replacement...)
		prev = e[1]
	}
	edited = append(edited, arr[prev:]...)
	return splice(obj, m.Start, m.End, edited), nil
}

func last(members []Member, name string) (Member, bool) {
	for i := len(members) - 1; i >= 0; i-- {
		if members[i].Name == name {
			return members[i], true
		}
	}
	return Member{}, false
}

// insertMember adds "name":value after the last member, or inside an empty
// object.
func insertMember(obj []byte, members []Member, name string, value []byte) ([]byte, bool, error) {
	key, err := json.Marshal(name)
	if err != nil {
		return nil, false, fmt.Errorf("encode member name: %w", err)
	}
	member := append(append(key, ':'), value...)
	if len(members) > 0 {
		at := members[len(members)-1].End
		return splice(obj, at, at, append([]byte{','}, member...)), true, nil
	}
	closing := bytes.LastIndexByte(obj, '}')
	return splice(obj, closing, closing, member), true, nil
}

// splice returns a new slice: b with b[start:end] replaced by with.
func splice(b []byte, start, end int, with []byte) []byte {
	out := make([]byte, 0, len(b)-(end-start)+len(with))
	out = append(out, b[:start]...)
	out = append(out, with...)
	return append(out, b[end:]...)
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("not valid JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("want a JSON %s, found %v", kindOfDelim(want), tok)
	}
	return nil
}

func kindOfDelim(d json.Delim) string {
	if d == '[' {
		return "array"
	}
	return "object"
}

// expectEnd reads the closing delimiter and makes sure nothing follows.
func expectEnd(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("not valid JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("not valid JSON: unexpected %v", tok)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("not valid JSON: data after the top-level value")
	}
	return nil
}

// nextValue reads one value from dec and locates it in src.
func nextValue(dec *json.Decoder, src []byte) (start, end int, err error) {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return 0, 0, err
	}
	end = int(dec.InputOffset())
	start = end - len(raw)
	if start < 0 || !bytes.Equal(src[start:end], raw) {
		return 0, 0, errors.New("cannot locate value in source")
	}
	return start, end, nil
}
