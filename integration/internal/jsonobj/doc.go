// Package jsonobj reads JSON request bodies for the integrations' validators
// and edits them without re-encoding: a field that Prepare adds (an
// idempotency key) is spliced into the bytes the transformation produced,
// so everything else — key order, spacing, number spelling — stays exactly
// as the user's handler wrote it.
//
// Bodies are read on every delivery, so the package reads them with a small
// reader of its own that checks the grammar in the same pass. Whatever that
// reader does not accept (invalid JSON, very deep nesting) is read again by
// encoding/json's Decoder, which decides: results and error messages are
// those of json.Decoder, only faster for the well-formed bodies that make
// up nearly all traffic.
//
// It must not grow into a general JSON library: it knows objects, arrays of
// objects and string fields, which is all Prepare needs, and decodes whole
// objects to the values json.Decoder gives, which is all Validate needs.
package jsonobj
