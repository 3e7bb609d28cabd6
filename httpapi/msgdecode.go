package httpapi

import (
	"unicode/utf8"
)

// Posting a message is the API's hot path, and decoding its body with
// encoding/json costs two full scans of the payload (finding the value, then
// decoding it) plus copies. The usual body is simple: an object of
// "event_type" and "event_id" strings and a "payload" object. scanMessage
// reads such a body in one pass that checks the JSON grammar exactly as
// encoding/json does; any other body (an unknown, duplicated or escaped key,
// a value of another kind, an escape or non-UTF-8 text in a string, a body
// nested too deep, anything invalid) goes through decodeJSONBody, which
// decodes the usual body to the same value and says what is wrong with any
// other. FuzzScanMessage holds the two paths to that.

// decodeMessageInput decodes the body of POST /api/v1/apps/{app}/messages
// into in, as decodeJSONBody does. in.Payload may share body's memory.
func decodeMessageInput(body []byte, limit int64, in *messageInput) error {
	if utf8.Valid(body) && scanMessage(body, in) {
		return nil
	}
	*in = messageInput{}
	return decodeJSONBody(body, limit, in)
}

// scanMessage decodes the usual message body into in and reports whether
// it could; when it could not, in holds partial results.
func scanMessage(body []byte, in *messageInput) bool {
	sc := jsonScanner{data: body}
	sc.skipSpace()
	if !sc.consume('{') {
		return false
	}
	sc.depth = 1
	sc.skipSpace()
	if !sc.consume('}') && !sc.messageFields(in) {
		return false
	}
	sc.skipSpace()
	return sc.pos == len(sc.data)
}

// messageFields reads the fields of a message body and its closing brace.
func (sc *jsonScanner) messageFields(in *messageInput) bool {
	var seenType, seenID, seenPayload bool
	for {
		key, escaped, ok := sc.str()
		sc.skipSpace()
		if !ok || escaped || !sc.consume(':') {
			return false
		}
		sc.skipSpace()
		switch string(key) {
		case "event_type":
			in.EventType, ok = sc.plainString(&seenType)
		case "event_id":
			in.EventID, ok = sc.plainString(&seenID)
		case "payload":
			in.Payload, ok = sc.objectText(&seenPayload)
		default:
			ok = false
		}
		if !ok {
			return false
		}
		sc.skipSpace()
		if sc.consume('}') {
			return true
		}
		if !sc.consume(',') {
			return false
		}
		sc.skipSpace()
	}
}

// plainString reads a string without escapes that is valid UTF-8 (which
// encoding/json decodes to its bytes as they are), if seen is not yet set.
func (sc *jsonScanner) plainString(seen *bool) (string, bool) {
	if *seen {
		return "", false
	}
	*seen = true
	text, escaped, ok := sc.str()
	if !ok || escaped || !utf8.Valid(text) {
		return "", false
	}
	return string(text), true
}

// objectText reads an object and returns its text, if seen is not yet set.
func (sc *jsonScanner) objectText(seen *bool) ([]byte, bool) {
	if *seen || sc.peek() != '{' {
		return nil, false
	}
	*seen = true
	start := sc.pos
	if !sc.object() {
		return nil, false
	}
	return sc.data[start:sc.pos], true
}

// jsonScanner checks JSON text by the grammar encoding/json follows
// (RFC 8259, with any bytes but control characters allowed in strings),
// refusing text nested deeper than MaxJSONDepth.
type jsonScanner struct {
	data  []byte
	pos   int
	depth int
}

// peek returns the next byte, or 0 at the end.
func (sc *jsonScanner) peek() byte {
	if sc.pos < len(sc.data) {
		return sc.data[sc.pos]
	}
	return 0
}

// consume skips the next byte if it is c.
func (sc *jsonScanner) consume(c byte) bool {
	if sc.pos < len(sc.data) && sc.data[sc.pos] == c {
		sc.pos++
		return true
	}
	return false
}

func (sc *jsonScanner) skipSpace() {
	for sc.pos < len(sc.data) {
		switch sc.data[sc.pos] {
		case ' ', '\t', '\r', '\n':
			sc.pos++
		default:
			return
		}
	}
}

// value reads one value of any kind.
func (sc *jsonScanner) value() bool {
	switch c := sc.peek(); {
	case c == '{':
		return sc.object()
	case c == '[':
		return sc.array()
	case c == '"':
		_, _, ok := sc.str()
		return ok
	case c == '-' || isDigit(c):
		return sc.number()
	case c == 't':
		return sc.literal("true")
	case c == 'f':
		return sc.literal("false")
	case c == 'n':
		return sc.literal("null")
	default:
		return false
	}
}

// object reads an object: {"key": value, …}.
func (sc *jsonScanner) object() bool {
	if !sc.open() {
		return false
	}
	if sc.consume('}') {
		return sc.close()
	}
	for {
		if _, _, ok := sc.str(); !ok {
			return false
		}
		sc.skipSpace()
		if !sc.consume(':') {
			return false
		}
		sc.skipSpace()
		if !sc.value() {
			return false
		}
		sc.skipSpace()
		if sc.consume('}') {
			return sc.close()
		}
		if !sc.consume(',') {
			return false
		}
		sc.skipSpace()
	}
}

// array reads an array: [value, …].
func (sc *jsonScanner) array() bool {
	if !sc.open() {
		return false
	}
	if sc.consume(']') {
		return sc.close()
	}
	for {
		if !sc.value() {
			return false
		}
		sc.skipSpace()
		if sc.consume(']') {
			return sc.close()
		}
		if !sc.consume(',') {
			return false
		}
		sc.skipSpace()
	}
}

// open skips an opening bracket and the space after it; false if that
// nests too deep.
func (sc *jsonScanner) open() bool {
	sc.pos++
	sc.depth++
	sc.skipSpace()
	return sc.depth <= MaxJSONDepth
}

// close ends an object or array whose closing bracket was read.
func (sc *jsonScanner) close() bool {
	sc.depth--
	return true
}

// str reads a string. text is what lies between the quotes, escaped
// whether it holds escapes; ok is false if there is no valid string.
func (sc *jsonScanner) str() (text []byte, escaped, ok bool) {
	if !sc.consume('"') {
		return nil, false, false
	}
	start := sc.pos
	for {
		sc.skipPlain()
		switch c := sc.peek(); {
		case sc.pos == len(sc.data) || c < 0x20:
			return nil, escaped, false
		case c == '"':
			text = sc.data[start:sc.pos]
			sc.pos++
			return text, escaped, true
		default: // a backslash
			escaped = true
			if !sc.escape() {
				return nil, true, false
			}
		}
	}
}

// skipPlain skips the bytes of a string that stand for themselves: all but
// the quote, the backslash and control characters.
func (sc *jsonScanner) skipPlain() {
	data, i := sc.data, sc.pos
	for i < len(data) && data[i] >= 0x20 && data[i] != '"' && data[i] != '\\' {
		i++
	}
	sc.pos = i
}

// escape skips a backslash escape: \" \\ \/ \b \f \n \r \t or \u and four
// hexadecimal digits.
func (sc *jsonScanner) escape() bool {
	sc.pos++
	switch sc.peek() {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		sc.pos++
		return true
	case 'u':
		if len(sc.data)-sc.pos < 5 {
			return false
		}
		for _, h := range sc.data[sc.pos+1 : sc.pos+5] {
			if !isDigit(h) && !('a' <= h && h <= 'f') && !('A' <= h && h <= 'F') {
				return false
			}
		}
		sc.pos += 5
		return true
	}
	return false
}

// number reads a number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (sc *jsonScanner) number() bool {
	sc.consume('-')
	switch c := sc.peek(); {
	case c == '0':
		sc.pos++
	case '1' <= c && c <= '9':
		sc.digits()
	default:
		return false
	}
	if sc.consume('.') && !sc.digits() {
		return false
	}
	if sc.consume('e') || sc.consume('E') {
		if !sc.consume('+') {
			sc.consume('-')
		}
		return sc.digits()
	}
	return true
}

// digits skips one or more digits; false if there is none.
func (sc *jsonScanner) digits() bool {
	start := sc.pos
	for sc.pos < len(sc.data) && isDigit(sc.data[sc.pos]) {
		sc.pos++
	}
	return sc.pos > start
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// literal reads the word true, false or null.
func (sc *jsonScanner) literal(word string) bool {
	if len(sc.data)-sc.pos < len(word) || string(sc.data[sc.pos:sc.pos+len(word)]) != word {
		return false
	}
	sc.pos += len(word)
	return true
}
