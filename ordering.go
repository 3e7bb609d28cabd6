package hookbridge

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
)

// maxKeyLen bounds a stored ordering key; longer values are replaced by
// their SHA-256, which orders just as well.
const maxKeyLen = 128

// KeyAt returns the value at a dotted path ("data.customer.customer_id") of
// a JSON object as a string: a string as it is, a number or boolean as its
// JSON text. It returns "" when the path does not lead to such a value (a
// missing field, null, an object or an array) or the payload is not JSON.
func KeyAt(payload []byte, path string) string {
	if path == "" {
		return ""
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return ""
	}
	for _, field := range strings.Split(path, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = obj[field]
	}
	var key string
	switch x := v.(type) {
	case string:
		key = x
	case json.Number:
		key = x.String()
	case bool:
		if x {
			key = "true"
		} else {
			key = "false"
		}
	}
	if len(key) > maxKeyLen {
		sum := sha256.Sum256([]byte(key))
		key = "sha256:" + hex.EncodeToString(sum[:])
	}
	return key
}
