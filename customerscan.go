package hookbridge

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// Ingest reads the customer of every message (CustomerKeys), so
// customerScanner reads the envelope in one pass that only walks past what
// it does not need (why not a general decoder: docs/architecture.md,
// "Customer timeline"): it finds data.customer.customer_id,
// data.customer.email and data.customer_id, with keys matched exactly and
// the last of repeated keys winning. It checks the grammar only as far as
// it must to find them: a payload it cannot walk names no customer.

// customerFields are the fields of an envelope that name its customer.
type customerFields struct {
	id, email, dataID string
}

// scanCustomer reads the customer fields of payload, and reports whether
// it could walk the payload.
func scanCustomer(payload []byte) (customerFields, bool) {
	var f customerFields
	sc := customerScanner{data: payload}
	ok := sc.object(func(key []byte) bool {
		if string(key) != "data" {
			return sc.skipValue()
		}
		return sc.optionalObject(func(key []byte) bool {
			switch string(key) {
			case "customer_id":
				return sc.stringValue(&f.dataID)
			case "customer":
				return sc.optionalObject(func(key []byte) bool {
					switch string(key) {
					case "customer_id":
						return sc.stringValue(&f.id)
					case "email":
						return sc.stringValue(&f.email)
					}
					return sc.skipValue()
				})
			}
			return sc.skipValue()
		})
	})
	return f, ok
}

type customerScanner struct {
	data []byte
	pos  int
}

func (sc *customerScanner) skipSpace() {
	for sc.pos < len(sc.data) {
		switch sc.data[sc.pos] {
		case ' ', '\t', '\r', '\n':
			sc.pos++
		default:
			return
		}
	}
}

// peek returns the next byte after spaces, or 0 at the end.
func (sc *customerScanner) peek() byte {
	sc.skipSpace()
	if sc.pos >= len(sc.data) {
		return 0
	}
	return sc.data[sc.pos]
}

func (sc *customerScanner) consume(c byte) bool {
	if sc.peek() != c {
		return false
	}
	sc.pos++
	return true
}

// object reads an object, calling field with each key when the scanner
// stands before its value; field must read or skip the value.
func (sc *customerScanner) object(field func(key []byte) bool) bool {
	if !sc.consume('{') {
		return false
	}
	if sc.consume('}') {
		return true
	}
	for {
		key, ok := sc.key()
		if !ok || !sc.consume(':') || !field(key) {
			return false
		}
		if sc.consume('}') {
			return true
		}
		if !sc.consume(',') {
			return false
		}
	}
}

// optionalObject reads an object as object does, or skips a value of any
// other kind.
func (sc *customerScanner) optionalObject(field func(key []byte) bool) bool {
	if sc.peek() == '{' {
		return sc.object(field)
	}
	return sc.skipValue()
}

// key reads a key, decoding it if it holds an escape.
func (sc *customerScanner) key() ([]byte, bool) {
	raw, escaped, ok := sc.rawString()
	if !ok || !escaped && utf8.Valid(raw) {
		return raw[min(1, len(raw)):max(0, len(raw)-1)], ok
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return nil, false
	}
	return []byte(s), true
}

// rawString reads a string and returns it with its quotes.
func (sc *customerScanner) rawString() (raw []byte, escaped, ok bool) {
	if sc.peek() != '"' {
		return nil, false, false
	}
	start := sc.pos
	sc.pos++
	for sc.pos < len(sc.data) {
		i := bytes.IndexAny(sc.data[sc.pos:], `"\`)
		if i < 0 {
			break
		}
		sc.pos += i
		if sc.data[sc.pos] == '\\' {
			escaped = true
			sc.pos += 2
			continue
		}
		sc.pos++
		return sc.data[start:sc.pos], escaped, true
	}
	sc.pos = len(sc.data)
	return nil, false, false
}

// stringValue sets *s to a string value, or to "" for a value of another
// kind, which it skips.
func (sc *customerScanner) stringValue(s *string) bool {
	if sc.peek() != '"' {
		*s = ""
		return sc.skipValue()
	}
	raw, escaped, ok := sc.rawString()
	if !ok {
		return false
	}
	if !escaped && utf8.Valid(raw) {
		*s = string(raw[1 : len(raw)-1])
		return true
	}
	return json.Unmarshal(raw, s) == nil // invalid UTF-8 becomes U+FFFD
}

// skipValue walks past one value: a string, an object or array (by
// counting brackets outside strings), or a literal.
func (sc *customerScanner) skipValue() bool {
	switch sc.peek() {
	case 0:
		return false
	case '"':
		_, _, ok := sc.rawString()
		return ok
	case '{', '[':
		return sc.skipNested()
	}
	start := sc.pos
	for sc.pos < len(sc.data) {
		switch sc.data[sc.pos] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return sc.pos > start
		}
		sc.pos++
	}
	return sc.pos > start
}

// skipNested walks past an object or array, byte by byte: its strings
// are short, so a plain loop beats searching for the next bracket.
func (sc *customerScanner) skipNested() bool {
	depth, inString := 0, false
	for data := sc.data; sc.pos < len(data); sc.pos++ {
		c := data[sc.pos]
		if inString {
			switch c {
			case '\\':
				sc.pos++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				sc.pos++
				return true
			}
		}
	}
	return false
}
