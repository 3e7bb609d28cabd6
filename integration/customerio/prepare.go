package customerio

import (
	"crypto/sha256"
	"net/http"
	"strconv"

	"github.com/oklog/ulid/v2"

	"github.com/hookbridge/hookbridge"
)

// prepareTrack does what is Customer.io's own to a request on a Track API
// host, after the kit has moved it to the region's host and authenticated
// it:
//   - Content-Type is application/json on a request with a body, whatever
//     the handler set (the Track API takes nothing else);
//   - each event, page and screen operation gets the idempotency key as
//     its id unless the handler set one (Customer.io deduplicates on it,
//     so a retried delivery is not counted twice).
func prepareTrack(req *hookbridge.OutboundRequest, _ hookbridge.Credentials, sc hookbridge.SendContext) error {
	if len(req.Body) > 0 {
		req.SetHeader("Content-Type", "application/json")
	}
	if sc.IdempotencyKey != "" && req.Method == http.MethodPost {
		setEventIDs(req, matchRoute(req.URL), sc.IdempotencyKey)
	}
	return nil
}

// setEventIDs fills in event ids where the route r of the request takes
// them. A body that is not a JSON object is left as it is: Validate
// reports it.
func setEventIDs(req *hookbridge.OutboundRequest, r route, key string) {
	switch r.kind {
	case routeEntity:
		if body, err := req.Object(); err == nil && isEventOp(body) {
			_, _ = req.SetStringIfMissing("id", key)
		}
	case routeBatch:
		body, err := req.Object()
		if err != nil {
			return
		}
		ops, _ := body["batch"].([]any)
		_, _ = req.SetStringInItemsIfMissing("batch", "id", func(i int) string {
			if op, _ := ops[i].(map[string]any); !isEventOp(op) {
				return ""
			}
			return batchItemKey(key, i)
		})
	case routeCustomerEvents:
		_, _ = req.SetStringIfMissing("id", key)
	}
}

// isEventOp reports whether a v2 operation's action is an event, page or
// screen, the actions Customer.io deduplicates by id.
func isEventOp(op map[string]any) bool {
	action, _ := op["action"].(string)
	return eventActions[action]
}

// batchItemKey derives a distinct, stable ULID for item i of a batch from
// the delivery's key: same time part, entropy from a hash of key and index.
// Were key not a ULID, it falls back to key-i.
func batchItemKey(key string, i int) string {
	base, err := ulid.ParseStrict(key)
	if err != nil {
		return key + "-" + strconv.Itoa(i)
	}
	sum := sha256.Sum256([]byte(key + "/" + strconv.Itoa(i)))
	var id ulid.ULID
	_ = id.SetTime(base.Time()) // a parsed ULID's time always fits
	_ = id.SetEntropy(sum[:10]) // exactly 10 bytes
	return id.String()
}
