package amplitude

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

// prepare puts the API key in the body (replacing any the handler set:
// the key belongs to the credentials), makes a single event returned by
// the handler the body's one event, and gives each event whose insert_id
// is missing, null or "" one from the idempotency key, so that a retried
// delivery is deduplicated. A body that is not a JSON object is left for
// Validate to report.
func prepare(req *hookbridge.OutboundRequest, creds hookbridge.Credentials, sc hookbridge.SendContext) error {
	u, err := url.Parse(req.URL)
	if err != nil {
		return fmt.Errorf("amplitude: parse URL: %w", err)
	}
	if u.Path != UploadPath {
		return nil
	}
	body, err := req.Object()
	if err != nil {
		return nil
	}
	if _, isEvent := body["event_type"]; isEvent && body["events"] == nil {
		req.Body = slices.Concat([]byte(`{"events":[`), req.Body, []byte(`]}`))
	}
	if key := creds[FieldAPIKey]; key != "" {
		if err := setAPIKey(req, key); err != nil {
			return fmt.Errorf("amplitude: set api_key: %w", err)
		}
	}
	if sc.IdempotencyKey == "" {
		return nil
	}
	body, _ = req.Object()
	events, _ := body["events"].([]any)
	if _, err := req.SetStringInItemsIfMissing("events", "insert_id", func(i int) string {
		return InsertID(sc.IdempotencyKey, i, len(events))
	}); err != nil {
		return fmt.Errorf("amplitude: add insert_ids: %w", err)
	}
	return nil
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

// setAPIKey gives the body, a JSON object, the member api_key = key. Any
// other api_key the handler set gives way.
func setAPIKey(req *hookbridge.OutboundRequest, key string) error {
	body, _ := req.Object()
	if current, found := body["api_key"]; found && current != nil && current != "" && current != key {
		return replaceString(req, "api_key", key)
	}
	_, err := req.SetStringIfMissing("api_key", key)
	return err
}

// replaceString replaces the value of the body's member name (the last,
// if repeated) by the string value, keeping the rest byte for byte. The
// body is read again by the next Object.
func replaceString(req *hookbridge.OutboundRequest, name, value string) error {
	members, err := jsonbody.Members(req.Body, jsonbody.Lenient)
	if err != nil {
		return err
	}
	encoded, err := json.Marshal(value)
	if err != nil {
		return err
	}
	for i := len(members) - 1; i >= 0; i-- {
		if m := members[i]; m.Name == name {
			req.Body = slices.Concat(req.Body[:m.Start], encoded, req.Body[m.End:])
			return nil
		}
	}
	return fmt.Errorf("no %q member", name)
}
