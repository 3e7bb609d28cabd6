package amplitude

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/hookbridge/hookbridge"
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
		if err := req.SetValue(map[string]any{"events": []any{body}}); err != nil {
			return fmt.Errorf("amplitude: wrap the event: %w", err)
		}
	}
	if key := creds[FieldAPIKey]; key != "" {
		if err := req.SetString("api_key", key); err != nil {
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
