package jsonbody

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// MaxDepth is how deeply arrays and objects may nest in a body taken in,
// by the API or from a source. Events of the payments platform nest about
// six levels deep.
const MaxDepth = 64

// Rules say what a body must be, beyond being one JSON value.
type Rules struct {
	// MaxDepth bounds how deeply arrays and objects nest; 0 leaves only
	// jsontext's own bound (10000).
	MaxDepth int
	// AllowDuplicateNames accepts an object that names a member twice;
	// readers of such an object take the last one, as encoding/json does.
	AllowDuplicateNames bool
	// AllowInvalidUTF8 accepts bytes that are not UTF-8 and escaped lone
	// surrogates in strings; decoded strings hold U+FFFD in their place.
	AllowInvalidUTF8 bool
}

// Strict are the rules for the API's own input: UTF-8 text (RFC 8259),
// no member named twice (RFC 7493), nested at most MaxDepth deep.
var Strict = Rules{MaxDepth: MaxDepth}

// Lenient are the rules for JSON that encoding/json accepts: what the
// sandbox's handlers produce, which may repeat names and hold lone
// surrogates.
var Lenient = Rules{AllowDuplicateNames: true, AllowInvalidUTF8: true}

var (
	// ErrInvalidUTF8 is returned for a body with bytes that are not UTF-8
	// when the rules do not allow them.
	ErrInvalidUTF8 = errors.New("the text is not valid UTF-8")
	// ErrTrailingData is returned for a body with more than one value.
	ErrTrailingData = errors.New("data after the top-level value")
	// ErrDuplicateName is jsontext's error for a member named twice.
	ErrDuplicateName = jsontext.ErrDuplicateName
)

// DepthError is returned for a body nested deeper than its rules allow.
type DepthError struct {
	Limit  int
	Offset int64 // of the bracket that nests too deep
}

func (e *DepthError) Error() string {
	return fmt.Sprintf("nested deeper than %d levels of arrays and objects (at byte %d)", e.Limit, e.Offset)
}

// KindError is returned when a body is a value of another kind than the
// one wanted.
type KindError struct {
	Want, Got jsontext.Kind
}

func (e *KindError) Error() string {
	return fmt.Sprintf("a JSON %s is required, not %s", kindWord(e.Want), kindName(e.Got))
}

// Check reports whether src is one JSON value that follows r.
func Check(src []byte, r Rules) error {
	rd, err := newReader(src, r)
	if err != nil {
		return err
	}
	defer rd.release()
	if _, err := rd.dec.ReadValue(); err != nil {
		return err
	}
	if err := rd.end(); err != nil {
		return err
	}
	return rd.checkDepth()
}

// Member is one name/value pair of a JSON object, with the byte range of
// its value in the object's text.
type Member struct {
	Name       string
	Start, End int
}

// Members lists the members of the JSON object src in source order,
// checking src against r.
func Members(src []byte, r Rules) ([]Member, error) {
	rd, err := newReader(src, r)
	if err != nil {
		return nil, err
	}
	defer rd.release()
	if err := rd.open('{'); err != nil {
		return nil, err
	}
	var members []Member
	for rd.dec.PeekKind() != '}' {
		tok, err := rd.dec.ReadToken()
		if err != nil {
			return nil, err
		}
		name := tok.String()
		start, end, err := rd.span()
		if err != nil {
			return nil, err
		}
		members = append(members, Member{Name: name, Start: start, End: end})
	}
	if err := rd.close(); err != nil {
		return nil, err
	}
	return members, rd.checkDepth()
}

// Elements lists the byte ranges of the elements of the JSON array src,
// checking src against r.
func Elements(src []byte, r Rules) ([][2]int, error) {
	rd, err := newReader(src, r)
	if err != nil {
		return nil, err
	}
	defer rd.release()
	if err := rd.open('['); err != nil {
		return nil, err
	}
	var elems [][2]int
	for rd.dec.PeekKind() != ']' {
		start, end, err := rd.span()
		if err != nil {
			return nil, err
		}
		elems = append(elems, [2]int{start, end})
	}
	if err := rd.close(); err != nil {
		return nil, err
	}
	return elems, rd.checkDepth()
}

// reader reads one value from src with jsontext. Values are read whole
// by jsontext, which checks their grammar; the depth rule, which jsontext
// does not know, is checked on the text once it is known to be JSON.
type reader struct {
	src      []byte
	maxDepth int
	dec      *jsontext.Decoder
	pooled   *pooledDecoder
}

// pooledDecoder is a decoder with the buffer it reads, kept for reuse: a
// decoder's stacks grow to the shape of the text it reads.
type pooledDecoder struct {
	dec jsontext.Decoder
	buf bytes.Buffer
}

var decoders = sync.Pool{New: func() any { return new(pooledDecoder) }}

func newReader(src []byte, r Rules) (reader, error) {
	if !r.AllowInvalidUTF8 && !utf8.Valid(src) {
		return reader{}, ErrInvalidUTF8
	}
	p := decoders.Get().(*pooledDecoder)
	p.buf = *bytes.NewBuffer(src)
	p.dec.Reset(&p.buf, jsontext.AllowDuplicateNames(r.AllowDuplicateNames), jsontext.AllowInvalidUTF8(r.AllowInvalidUTF8))
	return reader{src: src, maxDepth: r.MaxDepth, dec: &p.dec, pooled: p}, nil
}

// release gives the decoder back for reuse; rd must not be used after.
func (rd *reader) release() {
	rd.pooled.buf = bytes.Buffer{}
	rd.pooled.dec.Reset(&rd.pooled.buf)
	decoders.Put(rd.pooled)
	rd.pooled, rd.dec = nil, nil
}

// skip reads one value.
func (rd *reader) skip() error {
	_, err := rd.dec.ReadValue()
	return err
}

// span reads one value and returns its byte range.
func (rd *reader) span() (start, end int, err error) {
	v, err := rd.dec.ReadValue()
	if err != nil {
		return 0, 0, err
	}
	end = int(rd.dec.InputOffset())
	return end - len(v), end, nil
}

// checkDepth refuses text nested deeper than the rules allow; text with
// no more opening brackets than the limit, anywhere, is within it.
func (rd *reader) checkDepth() error {
	if rd.maxDepth <= 0 || bytes.Count(rd.src, []byte{'{'})+bytes.Count(rd.src, []byte{'['}) <= rd.maxDepth {
		return nil
	}
	if at, deeper := DeeperThan(rd.src, rd.maxDepth); deeper {
		return &DepthError{Limit: rd.maxDepth, Offset: int64(at)}
	}
	return nil
}

// DeeperThan reports whether the brackets of text nest deeper than limit,
// and where the first bracket too deep is. It counts brackets outside
// strings, which is exact on JSON text; on other text it is a bound that
// a JSON parser can be given before it recurses.
func DeeperThan[Text ~string | ~[]byte](text Text, limit int) (offset int, deeper bool) {
	depth := 0
	inString, escaped := false, false
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			if depth++; depth > limit {
				return i, true
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return 0, false
}

// open reads the opening bracket of the top-level value, which must be
// want.
func (rd *reader) open(want jsontext.Kind) error {
	if k := rd.dec.PeekKind(); k != want && k != 0 {
		if err := rd.skip(); err != nil {
			return err
		}
		if err := rd.end(); err != nil {
			return err
		}
		return &KindError{Want: want, Got: k}
	}
	_, err := rd.dec.ReadToken()
	return err
}

// close reads the closing bracket of the top-level value and the end.
func (rd *reader) close() error {
	if _, err := rd.dec.ReadToken(); err != nil {
		return err
	}
	return rd.end()
}

// end checks that nothing but whitespace follows the value.
func (rd *reader) end() error {
	switch _, err := rd.dec.ReadToken(); {
	case errors.Is(err, io.EOF):
		return nil
	case err == nil:
		return ErrTrailingData
	default:
		var se *jsontext.SyntacticError
		if errors.As(err, &se) {
			return ErrTrailingData
		}
		return err
	}
}

// kindWord names the kind of a container for messages.
func kindWord(k jsontext.Kind) string {
	if k == '[' {
		return "array"
	}
	return "object"
}

// kindName names the kind of a value, with its article, for messages.
func kindName(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case 't', 'f':
		return "a boolean"
	case '[':
		return "an array"
	case '{':
		return "an object"
	}
	return "nothing"
}

// ElementSizes returns the size in bytes, as written in obj, of each
// element of the array that obj's member name holds (its last occurrence,
// the one a reading keeps). It is nil when obj, read by the Lenient rules,
// is not an object or the member is missing or not an array.
func ElementSizes(obj []byte, name string) []int {
	members, err := Members(obj, Lenient)
	if err != nil {
		return nil
	}
	m, ok := last(members, name)
	if !ok {
		return nil
	}
	elems, err := Elements(obj[m.Start:m.End], Lenient)
	if err != nil {
		return nil
	}
	sizes := make([]int, len(elems))
	for i, e := range elems {
		sizes[i] = e[1] - e[0]
	}
	return sizes
}
