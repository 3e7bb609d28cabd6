package httpapi

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// MaxEventIDBytes is the longest event id a message may have, whether it
// comes as the API's event_id or as a signed webhook's webhook-id. Both
// stores index event ids, so the bound holds well within their index row
// limits.
const MaxEventIDBytes = 255

// checkEventID applies the one rule for event ids, at ingest and in the
// messages API: at most MaxEventIDBytes bytes of valid UTF-8 without
// control characters. The error says which part of the rule id breaks,
// without repeating id.
func checkEventID(id string) error {
	if len(id) > MaxEventIDBytes {
		return fmt.Errorf("is %d bytes long, at most %d allowed", len(id), MaxEventIDBytes)
	}
	for i, r := range id {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(id[i:]); size == 1 {
				return fmt.Errorf("is not valid UTF-8 (byte %d)", i+1)
			}
		}
		if unicode.IsControl(r) {
			return fmt.Errorf("holds a control character (%U at byte %d)", r, i+1)
		}
	}
	return nil
}
