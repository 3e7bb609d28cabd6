package posthog

import (
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

// prepare puts the project API key into the body as api_key, replacing
// any the handler set, and gives every event whose uuid is missing, null
// or "" one derived from the idempotency key, so that PostHog counts a
// retried delivery once. A body that is not a JSON object, or a path that
// is not a capture endpoint, is left for Validate to report.
func prepare(req *hookbridge.OutboundRequest, creds hookbridge.Credentials, sc hookbridge.SendContext) error {
	ep := endpointOf(outbound.Path(req))
	if ep == endpointUnknown {
		return nil
	}
	if _, err := req.Object(); err != nil {
		return nil
	}
	if key := creds[FieldAPIKey]; key != "" {
		if err := req.SetString("api_key", key); err != nil {
			return fmt.Errorf("posthog: set api_key: %w", err)
		}
	}
	if sc.IdempotencyKey == "" {
		return nil
	}
	var err error
	if ep == endpointEvent {
		_, err = req.SetStringIfMissing("uuid", kit.UUIDFromKey(sc.IdempotencyKey))
	} else {
		_, err = req.SetStringInItemsIfMissing("batch", "uuid", func(i int) string {
			return kit.UUIDFromKey(sc.IdempotencyKey + "#" + strconv.Itoa(i))
		})
	}
	if err != nil {
		return fmt.Errorf("posthog: add the events' uuids: %w", err)
	}
	return nil
}
