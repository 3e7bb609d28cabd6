package customerio

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"strconv"

	"github.com/oklog/ulid/v2"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/jsonobj"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
)

// Prepare makes a transformed request ready for Customer.io. A request to
// any other host is left exactly as it is: the credentials are never sent
// anywhere but the Track API. On a Track API host it
//   - moves the request to the region's host (path kept),
//   - sets Authorization: Basic base64(site_id:api_key) when both are given,
//   - sets Content-Type: application/json on requests with a body,
//   - gives each event, page and screen operation the idempotency key as its
//     id unless the handler set one (Customer.io deduplicates on it, so a
//     retried delivery is not counted twice).
func (in *Integration) Prepare(req *hookbridge.OutboundRequest, creds hookbridge.Credentials, sc hookbridge.SendContext) error {
	u, ok := outbound.ParseOnHost(req, in.info.Hosts)
	if !ok {
		return nil
	}
	outbound.DefaultMethod(req)
	host, err := hostForRegion(creds[FieldRegion])
	if err != nil {
		return err
	}
	r := matchURLRoute(u)
	if outbound.Host(u) != host {
		if err := outbound.MoveHost(req, host); err != nil {
			return fmt.Errorf("move to customer.io region host: %w", err)
		}
		r = matchRoute(req.URL)
	}
	if site, key := creds[FieldSiteID], creds[FieldAPIKey]; site != "" && key != "" {
		req.SetHeader("Authorization", outbound.BasicAuth(site, key))
	}
	if len(req.Body) > 0 {
		req.SetHeader("Content-Type", "application/json")
	}
	if sc.IdempotencyKey != "" {
		req.Body = withEventIDs(req, r, sc.IdempotencyKey)
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
		body, err = jsonobj.EditArray(req.Body, "batch", func(i int, op []byte) ([]byte, error) {
			return setOpID(op, batchItemKey(key, i))
		})
	case routeCustomerEvents:
		body, _, err = jsonobj.SetStringIfMissing(req.Body, "id", key)
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
	obj, err := jsonobj.ReadObject(op)
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
