package segment

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

// batcher packs Tracking API calls into /v1/batch requests.
type batcher struct{}

var _ hookbridge.Batcher = batcher{}

// BatchLimits are the Tracking API's: at most 2500 events and 500 KB per
// batch, 32 KB per event.
func (batcher) BatchLimits() hookbridge.BatchLimits {
	return hookbridge.BatchLimits{MaxItems: maxBatchEvents, MaxBytes: maxBatchBytes, MaxItemBytes: maxCallBytes}
}

// BatchItem turns a prepared call (POST /v1/track, identify, page, screen,
// group or alias) into its batch event: the same body with "type" set to
// the call. A request that is a batch already, goes elsewhere, or whose
// body names another type cannot go in a batch.
func (batcher) BatchItem(req *hookbridge.OutboundRequest) ([]byte, bool) {
	if req.Method != http.MethodPost || !outbound.OnHost(req, []string{HostUS, HostEU}) {
		return nil, false
	}
	call, ok := callOf(req.URL)
	if !ok || call == "batch" {
		return nil, false
	}
	body, err := req.Object()
	if err != nil {
		return nil, false
	}
	switch typ, found := body["type"]; {
	case typ == call:
		return req.Body, true
	case !found:
		item, err := jsonbody.AddMember(req.Body, len(body) == 0, "type", []byte(strconv.Quote(call)))
		return item, err == nil
	case typ == nil || typ == "":
		item, _, err := jsonbody.SetStringIfMissing(req.Body, "type", call)
		return item, err == nil
	}
	return nil, false
}

// BatchRequest builds POST /v1/batch on like's host, with like's headers
// (the write key), carrying the events.
func (batcher) BatchRequest(like *hookbridge.OutboundRequest, items [][]byte) (*hookbridge.OutboundRequest, error) {
	if len(items) == 0 {
		return nil, errors.New("segment batch: no events")
	}
	u, err := url.Parse(like.URL)
	if err != nil {
		return nil, fmt.Errorf("segment batch: %w", err)
	}
	u.Path, u.RawQuery = "/v1/batch", ""
	var body bytes.Buffer
	body.WriteString(`{"batch":[`)
	body.Write(bytes.Join(items, []byte(",")))
	body.WriteString(`]}`)
	return &hookbridge.OutboundRequest{
		Method: http.MethodPost, URL: u.String(), Headers: maps.Clone(like.Headers), Body: body.Bytes(),
	}, nil
}

// SplitBatchResponse returns nil: Segment answers for the whole batch.
func (batcher) SplitBatchResponse(int, []byte, int) []string { return nil }
