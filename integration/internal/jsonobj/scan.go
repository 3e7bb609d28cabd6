package jsonobj

// The fast reader: one pass over the text that checks the JSON grammar as
// it finds members, elements and values. It gives up (bad) at the first
// thing it does not accept, and also on text nested deeper than maxDepth;
// the exported functions then read the text again with json.Decoder, which
// decides. So the reader may refuse valid text, never accept invalid text,
// and what it reads (strings, numbers, positions) is what json.Decoder
// reads.

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// maxDepth bounds the nesting the reader follows; deeper text is left to
// json.Decoder and its own limit.
const maxDepth = 1000

// reader reads JSON text from s at off. The text is a string so that the
// strings it decodes can share its memory instead of each being copied.
type reader struct {
	s     string
	off   int
	depth int
	bad   bool
}

// fail marks the text as not accepted and moves to its end, which ends
// every loop.
func (r *reader) fail() {
	r.bad = true
	r.off = len(r.s)
}

// peek returns the byte at off, 0 at the end (0 is never valid there).
func (r *reader) peek() byte {
	if r.off < len(r.s) {
		return r.s[r.off]
	}
	return 0
}

func (r *reader) space() {
	for r.off < len(r.s) {
		switch r.s[r.off] {
		case ' ', '\t', '\r', '\n':
			r.off++
		default:
			return
		}
	}
}

func (r *reader) expect(c byte) {
	if r.peek() != c {
		r.fail()
		return
	}
	r.off++
}

// atEnd reports whether only whitespace is left.
func (r *reader) atEnd() bool {
	r.space()
	return !r.bad && r.off == len(r.s)
}

// eachMember reads the object at off, calling member with the span of each
// name (quotes included) and off at the start of its value, which member
// must read.
func (r *reader) eachMember(member func(nameStart, nameEnd int)) {
	r.nest(func() {
		r.expect('{')
		r.space()
		if r.peek() == '}' {
			r.off++
			return
		}
		for !r.bad {
			nameStart := r.off
			r.skipString()
			nameEnd := r.off
			r.space()
			r.expect(':')
			r.space()
			if r.bad {
				return
			}
			member(nameStart, nameEnd)
			if !r.endOfItem('}') {
				return
			}
		}
	})
}

// eachElement reads the array at off, calling elem with off at the start
// of each element, which elem must read.
func (r *reader) eachElement(elem func()) {
	r.nest(func() {
		r.expect('[')
		r.space()
		if r.peek() == ']' {
			r.off++
			return
		}
		for !r.bad {
			elem()
			if !r.endOfItem(']') {
				return
			}
		}
	})
}

// endOfItem reads what follows a member or element: a comma, after which
// it reports true, or the closing delimiter.
func (r *reader) endOfItem(closing byte) bool {
	r.space()
	switch r.peek() {
	case ',':
		r.off++
		r.space()
		return true
	case closing:
		r.off++
	default:
		r.fail()
	}
	return false
}

func (r *reader) nest(read func()) {
	if r.depth++; r.depth > maxDepth {
		r.fail()
		return
	}
	read()
	r.depth--
}

// skip reads one value without decoding it.
func (r *reader) skip() {
	switch r.peek() {
	case '{':
		r.eachMember(func(int, int) { r.skip() })
	case '[':
		r.eachElement(r.skip)
	case '"':
		r.skipString()
	case 't':
		r.literal("true")
	case 'f':
		r.literal("false")
	case 'n':
		r.literal("null")
	default:
		r.skipNumber()
	}
}

func (r *reader) literal(lit string) {
	if !strings.HasPrefix(r.s[r.off:], lit) {
		r.fail()
		return
	}
	r.off += len(lit)
}

// skipString reads a string literal: no control characters, only JSON's
// escapes. Bytes that are not UTF-8 are accepted, as by encoding/json.
func (r *reader) skipString() {
	r.expect('"')
	for r.off < len(r.s) {
		switch c := r.s[r.off]; {
		case c == '"':
			r.off++
			return
		case c == '\\':
			r.skipEscape()
		case c < 0x20:
			r.fail()
		default:
			r.off++
		}
	}
	r.fail()
}

func (r *reader) skipEscape() {
	r.off++ // the backslash
	switch r.peek() {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		r.off++
	case 'u':
		if r.off+5 > len(r.s) {
			r.fail()
			return
		}
		for _, h := range []byte(r.s[r.off+1 : r.off+5]) {
			if !isHex(h) {
				r.fail()
				return
			}
		}
		r.off += 5
	default:
		r.fail()
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// skipNumber reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func (r *reader) skipNumber() {
	if r.peek() == '-' {
		r.off++
	}
	switch c := r.peek(); {
	case c == '0':
		r.off++
	case '1' <= c && c <= '9':
		r.digits()
	default:
		r.fail()
		return
	}
	if r.peek() == '.' {
		r.off++
		r.requireDigits()
	}
	if c := r.peek(); c == 'e' || c == 'E' {
		r.off++
		if c := r.peek(); c == '+' || c == '-' {
			r.off++
		}
		r.requireDigits()
	}
}

func (r *reader) requireDigits() {
	if c := r.peek(); c < '0' || c > '9' {
		r.fail()
		return
	}
	r.digits()
}

func (r *reader) digits() {
	for c := r.peek(); '0' <= c && c <= '9'; c = r.peek() {
		r.off++
	}
}

// unquote decodes the string literal s[start:end] as encoding/json does:
// escapes resolved, bytes that are not UTF-8 replaced by U+FFFD. A string
// without either is returned as part of s, without copying.
func (r *reader) unquote(start, end int) string {
	inner := r.s[start+1 : end-1]
	if strings.IndexByte(inner, '\\') < 0 && utf8.ValidString(inner) {
		return inner
	}
	var out string
	_ = json.Unmarshal([]byte(r.s[start:end]), &out) // a checked literal: no error
	return out
}

// value reads and decodes one value as json.Decoder does with UseNumber:
// map[string]any (a repeated name keeps its last value), []any (never
// nil), string, json.Number, bool or nil.
func (r *reader) value() any {
	switch r.peek() {
	case '{':
		obj := map[string]any{}
		r.eachMember(func(nameStart, nameEnd int) {
			obj[r.unquote(nameStart, nameEnd)] = r.value()
		})
		return obj
	case '[':
		arr := []any{}
		r.eachElement(func() { arr = append(arr, r.value()) })
		return arr
	case '"':
		start := r.off
		r.skipString()
		if r.bad {
			return nil
		}
		return r.unquote(start, r.off)
	case 't':
		r.literal("true")
		return true
	case 'f':
		r.literal("false")
		return false
	case 'n':
		r.literal("null")
		return nil
	}
	start := r.off
	r.skipNumber()
	return json.Number(r.s[start:r.off])
}

// readObject decodes text that is one JSON object; ok is false when the
// reader does not accept it.
func readObject(text []byte) (obj map[string]any, ok bool) {
	r := reader{s: string(text)}
	r.space()
	if r.peek() != '{' {
		return nil, false
	}
	obj, _ = r.value().(map[string]any)
	return obj, r.atEnd()
}

// scanMembers lists the members of text that is one JSON object; ok is
// false when the reader does not accept it.
func scanMembers(text []byte) (members []Member, ok bool) {
	r := reader{s: string(text)}
	r.space()
	if r.peek() != '{' {
		return nil, false
	}
	r.eachMember(func(nameStart, nameEnd int) {
		start := r.off
		r.skip()
		members = append(members, Member{Name: r.unquote(nameStart, nameEnd), Start: start, End: r.off})
	})
	return members, r.atEnd()
}

// scanElements lists the elements of text that is one JSON array; ok is
// false when the reader does not accept it.
func scanElements(text []byte) (elems [][2]int, ok bool) {
	r := reader{s: string(text)}
	r.space()
	if r.peek() != '[' {
		return nil, false
	}
	r.eachElement(func() {
		start := r.off
		r.skip()
		elems = append(elems, [2]int{start, r.off})
	})
	return elems, r.atEnd()
}
