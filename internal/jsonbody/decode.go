package jsonbody

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// DecodeValue reads src, checked against r, as one JSON value into the
// values encoding/json's Decoder gives with UseNumber: map[string]any (a
// repeated name keeps its last value), []any (never nil), string,
// json.Number, bool or nil. Numbers stay json.Number so that a validator
// can tell 1722749445 from 1722749445.5.
//
// Its errors read after "the body is": "not valid JSON: …".
func DecodeValue(src []byte, r Rules) (any, error) {
	v, err := decodeValue(src, r)
	if err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	return v, nil
}

func decodeValue(src []byte, r Rules) (any, error) {
	rd, err := newReader(src, r)
	if err != nil {
		return nil, err
	}
	defer rd.release()
	v, err := rd.value(string(src))
	if err != nil {
		return nil, err
	}
	if err := rd.end(); err != nil {
		return nil, err
	}
	if err := rd.checkDepth(); err != nil {
		return nil, err
	}
	return v, nil
}

// value reads and decodes one value. Strings without escapes share the
// memory of text, a copy of src made once.
func (rd *reader) value(text string) (any, error) {
	switch rd.dec.PeekKind() {
	case '{':
		if _, err := rd.dec.ReadToken(); err != nil {
			return nil, err
		}
		obj := map[string]any{}
		for rd.dec.PeekKind() != '}' {
			name, err := rd.str(text)
			if err != nil {
				return nil, err
			}
			v, err := rd.value(text)
			if err != nil {
				return nil, err
			}
			obj[name] = v
		}
		_, err := rd.dec.ReadToken()
		return obj, err
	case '[':
		if _, err := rd.dec.ReadToken(); err != nil {
			return nil, err
		}
		arr := []any{}
		for rd.dec.PeekKind() != ']' {
			v, err := rd.value(text)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err := rd.dec.ReadToken()
		return arr, err
	case '"':
		return rd.str(text)
	}
	v, err := rd.dec.ReadValue()
	if err != nil {
		return nil, err
	}
	switch v[0] {
	case 't':
		return true, nil
	case 'f':
		return false, nil
	case 'n':
		return nil, nil
	}
	end := int(rd.dec.InputOffset())
	return json.Number(text[end-len(v) : end]), nil
}

// str reads and decodes a string, a member name or a value.
func (rd *reader) str(text string) (string, error) {
	v, err := rd.dec.ReadValue()
	if err != nil {
		return "", err
	}
	if bytes.IndexByte(v, '\\') < 0 && utf8.Valid(v) {
		end := int(rd.dec.InputOffset())
		return text[end-len(v)+1 : end-1], nil
	}
	s, _ := Unquote(v)
	return s, nil
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
