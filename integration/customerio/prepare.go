package customerio

import (
	"crypto/sha256"
	"net/http"
	"strconv"

	"github.com/oklog/ulid/v2"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
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
	if sc.IdempotencyKey != "" {
		req.Body = withEventIDs(req, matchRoute(req.URL), sc.IdempotencyKey)
	}
	return nil
}

// withEventIDs returns the body with event ids filled in where the route
// r of the request takes them. A body that is not a JSON object is
// returned unchanged: Validate reports it.
func withEventIDs(req *hookbridge.OutboundRequest, r route, key string) []byte {
	if req.Method != http.MethodPost {
		return req.Body
	}
	var (
		body []byte
		err  error
	)
	switch r.kind {
	case routeEntity:
		body, err = setOpID(req.Body, key)
	case routeBatch:
		body, err = jsonbody.EditArray(req.Body, "batch", func(i int, op []byte) ([]byte, error) {
			return setOpID(op, batchItemKey(key, i))
		})
	case routeCustomerEvents:
		body, _, err = jsonbody.SetStringIfMissing(req.Body, "id", key)
	default:
		return req.Body
	}
	if err != nil {
		return req.Body
	}
	return body
}

// setOpID sets the id of one v2 operation if its action is an event, page
// or screen, the actions Customer.io deduplicates by id.
func setOpID(op []byte, id string) ([]byte, error) {
	obj, err := jsonbody.ReadObject(op)
	if err != nil {
		return nil, err
	}
	if action, _ := obj.String("action"); !eventActions[action] {
		return op, nil
	}
	out, _, err := obj.SetStringIfMissing("id", id)
	return out, err
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
