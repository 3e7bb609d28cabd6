package amplitude

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// batcher packs the events of several deliveries into one request.
type batcher struct{}

var _ hookbridge.Batcher = batcher{}

// BatchLimits are the HTTP V2 API's: 2,000 events and 1 MB per request.
func (batcher) BatchLimits() hookbridge.BatchLimits {
	return hookbridge.BatchLimits{MaxItems: maxEvents, MaxBytes: maxBytes, MaxItemBytes: maxBytes}
}

// BatchItem turns a prepared request of exactly one event into that
// event. A request of several events (its index in a batch would not map
// back to one delivery), with options of its own, or to another path,
// host or method cannot go in a batch.
func (batcher) BatchItem(req *hookbridge.OutboundRequest) ([]byte, bool) {
	u, ok := outbound.ParseOnHost(req, Hosts)
	if !ok || req.Method != http.MethodPost || u.Path != UploadPath {
		return nil, false
	}
	body, err := req.Object()
	events, _ := body["events"].([]any)
	if _, hasOptions := body["options"]; err != nil || len(events) != 1 || hasOptions {
		return nil, false
	}
	event, ok := events[0].(map[string]any)
	if !ok {
		return nil, false
	}
	item, err := json.Marshal(event)
	return item, err == nil
}

// BatchRequest builds the request carrying items to like's URL, with
// like's API key (in the body) and headers.
func (batcher) BatchRequest(like *hookbridge.OutboundRequest, items [][]byte) (*hookbridge.OutboundRequest, error) {
	if len(items) == 0 {
		return nil, errors.New("amplitude batch: no events")
	}
	first, err := like.Object()
	if err != nil {
		return nil, fmt.Errorf("amplitude batch: read the API key: the body is %w", err)
	}
	key, _ := json.Marshal(kit.Text(first, "api_key")) // a string always encodes
	body := slices.Concat([]byte(`{"api_key":`), key, []byte(`,"events":`), kit.JSONArray(items), []byte(`}`))
	return &hookbridge.OutboundRequest{Method: http.MethodPost, URL: like.URL, Headers: maps.Clone(like.Headers), Body: body}, nil
}

// SplitBatchResponse maps a 400 that names events by index
// (events_with_invalid_fields, events_with_missing_fields,
// silenced_events) to each event's error; the events it does not name
// have no error of their own (Amplitude refused the request for the named
// ones: they go again). Other answers concern the whole batch: nil.
func (batcher) SplitBatchResponse(status int, body []byte, n int) []string {
	if status != http.StatusBadRequest {
		return nil
	}
	var ans apiAnswer
	if json.Unmarshal(body, &ans) != nil {
		return nil
	}
	named := ans.eventErrors()
	if len(named) == 0 {
		return nil
	}
	out := make([]string, n)
	for i, errs := range named {
		if i >= 0 && i < n {
			out[i] = strings.Join(errs, ", ")
		}
	}
	return out
}
