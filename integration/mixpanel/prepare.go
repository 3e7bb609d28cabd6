package mixpanel

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"github.com/hookbridge/hookbridge"
)

// maxInsertID is the longest $insert_id Mixpanel takes.
const maxInsertID = 36

// prepare adds what the import needs besides authentication: strict=1
// unless the handler chose otherwise, the project id (service accounts
// need it), the body as an array of events (a handler may return one
// event), and a $insert_id on each event that has none, derived from the
// idempotency key so that a retried delivery is deduplicated.
func prepare(req *hookbridge.OutboundRequest, creds hookbridge.Credentials, sc hookbridge.SendContext) error {
	u, err := url.Parse(req.URL)
	if err != nil {
		return fmt.Errorf("mixpanel: parse URL: %w", err)
	}
	q := u.Query()
	if !q.Has("strict") {
		q.Set("strict", "1")
	}
	if id := creds[FieldProjectID]; id != "" {
		q.Set("project_id", id)
	}
	u.RawQuery = q.Encode()
	req.URL = u.String()
	if u.Path != ImportPath {
		return nil
	}
	events, err := eventsOf(req)
	if err != nil {
		return nil // Validate says what is wrong with the body
	}
	if sc.IdempotencyKey != "" {
		setInsertIDs(events, sc.IdempotencyKey)
	}
	if err := req.SetValue(events); err != nil {
		return fmt.Errorf("mixpanel: %w", err)
	}
	return nil
}

// setInsertIDs gives each event's properties a $insert_id from key unless
// they have one.
func setInsertIDs(events []any, key string) {
	for i, ev := range events {
		obj, _ := ev.(map[string]any)
		props, ok := obj["properties"].(map[string]any)
		if !ok {
			continue
		}
		if _, has := props["$insert_id"]; !has {
			props["$insert_id"] = InsertID(key, i, len(events))
		}
	}
}

// eventsOf reads the request's body as an array of events; an object is
// one event. Its error reads after "the body is".
func eventsOf(req *hookbridge.OutboundRequest) ([]any, error) {
	v, err := req.Value()
	if err != nil {
		return nil, err
	}
	switch v := v.(type) {
	case []any:
		return v, nil
	case map[string]any:
		return []any{v}, nil
	}
	return nil, errors.New("neither an array of events nor an event")
}

// InsertID is the $insert_id of event index of n in a delivery whose
// idempotency key is key: the key itself when it is a valid $insert_id (at
// most 36 letters, digits and dashes, with room for the index), else a
// digest of it; with "-index" when the delivery sends several events.
// The same key always gives the same id.
func InsertID(key string, index, n int) string {
	base := key
	if len(base) > 26 || !insertIDChars(base) {
		sum := sha256.Sum256([]byte(key))
		base = hex.EncodeToString(sum[:13])
	}
	if n > 1 {
		base += "-" + strconv.Itoa(index)
	}
	return base
}

// insertIDChars reports whether s holds only the characters Mixpanel
// allows in $insert_id: ASCII letters, digits and dashes.
func insertIDChars(s string) bool {
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return s != ""
}
