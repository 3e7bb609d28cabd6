package posthog

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// PostHog's documented bounds: an event over 1 MB is discarded, a request
// over 20 MB refused. PostHog sets no count per batch; maxBatchEvents is
// ours, to keep one answer from standing for too many deliveries.
const (
	maxEventBytes   = 1 << 20
	maxRequestBytes = 20 << 20
	maxBatchEvents  = 1000
)

// batcher packs single events into POST /batch/.
type batcher struct{}

var _ hookbridge.Batcher = batcher{}

// BatchLimits are PostHog's sizes and our count.
func (batcher) BatchLimits() hookbridge.BatchLimits {
	return hookbridge.BatchLimits{MaxItems: maxBatchEvents, MaxBytes: maxRequestBytes, MaxItemBytes: maxEventBytes}
}

// BatchItem turns a prepared single event (POST /i/v0/e/, /capture/ or
// /e/) into its batch item: the same event without api_key, which the
// batch carries once. A batch, another path or a body that is not a JSON
// object cannot go in a batch.
func (batcher) BatchItem(req *hookbridge.OutboundRequest) ([]byte, bool) {
	if req.Method != http.MethodPost || endpointOf(outbound.Path(req)) != endpointEvent {
		return nil, false
	}
	body, err := req.Object()
	if err != nil {
		return nil, false
	}
	event := maps.Clone(body)
	delete(event, "api_key")
	item, err := json.Marshal(event)
	return item, err == nil
}

// BatchRequest builds POST /batch/ on like's host, carrying like's api_key
// and the events.
func (batcher) BatchRequest(like *hookbridge.OutboundRequest, items [][]byte) (*hookbridge.OutboundRequest, error) {
	if len(items) == 0 {
		return nil, errors.New("posthog batch: no events")
	}
	u, err := url.Parse(like.URL)
	if err != nil {
		return nil, fmt.Errorf("posthog batch: %w", err)
	}
	u.Path, u.RawQuery = "/batch/", ""
	first, err := like.Object()
	if err != nil {
		return nil, fmt.Errorf("posthog batch: read the api_key: the body is %w", err)
	}
	key, _ := json.Marshal(kit.Text(first, "api_key")) // a string always encodes
	body := slices.Concat([]byte(`{"api_key":`), key, []byte(`,"batch":`), kit.JSONArray(items), []byte(`}`))
	return &hookbridge.OutboundRequest{Method: http.MethodPost, URL: u.String(), Headers: maps.Clone(like.Headers), Body: body}, nil
}

// SplitBatchResponse returns nil: PostHog answers for the whole batch.
func (batcher) SplitBatchResponse(int, []byte, int) []string { return nil }
