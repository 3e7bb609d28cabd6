package inngest

import (
	"bytes"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// batcher packs events into one Event API request: a JSON array of events.
type batcher struct{}

// Batch bounds. Inngest documents the size of an event (256 KiB on the
// free plan) but not how many events one request may carry: 100 events and
// 3 MiB are our bounds.
const (
	maxBatchEvents = 100
	maxBatchBytes  = 3 << 20
)

// BatchLimits bounds a batch: 100 events, 3 MiB, 256 KiB per event.
func (batcher) BatchLimits() hookbridge.BatchLimits {
	return hookbridge.BatchLimits{MaxItems: maxBatchEvents, MaxBytes: maxBatchBytes, MaxItemBytes: FreePlanEventBytes}
}

// BatchItem takes a prepared POST of one event (a JSON object) to an Event
// API path, /e/<key>; an array, another path or method cannot go in a
// batch.
func (batcher) BatchItem(req *hookbridge.OutboundRequest) ([]byte, bool) {
	u, err := url.Parse(req.URL)
	if err != nil || req.Method != http.MethodPost || !strings.HasPrefix(u.Path, "/e/") || len(u.Path) <= len("/e/") {
		return nil, false
	}
	if _, err := req.Object(); err != nil {
		return nil, false
	}
	return bytes.TrimSpace(req.Body), true
}

// BatchRequest posts the events as one array to like's URL, with its
// headers.
func (batcher) BatchRequest(like *hookbridge.OutboundRequest, items [][]byte) (*hookbridge.OutboundRequest, error) {
	if len(items) == 0 {
		return nil, errors.New("inngest batch: no events")
	}
	return &hookbridge.OutboundRequest{Method: http.MethodPost, URL: like.URL, Headers: maps.Clone(like.Headers), Body: kit.JSONArray(items)}, nil
}

// SplitBatchResponse returns nil: the Event API answers for the whole
// request.
func (batcher) SplitBatchResponse(int, []byte, int) []string { return nil }
