package js

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// errBadJSON is wrapped by every payload decoding failure.
var errBadJSON = errors.New("invalid JSON")

// A payload is read once, in Go, into a jsonDoc: the text and a tape of its
// values in document order. Nothing is turned into JavaScript values yet;
// that happens when (and only if) the handler looks at a value (see
// json_lazy.go), or all at once for code that needs ordinary objects
// (decodeJSON).

// jsonKind is the type of a value on the tape.
type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonFalse
	jsonTrue
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

// Flags of a tape node.
const (
	// nodeEscaped marks a string with backslash escapes.
	nodeEscaped uint8 = 1 << iota
	// nodeNonASCII marks a string with bytes of 0x80 and above.
	nodeNonASCII
	// nodeInteger marks a number without fraction or exponent.
	nodeInteger
)

// jsonNode is one value on the tape. An object's members follow it as
// key, value, key, value …; an array's items follow it in order.
type jsonNode struct {
	// start and end delimit the value in the text; for a string, only
	// what lies between the quotes.
	start, end int32
	// next is the tape index just past this value and everything inside it.
	next  int32
	kind  jsonKind
	flags uint8
}

// jsonDoc is one parsed payload.
type jsonDoc struct {
	text string
	tape []jsonNode
	// canonical is true when every value is written exactly as
	// JSON.stringify would write it again: no white space, integers in
	// their shortest form, strings with only the escapes it makes, and no
	// integer-like keys (which JavaScript moves to the front), and no key
	// twice in one object.
	canonical bool
	// depth is how deeply the deepest value nests.
	depth int
	// mayRepeatKeys is set when some object has a key twice, or may have
	// (a key with escapes can spell an earlier key differently); lazy
	// objects then compare names as they list their members.
	mayRepeatKeys bool
}

// maxPayloadSize is the largest payload the tape can address.
const maxPayloadSize = math.MaxInt32

// parseJSON reads data into a jsonDoc, checking that it is one JSON value.
func parseJSON(data []byte) (*jsonDoc, error) {
	if len(data) > maxPayloadSize {
		return nil, fmt.Errorf("%w: %d bytes is too large", errBadJSON, len(data))
	}
	p := tapeParser{
		text:      string(data),
		canonical: true,
		// A compact payment event needs about one node per 12 bytes.
		tape: make([]jsonNode, 0, len(data)/12+4),
	}
	p.skipSpace()
	if err := p.value(); err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.text) {
		return nil, p.fail("unexpected data after the value")
	}
	return &jsonDoc{text: p.text, tape: p.tape, canonical: p.canonical, depth: p.maxDepth, mayRepeatKeys: p.mayRepeatKeys}, nil
}

// tapeParser builds a jsonDoc's tape; it accepts exactly RFC 8259 JSON.
type tapeParser struct {
	text  string
	tape  []jsonNode
	pos   int
	depth int

	// What the jsonDoc will say about the text.
	canonical     bool
	mayRepeatKeys bool
	maxDepth      int
}

func (p *tapeParser) fail(format string, args ...any) error {
	return fmt.Errorf("%w at byte %d: %s", errBadJSON, p.pos, fmt.Sprintf(format, args...))
}

// skipSpace skips white space; inside a container, white space makes the
// document non-canonical.
func (p *tapeParser) skipSpace() {
	if p.pos >= len(p.text) || p.text[p.pos] > ' ' {
		return // the usual case: nothing to skip
	}
	start := p.pos
	for p.pos < len(p.text) {
		switch p.text[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
			continue
		}
		break
	}
	if p.pos != start && p.depth > 0 {
		p.canonical = false
	}
}

// push appends a node and returns its index.
func (p *tapeParser) push(kind jsonKind, start, end int, flags uint8) int {
	i := len(p.tape)
	p.tape = append(p.tape, jsonNode{start: int32(start), end: int32(end), next: int32(i + 1), kind: kind, flags: flags})
	return i
}

func (p *tapeParser) value() error {
	text := p.text
	if p.pos >= len(text) {
		return p.fail("unexpected end of input")
	}
	switch c := text[p.pos]; {
	case c == '"':
		_, err := p.string()
		return err
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case p.literal("true"):
		p.push(jsonTrue, p.pos-4, p.pos, 0)
		return nil
	case p.literal("false"):
		p.push(jsonFalse, p.pos-5, p.pos, 0)
		return nil
	case p.literal("null"):
		p.push(jsonNull, p.pos-4, p.pos, 0)
		return nil
	}
	return p.fail("unexpected character %q", text[p.pos])
}

func (p *tapeParser) literal(word string) bool {
	if len(p.text)-p.pos >= len(word) && p.text[p.pos:p.pos+len(word)] == word {
		p.pos += len(word)
		return true
	}
	return false
}

func (p *tapeParser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return p.fail("nested deeper than %d levels", maxJSONDepth)
	}
	p.maxDepth = max(p.maxDepth, p.depth)
	return nil
}

// leave closes the container at tape index i, whose closing bracket is at
// p.pos.
func (p *tapeParser) leave(i int) {
	p.pos++
	p.depth--
	p.tape[i].end = int32(p.pos)
	p.tape[i].next = int32(len(p.tape))
}

func (p *tapeParser) object() error {
	if err := p.enter(); err != nil {
		return err
	}
	i := p.push(jsonObject, p.pos, 0, 0)
	p.pos++ // {
	p.skipSpace()
	text := p.text
	if p.pos < len(text) && text[p.pos] == '}' {
		p.leave(i)
		return nil
	}
	var keys keySet
	for {
		p.skipSpace()
		if p.pos >= len(text) || text[p.pos] != '"' {
			return p.fail("expected a string key")
		}
		key, err := p.string()
		if err != nil {
			return err
		}
		p.checkKey(&keys, i, key)
		p.skipSpace()
		if p.pos >= len(text) || text[p.pos] != ':' {
			return p.fail("expected ':' after a key")
		}
		p.pos++
		p.skipSpace()
		if err := p.value(); err != nil {
			return err
		}
		p.skipSpace()
		if p.pos >= len(text) {
			return p.fail("unexpected end of input in an object")
		}
		switch text[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.leave(i)
			return nil
		default:
			return p.fail("expected ',' or '}' in an object")
		}
	}
}

// checkKey notes what a key of the object at tape index obj means for the
// document: an integer-like key (which JavaScript lists first) or a
// repeated one makes it non-canonical, and a key with escapes might repeat
// another one in a different spelling.
func (p *tapeParser) checkKey(keys *keySet, obj, key int) {
	n := &p.tape[key]
	name := p.text[n.start:n.end]
	if name != "" && name[0] >= '0' && name[0] <= '9' {
		p.canonical = false
	}
	if n.flags&nodeEscaped != 0 || keys.repeats(p.text, p.tape, int32(obj), name) {
		p.mayRepeatKeys = true
		p.canonical = false
	}
}

func (p *tapeParser) array() error {
	if err := p.enter(); err != nil {
		return err
	}
	i := p.push(jsonArray, p.pos, 0, 0)
	p.pos++ // [
	p.skipSpace()
	text := p.text
	if p.pos < len(text) && text[p.pos] == ']' {
		p.leave(i)
		return nil
	}
	for {
		p.skipSpace()
		if err := p.value(); err != nil {
			return err
		}
		p.skipSpace()
		if p.pos >= len(text) {
			return p.fail("unexpected end of input in an array")
		}
		switch text[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.leave(i)
			return nil
		default:
			return p.fail("expected ',' or ']' in an array")
		}
	}
}

// plainStringByte marks the bytes a string can hold as they are: not a
// quote, backslash, control character or the start of a multi-byte
// character.
var plainStringByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// string reads a string starting at its opening quote and returns its
// tape index.
func (p *tapeParser) string() (int, error) {
	text := p.text
	p.pos++ // opening quote
	start := p.pos
	var flags uint8
	for {
		for p.pos < len(text) && plainStringByte[text[p.pos]] {
			p.pos++
		}
		if p.pos >= len(text) {
			return 0, p.fail("unterminated string")
		}
		switch c := text[p.pos]; {
		case c == '"':
			if flags&nodeNonASCII != 0 && !utf8.ValidString(text[start:p.pos]) {
				// Replaced by U+FFFD when read, so not written back as is.
				p.canonical = false
			}
			i := p.push(jsonString, start, p.pos, flags)
			p.pos++
			return i, nil
		case c == '\\':
			flags |= nodeEscaped
			if err := p.escape(); err != nil {
				return 0, err
			}
		case c < 0x20:
			return 0, p.fail("control character in a string")
		default:
			flags |= nodeNonASCII
			p.pos++
		}
	}
}

// escape checks one backslash escape at p.pos and steps over it.
func (p *tapeParser) escape() error {
	text := p.text
	if p.pos+1 >= len(text) {
		return p.fail("unterminated escape")
	}
	switch text[p.pos+1] {
	case '"', '\\', 'b', 'f', 'n', 'r', 't':
		// JSON.stringify writes these characters with the same escape.
		p.pos += 2
		return nil
	case '/':
		p.canonical = false
		p.pos += 2
		return nil
	case 'u':
		if p.pos+6 > len(text) || !isHex4(text[p.pos+2:p.pos+6]) {
			return p.fail("bad \\u escape")
		}
		p.canonical = false
		p.pos += 6
		return nil
	}
	return p.fail("bad escape \\%c", text[p.pos+1])
}

func isHex4(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// number checks a number's syntax and records it.
func (p *tapeParser) number() error {
	text := p.text
	start := p.pos
	if text[p.pos] == '-' {
		p.pos++
	}
	switch {
	case p.pos < len(text) && text[p.pos] == '0':
		p.pos++
	case p.pos < len(text) && text[p.pos] >= '1' && text[p.pos] <= '9':
		p.digits()
	default:
		return p.fail("bad number")
	}
	flags := nodeInteger
	if p.pos < len(text) && text[p.pos] == '.' {
		flags = 0
		p.pos++
		if p.digits() == 0 {
			return p.fail("bad number: no digits after '.'")
		}
	}
	if p.pos < len(text) && (text[p.pos] == 'e' || text[p.pos] == 'E') {
		flags = 0
		p.pos++
		if p.pos < len(text) && (text[p.pos] == '+' || text[p.pos] == '-') {
			p.pos++
		}
		if p.digits() == 0 {
			return p.fail("bad number: no digits in the exponent")
		}
	}
	if !isSafeInteger(text[start:p.pos], flags) {
		// Fractions, exponents, -0 and long integers may be written
		// differently by JSON.stringify; they are read with ParseFloat.
		p.canonical = false
	}
	p.push(jsonNumber, start, p.pos, flags)
	return nil
}

func (p *tapeParser) digits() int {
	text := p.text
	start := p.pos
	for p.pos < len(text) && text[p.pos] >= '0' && text[p.pos] <= '9' {
		p.pos++
	}
	return p.pos - start
}

// isSafeInteger reports whether a number's text is an integer that reads
// exactly as an int64 and that JavaScript writes back the same way.
func isSafeInteger(text string, flags uint8) bool {
	return flags&nodeInteger != 0 && len(text) <= 15 && text != "-0"
}

// keySet notices a key that an object repeats. For the first keys it
// keeps a 256-bit fingerprint (by length and end bytes) and compares a key
// with the earlier ones only when its fingerprint bit is already set, so
// small objects with distinct keys, the usual case, cost a few
// instructions per key. Past fingerprintKeys keys the fingerprint fills
// up, and a map takes over.
type keySet struct {
	seen  [4]uint64
	count int
	names map[string]struct{}
}

const fingerprintKeys = 128

// repeats reports whether name, the latest key of the object at tape
// index obj, repeats an earlier key of it, comparing keys as written (the
// caller deals with escapes).
func (ks *keySet) repeats(text string, tape []jsonNode, obj int32, name string) bool {
	ks.count++
	if ks.count > fingerprintKeys {
		return ks.inMap(text, tape, obj, name)
	}
	bit := len(name) * 31
	if name != "" {
		bit += int(name[0])*7 + int(name[len(name)-1])
	}
	bit &= 255
	if ks.seen[bit/64]&(1<<(bit%64)) == 0 {
		ks.seen[bit/64] |= 1 << (bit % 64)
		return false
	}
	last := int32(len(tape) - 1) // the key itself
	for k := obj + 1; k < last; k = tape[k+1].next {
		if text[tape[k].start:tape[k].end] == name {
			return true
		}
	}
	return false
}

// inMap checks name against a map of the object's keys, made from the
// earlier keys the first time.
func (ks *keySet) inMap(text string, tape []jsonNode, obj int32, name string) bool {
	if ks.names == nil {
		ks.names = make(map[string]struct{}, 2*fingerprintKeys)
		last := int32(len(tape) - 1)
		for k := obj + 1; k < last; k = tape[k+1].next {
			ks.names[text[tape[k].start:tape[k].end]] = struct{}{}
		}
	}
	if _, ok := ks.names[name]; ok {
		return true
	}
	ks.names[name] = struct{}{}
	return false
}

// skip returns the tape index after the value at i.
func (d *jsonDoc) skip(i int32) int32 { return d.tape[i].next }

// keyName is the property name of the key node i.
func (d *jsonDoc) keyName(i int32) string {
	n := &d.tape[i]
	s := d.text[n.start:n.end]
	switch {
	case n.flags&nodeEscaped != 0:
		return string(utf16.Decode(decodeEscapes(s)))
	case n.flags&nodeNonASCII != 0 && !utf8.ValidString(s):
		return toValidUTF8(s)
	}
	return s
}

// stringValue is the string node i as a JavaScript string. A string with
// escapes is built from UTF-16 code units, so that an escaped lone
// surrogate survives as it would in JSON.parse.
func (d *jsonDoc) stringValue(vm *goja.Runtime, i int32) goja.Value {
	n := &d.tape[i]
	s := d.text[n.start:n.end]
	switch {
	case n.flags&nodeEscaped != 0:
		return goja.StringFromUTF16(decodeEscapes(s))
	case n.flags&nodeNonASCII != 0 && !utf8.ValidString(s):
		s = toValidUTF8(s)
	}
	return vm.ToValue(s)
}

// numberValue is the number node i as JavaScript reads it: the nearest
// double (an int64 when that is exact, which goja handles faster).
func (d *jsonDoc) numberValue(vm *goja.Runtime, i int32) goja.Value {
	n := &d.tape[i]
	text := d.text[n.start:n.end]
	if isSafeInteger(text, n.flags) {
		if v, err := strconv.ParseInt(text, 10, 64); err == nil {
			return vm.ToValue(v)
		}
	}
	// The syntax was checked; only a range error is possible, and then
	// ParseFloat returns ±Inf, as JavaScript does.
	f, _ := strconv.ParseFloat(text, 64)
	return vm.ToValue(f)
}

// decodeEscapes turns the inside of a JSON string with escapes into UTF-16
// code units. The escapes were checked when the string was read.
func decodeEscapes(s string) []uint16 {
	units := make([]uint16, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			start := i
			for i < len(s) && s[i] != '\\' {
				i++
			}
			units = appendUTF16(units, s[start:i])
			continue
		}
		switch e := s[i+1]; e {
		case 'b':
			units = append(units, '\b')
		case 'f':
			units = append(units, '\f')
		case 'n':
			units = append(units, '\n')
		case 'r':
			units = append(units, '\r')
		case 't':
			units = append(units, '\t')
		case 'u':
			n, _ := strconv.ParseUint(s[i+2:i+6], 16, 16)
			units = append(units, uint16(n))
			i += 6
			continue
		default: // " \ /
			units = append(units, uint16(e))
		}
		i += 2
	}
	return units
}

// appendUTF16 appends UTF-8 text as UTF-16 code units, each invalid byte
// becoming U+FFFD as a browser's decoder would make it.
func appendUTF16(units []uint16, text string) []uint16 {
	for _, r := range text {
		if r >= 0x10000 {
			hi, lo := utf16.EncodeRune(r)
			units = append(units, uint16(hi), uint16(lo))
			continue
		}
		units = append(units, uint16(r))
	}
	return units
}

func toValidUTF8(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		out = append(out, r)
	}
	return string(out)
}

// decodeJSON parses data into ordinary goja values of vm, as JSON.parse
// would: objects keep their keys in document order (integer-like keys
// first, as every JavaScript object orders them), a repeated key keeps its
// first position and its last value, "__proto__" is an ordinary own key,
// and strings keep lone surrogates written as \u escapes. It is used for
// code that needs ordinary objects (see lazyPayloadSafe); other code reads
// the payload lazily.
func decodeJSON(vm *goja.Runtime, data []byte) (goja.Value, error) {
	doc, err := parseJSON(data)
	if err != nil {
		return nil, err
	}
	return doc.materialize(vm, 0)
}

// materialize turns the value at tape index i, and everything in it, into
// ordinary goja values.
func (d *jsonDoc) materialize(vm *goja.Runtime, i int32) (goja.Value, error) {
	switch n := &d.tape[i]; n.kind {
	case jsonObject:
		obj := vm.NewObject()
		for k := i + 1; k < n.next; {
			v := k + 1
			val, err := d.materialize(vm, v)
			if err != nil {
				return nil, err
			}
			key := d.keyName(k)
			// CreateDataProperty, not Set: a key such as "__proto__" or
			// "toString" must become an own property, as in JSON.parse.
			if err := obj.DefineDataProperty(key, val, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
				return nil, fmt.Errorf("decode key %q: %w", key, err)
			}
			k = d.skip(v)
		}
		return obj, nil
	case jsonArray:
		var items []any
		for k := i + 1; k < n.next; k = d.skip(k) {
			val, err := d.materialize(vm, k)
			if err != nil {
				return nil, err
			}
			items = append(items, val)
		}
		return vm.NewArray(items...), nil
	default:
		return d.scalar(vm, i), nil
	}
}

// scalar converts a string, number, boolean or null node.
func (d *jsonDoc) scalar(vm *goja.Runtime, i int32) goja.Value {
	switch d.tape[i].kind {
	case jsonString:
		return d.stringValue(vm, i)
	case jsonNumber:
		return d.numberValue(vm, i)
	case jsonTrue:
		return vm.ToValue(true)
	case jsonFalse:
		return vm.ToValue(false)
	}
	return goja.Null()
}
