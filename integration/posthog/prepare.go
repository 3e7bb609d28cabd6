package posthog

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// endpoint is what a capture path does.
type endpoint int

const (
	endpointUnknown endpoint = iota
	// endpointEvent takes one event: /i/v0/e/, /capture/ or /e/.
	endpointEvent
	// endpointBatch takes {"api_key", "batch": [events]}: /batch/.
	endpointBatch
)

// endpointOf tells the capture endpoint of a URL path, with or without
// its trailing slash.
func endpointOf(path string) endpoint {
	switch strings.TrimSuffix(path, "/") {
	case "/i/v0/e", "/capture", "/e":
		return endpointEvent
	case "/batch":
		return endpointBatch
	}
	return endpointUnknown
}

// prepare puts the project API key into the body as api_key and gives
// every event without a uuid one derived from the idempotency key, so
// that PostHog counts a retried delivery once. A body that is not a JSON
// object, or a path that is not a capture endpoint, is left for Validate
// to report.
func prepare(req *hookbridge.OutboundRequest, creds hookbridge.Credentials, sc hookbridge.SendContext) error {
	ep := endpointOf(outbound.Path(req))
	if ep == endpointUnknown {
		return nil
	}
	var body map[string]json.RawMessage
	if json.Unmarshal(req.Body, &body) != nil || body == nil {
		return nil
	}
	if key := creds[FieldAPIKey]; key != "" {
		body["api_key"] = quote(key)
	}
	switch ep {
	case endpointEvent:
		setUUID(body, sc.IdempotencyKey)
	case endpointBatch:
		if err := setBatchUUIDs(body, sc.IdempotencyKey); err != nil {
			return err
		}
	}
	out, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("posthog: encode the event: %w", err)
	}
	req.Body = out
	return nil
}

// setUUID gives an event the UUID of key unless it has a uuid already.
func setUUID(event map[string]json.RawMessage, key string) {
	if _, ok := event["uuid"]; ok || key == "" {
		return
	}
	event["uuid"] = quote(kit.UUIDFromKey(key))
}

// setBatchUUIDs gives each event of a batch the handler built without a
// uuid the UUID of key and its place in the batch.
func setBatchUUIDs(body map[string]json.RawMessage, key string) error {
	var events []json.RawMessage
	if json.Unmarshal(body["batch"], &events) != nil {
		return nil
	}
	for i, raw := range events {
		var event map[string]json.RawMessage
		if json.Unmarshal(raw, &event) != nil || event == nil {
			continue
		}
		setUUID(event, key+"#"+strconv.Itoa(i))
		b, err := json.Marshal(event)
		if err != nil {
			return fmt.Errorf("posthog: encode batch event %d: %w", i, err)
		}
		events[i] = b
	}
	b, err := json.Marshal(events)
	if err != nil {
		return fmt.Errorf("posthog: encode the batch: %w", err)
	}
	body["batch"] = b
	return nil
}

func quote(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}
