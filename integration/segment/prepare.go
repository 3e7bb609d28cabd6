package segment

import (
	"net/http"
	"strconv"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
)

// prepareTracking does what is Segment's own to a request on a Tracking
// API host, after the kit has moved it to the region's host and
// authenticated it:
//   - Content-Type is application/json, whatever the handler set (the
//     Tracking API takes nothing else);
//   - messageId is the idempotency key unless the handler set one, and in
//     a batch each item's is key-index, so that Segment counts a retried
//     delivery once.
//
// A body that is not a JSON object is left as it is: Validate reports it.
func prepareTracking(req *hookbridge.OutboundRequest, _ hookbridge.Credentials, sc hookbridge.SendContext) error {
	req.SetHeader("Content-Type", "application/json")
	call, ok := callOfPath(outbound.Path(req))
	if sc.IdempotencyKey == "" || req.Method != http.MethodPost || !ok {
		return nil
	}
	if call == "batch" {
		_, _ = req.SetStringInItemsIfMissing("batch", "messageId", func(i int) string {
			return sc.IdempotencyKey + "-" + strconv.Itoa(i)
		})
		return nil
	}
	_, _ = req.SetStringIfMissing("messageId", sc.IdempotencyKey)
	return nil
}
