// Package jsonbody reads the JSON bodies hookbridge takes in and edits the
// ones it sends, on the tokens of github.com/go-json-experiment/json's
// jsontext (the basis of encoding/json/v2).
//
// It holds the one nesting-depth limit for bodies taken in (MaxDepth) and
// the one bracket count (DeeperThan), one pass that checks a body against
// a set of Rules (Strict for the API's own input, Lenient for what
// encoding/json accepts) and finds the members of its top-level object or
// the elements of its top-level array with their byte ranges, a decoder to
// the values encoding/json gives with UseNumber, and edits that splice a
// value into a body without re-encoding the rest, so key order, spacing
// and number spelling stay as they were written.
//
// It must not grow its own JSON grammar: every byte is read by jsontext,
// and this package only decides what the rules are and where values lie.
// (The sandbox's payload parser in package js is the one exception, kept
// for its speed; see docs/benchmarks.md.)
package jsonbody
