package jsonbody

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// Decode reads src, checked against r, as one JSON object into the values
// encoding/json's Decoder gives with UseNumber: map[string]any (a repeated
// name keeps its last value), []any (never nil), string, json.Number,
// bool or nil. Numbers stay json.Number so that a validator can tell
// 1722749445 from 1722749445.5.
func Decode(src []byte, r Rules) (map[string]any, error) {
	rd, err := newReader(src, r)
	if err != nil {
		return nil, err
	}
	if k := rd.dec.PeekKind(); k != '{' && k != 0 {
		return nil, rd.open('{')
	}
	v, err := rd.value()
	if err != nil {
		return nil, err
	}
	if err := rd.end(); err != nil {
		return nil, err
	}
	return v.(map[string]any), nil
}

// value reads and decodes one value.
func (rd *reader) value() (any, error) {
	tok, err := rd.read()
	if err != nil {
		return nil, err
	}
	switch tok.Kind() {
	case '{':
		obj := map[string]any{}
		for rd.dec.PeekKind() != '}' {
			tok, err := rd.dec.ReadToken()
			if err != nil {
				return nil, err
			}
			name := tok.String()
			v, err := rd.value()
			if err != nil {
				return nil, err
			}
			obj[name] = v
		}
		_, err := rd.dec.ReadToken()
		return obj, err
	case '[':
		arr := []any{}
		for rd.dec.PeekKind() != ']' {
			v, err := rd.value()
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err := rd.dec.ReadToken()
		return arr, err
	case '"':
		return tok.String(), nil
	case '0':
		return json.Number(tok.String()), nil
	case 't':
		return true, nil
	case 'f':
		return false, nil
	}
	return nil, nil
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

// Unquote decodes the JSON string literal lit, which a reader has
// checked, as Lenient reading does: escapes resolved, bytes that are not
// UTF-8 and lone surrogates replaced by U+FFFD. ok is false if lit is not
// a string literal.
func Unquote(lit []byte) (s string, ok bool) {
	if len(lit) < 2 || lit[0] != '"' {
		return "", false
	}
	if inner := lit[1 : len(lit)-1]; bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return string(inner), true
	}
	// The only error left for a checked literal is invalid UTF-8, which
	// AppendUnquote has replaced by U+FFFD.
	out, _ := jsontext.AppendUnquote(nil, lit)
	return string(out), true
}
