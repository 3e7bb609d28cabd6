package segment

import (
	"net/http"
	"strconv"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

// prepareTracking does what is Segment's own to a request on a Tracking
// API host, after the kit has moved it to the region's host and
// authenticated it:
//   - Content-Type is application/json, whatever the handler set (the
//     Tracking API takes nothing else);
//   - messageId is the idempotency key unless the handler set one, and in
//     a batch each item's is key-index, so that Segment counts a retried
//     delivery once.
func prepareTracking(req *hookbridge.OutboundRequest, _ hookbridge.Credentials, sc hookbridge.SendContext) error {
	req.SetHeader("Content-Type", "application/json")
	if sc.IdempotencyKey != "" && req.Method == http.MethodPost {
		req.Body = withMessageIDs(req.Body, outbound.Path(req), sc.IdempotencyKey)
	}
	return nil
}

// withMessageIDs returns original, the body of a request to path, with
// messageIds filled in. A body that is not a JSON object is returned
// unchanged: Validate reports it.
func withMessageIDs(original []byte, path, key string) []byte {
	call, ok := callOfPath(path)
	if !ok {
		return original
	}
	var (
		body []byte
		err  error
	)
	if call == "batch" {
		body, err = jsonbody.EditArray(original, "batch", func(i int, item []byte) ([]byte, error) {
			out, _, err := jsonbody.SetStringIfMissing(item, "messageId", key+"-"+strconv.Itoa(i))
			return out, err
		})
	} else {
		body, _, err = jsonbody.SetStringIfMissing(original, "messageId", key)
	}
	if err != nil {
		return original
	}
	return body
}
