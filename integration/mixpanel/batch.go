package mixpanel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// batcher packs the events of several deliveries into one import.
type batcher struct{}

var _ hookbridge.Batcher = batcher{}

// BatchLimits are the Import API's: 2,000 events and 10 MB per request,
// under 1 MB per event.
func (batcher) BatchLimits() hookbridge.BatchLimits {
	return hookbridge.BatchLimits{MaxItems: maxEvents, MaxBytes: maxBatchBytes, MaxItemBytes: maxEventBytes}
}

// BatchItem turns a prepared import of exactly one event into that event.
// An import of several events, another path, host or method cannot go in
// a batch: its index in the batch would not map back to one delivery.
func (batcher) BatchItem(req *hookbridge.OutboundRequest) ([]byte, bool) {
	u, ok := outbound.ParseOnHost(req, Hosts)
	if !ok || req.Method != http.MethodPost || u.Path != ImportPath {
		return nil, false
	}
	value, _ := req.Value()
	events, _ := value.([]any)
	if len(events) != 1 {
		return nil, false
	}
	if _, isObject := events[0].(map[string]any); !isObject {
		return nil, false
	}
	// The body is an array of one event: the event is what its brackets hold.
	array := bytes.TrimSpace(req.Body)
	return bytes.TrimSpace(array[1 : len(array)-1]), true
}

// BatchRequest builds the import of items to like's URL (its host,
// strict mode and project id) with like's headers (the service account).
func (batcher) BatchRequest(like *hookbridge.OutboundRequest, items [][]byte) (*hookbridge.OutboundRequest, error) {
	if len(items) == 0 {
		return nil, errors.New("mixpanel batch: no events")
	}
	if _, err := url.Parse(like.URL); err != nil {
		return nil, fmt.Errorf("mixpanel batch: %w", err)
	}
	return &hookbridge.OutboundRequest{Method: http.MethodPost, URL: like.URL, Headers: maps.Clone(like.Headers), Body: kit.JSONArray(items)}, nil
}

// SplitBatchResponse maps strict mode's 400, whose failed_records name
// the refused events by index, to each event's error; the events it does
// not name were imported. Other answers concern the whole batch: nil.
func (batcher) SplitBatchResponse(status int, body []byte, n int) []string {
	if status != http.StatusBadRequest {
		return nil
	}
	var ans importAnswer
	if json.Unmarshal(body, &ans) != nil || len(ans.FailedRecords) == 0 {
		return nil
	}
	out := make([]string, n)
	for _, r := range ans.FailedRecords {
		if r.Index == nil || *r.Index < 0 || *r.Index >= n {
			continue
		}
		i := *r.Index
		if out[i] != "" {
			out[i] += "; "
		}
		out[i] += r.describe()
	}
	return out
}
