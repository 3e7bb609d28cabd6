package js

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/dop251/goja"
)

// maxJSONDepth bounds how deeply nested a value JSON.stringify and
// JSON.parse accept. Browsers have no such explicit limit, but their stack
// ends at a few thousand levels; goja's own stringify checks for cycles in
// time quadratic in the depth and cannot be interrupted, so a handler could
// otherwise stall its goroutine for minutes.
const maxJSONDepth = 1000

// stopCheckEvery is how many values the serializer writes between looks at
// whether the run has been interrupted.
const stopCheckEvery = 256

var (
	proxyType = reflect.TypeFor[goja.Proxy]()
	int64Type = reflect.TypeFor[int64]()
)

// jsonWriter serialises JavaScript values exactly as JSON.stringify does
// (ECMA-262, SerializeJSONProperty and friends): toJSON and replacer
// functions are honoured, boxed primitives unwrapped, undefined, functions
// and symbols dropped, NaN and ±Infinity written as null, keys in property
// order. Unlike goja's built-in it bounds nesting and output size and stops
// when the run is interrupted.
type jsonWriter struct {
	inst  *instance
	out   []byte
	limit int
	stack []*goja.Object

	replacer     goja.Callable
	propertyList []string // from an array replacer; nil means every own key
	gap, indent  string

	steps int
	// tooLarge is set when the output passed limit.
	tooLarge bool

	// objectProto is the runtime's Object.prototype if it has no toJSON,
	// looked up (protoLooked) when a lazy object is first met.
	objectProto *goja.Object
	protoLooked bool
}

// serialize writes value as a top-level JSON.stringify would and reports
// false where JSON.stringify returns undefined.
func (w *jsonWriter) serialize(value goja.Value) bool {
	var holder *goja.Object
	if w.replacer != nil {
		// Only a replacer function sees the holder.
		holder = w.inst.vm.NewObject()
		if err := holder.DefineDataProperty("", value, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			panic(err)
		}
	}
	return w.property(holder, "", value)
}

// setReplacer takes JSON.stringify's second argument: a function called
// for every value, or an array that lists the keys to write.
func (w *jsonWriter) setReplacer(v goja.Value) {
	obj, ok := v.(*goja.Object)
	if !ok {
		return
	}
	if fn, ok := goja.AssertFunction(obj); ok {
		w.replacer = fn
		return
	}
	if !isArray(obj) {
		return
	}
	length := lengthOf(obj)
	seen := map[string]bool{}
	list := []string{}
	for i := int64(0); i < length; i++ {
		w.tick()
		name, ok := replacerKey(obj.Get(strconv.FormatInt(i, 10)))
		if ok && !seen[name] {
			seen[name] = true
			list = append(list, name)
		}
	}
	w.propertyList = list
}

// replacerKey converts an item of a replacer array to a key: strings and
// numbers (boxed or not) count, anything else is skipped.
func replacerKey(item goja.Value) (string, bool) {
	if goja.IsString(item) || goja.IsNumber(item) {
		return item.String(), true
	}
	if obj, ok := item.(*goja.Object); ok {
		switch obj.ClassName() {
		case "String", "Number":
			return obj.ToString().String(), true
		}
	}
	return "", false
}

// setGap takes JSON.stringify's third argument: a number of spaces (at
// most 10) or a string (its first 10 code units) to indent with.
func (w *jsonWriter) setGap(space goja.Value) {
	if obj, ok := space.(*goja.Object); ok {
		switch obj.ClassName() {
		case "Number":
			space = obj.ToNumber()
		case "String":
			space = obj.ToString()
		}
	}
	switch {
	case goja.IsNumber(space):
		n := math.Min(10, math.Trunc(space.ToFloat()))
		if n >= 1 {
			w.gap = strings.Repeat(" ", int(n))
		}
	case goja.IsString(space):
		s := space.(goja.String)
		if s.Length() > 10 {
			s = s.Substring(0, 10)
		}
		w.gap = s.String()
	}
}

// property serialises the value found under key in holder.
func (w *jsonWriter) property(holder *goja.Object, key string, value goja.Value) bool {
	w.tick()
	if obj, ok := value.(*goja.Object); ok {
		if raw, ok := w.pristineJSON(obj); ok {
			w.write(raw)
			w.checkSize()
			return true
		}
	}
	value = w.transform(holder, key, value)
	switch {
	case value == nil || goja.IsUndefined(value):
		return false
	case goja.IsNull(value):
		w.write("null")
	case goja.IsString(value):
		w.quoteJS(value.(goja.String))
	case goja.IsNumber(value):
		w.number(value)
	case goja.IsBigInt(value):
		panic(w.inst.vm.NewTypeError("Do not know how to serialize a BigInt"))
	default:
		obj, isObject := value.(*goja.Object)
		if !isObject {
			b, isBool := value.Export().(bool)
			if !isBool {
				return false // a symbol
			}
			w.write(strconv.FormatBool(b))
			break
		}
		if _, callable := goja.AssertFunction(obj); callable {
			return false
		}
		w.object(obj)
	}
	w.checkSize()
	return true
}

// transform applies toJSON, the replacer function and the unboxing of
// Number, String, Boolean and BigInt objects, in the order the
// specification gives.
func (w *jsonWriter) transform(holder *goja.Object, key string, value goja.Value) goja.Value {
	vm := w.inst.vm
	var target *goja.Object
	if obj, ok := value.(*goja.Object); ok {
		target = obj
	} else if goja.IsBigInt(value) {
		target = value.ToObject(vm)
	}
	if target != nil {
		if toJSON, ok := goja.AssertFunction(target.Get("toJSON")); ok {
			value = mustCall(toJSON, value, vm.ToValue(key))
		}
	}
	if w.replacer != nil {
		value = mustCall(w.replacer, holder, vm.ToValue(key), value)
	}
	obj, ok := value.(*goja.Object)
	if !ok {
		return value
	}
	switch obj.ClassName() {
	case "Number":
		return obj.ToNumber()
	case "String":
		return obj.ToString()
	case "Boolean":
		return vm.ToValue(obj.Export())
	case "BigInt":
		panic(vm.NewTypeError("Do not know how to serialize a BigInt"))
	}
	return value
}

// object writes an object or array, guarding against cycles and depth.
func (w *jsonWriter) object(obj *goja.Object) {
	if obj.ClassName() == "RawJSON" {
		w.write(obj.Get("rawJSON").String())
		return
	}
	for _, open := range w.stack {
		if open.SameAs(obj) {
			panic(w.inst.vm.NewTypeError("Converting circular structure to JSON"))
		}
	}
	if len(w.stack) >= maxJSONDepth {
		panic(w.inst.rangeError("JSON.stringify: value is nested deeper than %d levels", maxJSONDepth))
	}
	w.stack = append(w.stack, obj)
	stepBack := w.indent
	w.indent += w.gap
	if isArray(obj) {
		w.array(obj)
	} else {
		w.members(obj)
	}
	w.indent = stepBack
	w.stack = w.stack[:len(w.stack)-1]
}

func (w *jsonWriter) array(arr *goja.Object) {
	length := lengthOf(arr)
	if length == 0 {
		w.write("[]")
		return
	}
	w.write("[")
	for i := int64(0); i < length; i++ {
		if i > 0 {
			w.write(",")
		}
		w.newline()
		name := strconv.FormatInt(i, 10)
		if !w.property(arr, name, arr.Get(name)) {
			w.write("null")
		}
		w.checkSize()
	}
	w.closeWith("]")
}

func (w *jsonWriter) members(obj *goja.Object) {
	keys := w.propertyList
	if keys == nil {
		keys = obj.Keys()
	}
	w.write("{")
	empty := true
	for _, key := range keys {
		mark := len(w.out)
		if !empty {
			w.write(",")
		}
		w.newline()
		w.quoteGo(key)
		w.write(":")
		if w.gap != "" {
			w.write(" ")
		}
		if w.property(obj, key, obj.Get(key)) {
			empty = false
		} else {
			w.out = w.out[:mark]
		}
	}
	if empty {
		w.write("}")
		return
	}
	w.closeWith("}")
}

// newline starts a member on its own line when a gap is in use.
func (w *jsonWriter) newline() {
	if w.gap != "" {
		w.write("\n")
		w.write(w.indent)
	}
}

// closeWith ends an object or array, on its own line when a gap is in use.
func (w *jsonWriter) closeWith(bracket string) {
	if w.gap != "" {
		w.write("\n")
		w.write(w.indent[:len(w.indent)-len(w.gap)])
	}
	w.write(bracket)
}

func (w *jsonWriter) number(v goja.Value) {
	if v.ExportType() == int64Type {
		// goja keeps integers apart; writing them needs no allocation.
		w.out = strconv.AppendInt(w.out, v.ToInteger(), 10)
		return
	}
	if goja.IsNaN(v) || goja.IsInfinity(v) {
		w.write("null")
		return
	}
	w.write(v.String())
}

func (w *jsonWriter) write(s string) {
	w.out = append(w.out, s...)
}

// quoteJS writes a JavaScript string as JSON. A lone surrogate cannot be
// held in a Go string (goja turns it into U+FFFD), so strings that show a
// U+FFFD are written from their UTF-16 code units, escaping lone
// surrogates as \udxxx the way JSON.stringify does.
func (w *jsonWriter) quoteJS(s goja.String) {
	str := s.String()
	if !strings.ContainsRune(str, utf8RuneError) {
		w.quoteGo(str)
		return
	}
	n := s.Length()
	w.out = append(w.out, '"')
	for i := 0; i < n; i++ {
		c := s.CharAt(i)
		switch {
		case utf16.IsSurrogate(rune(c)):
			if c < 0xdc00 && i+1 < n {
				if next := s.CharAt(i + 1); next >= 0xdc00 && next <= 0xdfff {
					w.out = appendRune(w.out, utf16.DecodeRune(rune(c), rune(next)))
					i++
					continue
				}
			}
			w.out = appendUnicodeEscape(w.out, c)
		case c < 0x80:
			w.out = appendEscapedASCII(w.out, byte(c))
		default:
			w.out = appendRune(w.out, rune(c))
		}
	}
	w.out = append(w.out, '"')
}

// quoteGo writes a valid UTF-8 string as JSON: only quotes, backslashes and
// control characters are escaped, everything else is copied.
func (w *jsonWriter) quoteGo(s string) {
	w.out = appendQuoted(w.out, s)
}

// tick counts a written value and stops the serialisation when the run has
// been interrupted, so that a huge value cannot outlive the time limit.
func (w *jsonWriter) tick() {
	w.steps++
	if w.steps%stopCheckEvery == 0 && w.inst.stopped() {
		panic(w.inst.rangeError("JSON.stringify: interrupted"))
	}
}

func (w *jsonWriter) checkSize() {
	if len(w.out) > w.limit {
		w.tooLarge = true
		panic(w.inst.rangeError("JSON.stringify: result is larger than %d bytes", w.limit))
	}
}

// mustCall calls fn and rethrows whatever it threw, so that exceptions
// (and interruptions) keep propagating through Go code run from goja.
func mustCall(fn goja.Callable, this goja.Value, args ...goja.Value) goja.Value {
	v, err := fn(this, args...)
	if err != nil {
		panic(err)
	}
	return v
}

// isArray is the specification's IsArray: true for arrays and for proxies
// whose target is an array.
func isArray(obj *goja.Object) bool {
	for {
		switch obj.ClassName() {
		case "Array":
			return true
		case "Object", "Function":
			if obj.ExportType() != proxyType {
				return false
			}
			target := obj.Export().(goja.Proxy).Target()
			if target == nil {
				return false
			}
			obj = target
		default:
			return false
		}
	}
}

// lengthOf is LengthOfArrayLike: ToLength(obj.length).
func lengthOf(obj *goja.Object) int64 {
	f := obj.Get("length").ToNumber().ToFloat()
	switch {
	case math.IsNaN(f) || f <= 0:
		return 0
	case f > 1<<53-1:
		return 1<<53 - 1
	}
	return int64(f)
}

const utf8RuneError = '\uFFFD'

const hexDigits = "0123456789abcdef"

func appendQuoted(out []byte, s string) []byte {
	out = append(out, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		out = append(out, s[start:i]...)
		out = appendEscapedASCII(out, c)
		start = i + 1
	}
	out = append(out, s[start:]...)
	return append(out, '"')
}

// appendEscapedASCII appends one ASCII character the way QuoteJSONString
// writes it.
func appendEscapedASCII(out []byte, c byte) []byte {
	switch c {
	case '"':
		return append(out, '\\', '"')
	case '\\':
		return append(out, '\\', '\\')
	case '\b':
		return append(out, '\\', 'b')
	case '\f':
		return append(out, '\\', 'f')
	case '\n':
		return append(out, '\\', 'n')
	case '\r':
		return append(out, '\\', 'r')
	case '\t':
		return append(out, '\\', 't')
	}
	if c < 0x20 {
		return appendUnicodeEscape(out, uint16(c))
	}
	return append(out, c)
}

func appendUnicodeEscape(out []byte, c uint16) []byte {
	return append(out, '\\', 'u',
		hexDigits[c>>12], hexDigits[(c>>8)&0xf], hexDigits[(c>>4)&0xf], hexDigits[c&0xf])
}

func appendRune(out []byte, r rune) []byte {
	return append(out, string(r)...)
}
