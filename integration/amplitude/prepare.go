package amplitude

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"

	"github.com/hookbridge/hookbridge"
)

// prepare puts the API key in the body (replacing any the handler set:
// the key belongs to the credentials), makes a single event returned by
// the handler the body's one event, and gives each event without an
// insert_id one from the idempotency key, so that a retried delivery is
// deduplicated.
func prepare(req *hookbridge.OutboundRequest, creds hookbridge.Credentials, sc hookbridge.SendContext) error {
	u, err := url.Parse(req.URL)
	if err != nil {
		return fmt.Errorf("amplitude: parse URL: %w", err)
	}
	if u.Path != UploadPath || len(bytes.TrimSpace(req.Body)) == 0 {
		return nil
	}
	v, err := decode(req.Body)
	if err != nil {
		return nil // Validate says what is wrong with the body
	}
	body, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	if _, isEvent := body["event_type"]; isEvent && body["events"] == nil {
		body = map[string]any{"events": []any{body}}
	}
	if key := creds[FieldAPIKey]; key != "" {
		body["api_key"] = key
	}
	if events, ok := body["events"].([]any); ok && sc.IdempotencyKey != "" {
		setInsertIDs(events, sc.IdempotencyKey)
	}
	out, err := encode(body)
	if err != nil {
		return fmt.Errorf("amplitude: encode body: %w", err)
	}
	req.Body = out
	return nil
}

// setInsertIDs gives each event without an insert_id one from key.
func setInsertIDs(events []any, key string) {
	for i, ev := range events {
		obj, ok := ev.(map[string]any)
		if !ok {
			continue
		}
		if _, has := obj["insert_id"]; !has {
			obj["insert_id"] = InsertID(key, i, len(events))
		}
	}
}

// InsertID is the insert_id of event index of n in a delivery whose
// idempotency key is key: the key, with "-index" when the delivery sends
// several events. The same key always gives the same id.
func InsertID(key string, index, n int) string {
	if n > 1 {
		return key + "-" + strconv.Itoa(index)
	}
	return key
}

// decode reads JSON keeping numbers as they were written.
func decode(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("amplitude: text after the JSON value")
	}
	return v, nil
}

// encode writes v as compact JSON without HTML escapes.
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}
