package jsonbody

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// SetStringIfMissing gives the object obj (read by the Lenient rules) the
// string member name = value unless it already has a non-empty one (null
// and "" count as missing). It reports whether it changed anything. The
// rest of obj is kept byte for byte.
func SetStringIfMissing(obj []byte, name, value string) ([]byte, bool, error) {
	members, err := Members(obj, Lenient)
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
		current := obj[m.Start:m.End]
		if !bytes.Equal(current, []byte("null")) && !bytes.Equal(current, []byte(`""`)) {
			return obj, false, nil
		}
	}
	return setMember(obj, members, name, value)
}

// SetString sets the member name of the object obj (read by the Lenient
// rules) to the string value, where it stands (its last occurrence), or
// as the last member. The rest of obj is kept byte for byte.
func SetString(obj []byte, name, value string) ([]byte, error) {
	members, err := Members(obj, Lenient)
	if err != nil {
		return nil, err
	}
	out, _, err := setMember(obj, members, name, value)
	return out, err
}

// setMember sets name to the string value in obj, whose members are known.
func setMember(obj []byte, members []Member, name, value string) ([]byte, bool, error) {
	encoded, err := json.Marshal(value)
	if err != nil {
		return nil, false, fmt.Errorf("encode %s: %w", name, err)
	}
	if m, found := last(members, name); found {
		return splice(obj, m.Start, m.End, encoded), true, nil
	}
	return insertMember(obj, members, name, encoded)
}

// EditArray applies edit to each element of the array held by the member
// name of the object obj (read by the Lenient rules), keeping all other
// bytes. It is an error if the member is missing or not an array.
func EditArray(obj []byte, name string, edit func(index int, elem []byte) ([]byte, error)) ([]byte, error) {
	members, err := Members(obj, Lenient)
	if err != nil {
		return nil, err
	}
	m, ok := last(members, name)
	if !ok {
		return nil, fmt.Errorf("no %q member", name)
	}
	arr := obj[m.Start:m.End]
	elems, err := Elements(arr, Lenient)
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

// AddMember returns obj with "name":value added as its last member,
// found from its closing brace without reading the members: obj must be
// one valid JSON object, and empty must say whether it has no member.
// value is JSON text. The rest of obj is kept byte for byte, as
// SetStringIfMissing keeps it.
func AddMember(obj []byte, empty bool, name string, value []byte) ([]byte, error) {
	key, err := json.Marshal(name)
	if err != nil {
		return nil, fmt.Errorf("encode member name: %w", err)
	}
	closing := bytes.LastIndexByte(obj, '}')
	if closing < 0 {
		return nil, fmt.Errorf("not a JSON object")
	}
	member := append(append(key, ':'), value...)
	if empty {
		return splice(obj, closing, closing, member), nil
	}
	at := closing
	for at > 0 && isSpace(obj[at-1]) {
		at--
	}
	return splice(obj, at, at, append([]byte{','}, member...)), nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
