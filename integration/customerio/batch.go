package customerio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
)

// batcher packs /api/v2/entity operations into /api/v2/batch requests.
type batcher struct{}

var _ hookbridge.Batcher = batcher{}

// maxBatchOps is the most operations this integration puts in one batch.
// Customer.io bounds a batch by size (500 KB); a count bound keeps one
// request's failure small.
const maxBatchOps = 1000

// BatchLimits are the Track API's: 500 KB per batch, 32 KB per operation.
func (batcher) BatchLimits() hookbridge.BatchLimits {
	return hookbridge.BatchLimits{MaxItems: maxBatchOps, MaxBytes: maxBatchBytes, MaxItemBytes: maxOpBytes}
}

// BatchItem turns a prepared POST /api/v2/entity into its batch operation,
// which is the same JSON object. Other routes cannot go in a batch.
func (batcher) BatchItem(req *hookbridge.OutboundRequest) ([]byte, bool) {
	if req.Method != http.MethodPost || !outbound.OnHost(req, []string{HostUS, HostEU}) || matchRoute(req.URL).kind != routeEntity {
		return nil, false
	}
	if _, err := req.Object(); err != nil {
		return nil, false
	}
	return req.Body, true
}

// BatchRequest builds POST /api/v2/batch on like's host, with like's
// headers (the credentials), carrying the operations.
func (batcher) BatchRequest(like *hookbridge.OutboundRequest, items [][]byte) (*hookbridge.OutboundRequest, error) {
	if len(items) == 0 {
		return nil, errors.New("customer.io batch: no operations")
	}
	u, err := url.Parse(like.URL)
	if err != nil {
		return nil, fmt.Errorf("customer.io batch: %w", err)
	}
	u.Path, u.RawPath, u.RawQuery = "/api/v2/batch", "", ""
	var body bytes.Buffer
	body.WriteString(`{"batch":[`)
	body.Write(bytes.Join(items, []byte(",")))
	body.WriteString(`]}`)
	return &hookbridge.OutboundRequest{
		Method: http.MethodPost, URL: u.String(), Headers: maps.Clone(like.Headers), Body: body.Bytes(),
	}, nil
}

// batchError is one entry of a 207 answer.
type batchError struct {
	BatchIndex *int   `json:"batch_index"`
	Reason     string `json:"reason"`
	Field      string `json:"field"`
	Message    string `json:"message"`
}

// SplitBatchResponse maps a 207 Multi-Status answer, {"errors":
// [{"batch_index", "reason", "field", "message"}]}, to each operation's
// error; the operations it does not name were accepted. A 207 that cannot
// be read fails every operation, saying so, rather than pass any off as
// accepted. Other answers concern the whole batch: nil.
func (batcher) SplitBatchResponse(status int, body []byte, n int) []string {
	if status != http.StatusMultiStatus {
		return nil
	}
	out := make([]string, n)
	var answer struct {
		Errors []batchError `json:"errors"`
	}
	if err := json.Unmarshal(body, &answer); err != nil || len(answer.Errors) == 0 {
		for i := range out {
			out[i] = "Customer.io answered 207 without saying which operations it refused"
		}
		return out
	}
	for _, e := range answer.Errors {
		if e.BatchIndex == nil || *e.BatchIndex < 0 || *e.BatchIndex >= n {
			continue
		}
		i := *e.BatchIndex
		out[i] = strings.TrimPrefix(out[i]+"; "+describeBatchError(e), "; ")
	}
	return out
}

func describeBatchError(e batchError) string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Reason != "" {
		msg += " (" + e.Reason + ")"
	}
	return msg
}
