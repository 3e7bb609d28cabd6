package customerio

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

// Limits of the Track API, in bytes unless said otherwise.
const (
	maxOpBytes         = 32 << 10  // one v2 operation, or one v2/entity body
	maxBatchBytes      = 500 << 10 // one v2/batch body
	maxIDBytes         = 150
	maxAttrNameBytes   = 150
	maxAttrValueBytes  = 1000
	maxAttributes      = 300 // per person
	maxEventNameBytes  = 100
	maxEventDataBytes  = 100_000
	millisecondsCutoff = 100_000_000_000 // a unix-seconds value this large is milliseconds
)

// Person actions of the v2 API. Nothing else is a valid action for a
// person.
var personActions = []string{
	"identify", "delete", "event", "screen", "page", "add_relationships",
	"delete_relationships", "add_device", "delete_device", "merge", "suppress", "unsuppress",
}

// eventActions are the actions that carry a name and an id.
var eventActions = map[string]bool{"event": true, "page": true, "screen": true}

var entityTypes = []string{"person", "object", "delivery"}

// personIdentifiers are the keys of a person's identifiers object.
var personIdentifiers = []string{"id", "email", "phone", "cio_id"}

// validate lists what Customer.io would reject in a prepared request on a
// Track API host (the kit warns of other hosts and of plain http).
//
// The checks follow Customer.io's documented rules: the v2 entity and batch
// bodies (type, exactly one identifier, a valid person action, a name for
// events, integer timestamps, attribute and size limits) and the v1
// customer and event routes. Objects and deliveries are checked for shape
// only: their actions and identifiers differ from a person's.
//
// Warnings (see filingrules.go) name what Customer.io accepts but acts on
// or files differently than meant: an event timestamped more than 72 hours
// before now, the send time, triggers no campaign; an identify without a
// timestamp is applied in arrival order; dates as ISO text and numbers as
// text in attributes do not match segment conditions.
func validate(req *hookbridge.OutboundRequest, now time.Time) []hookbridge.Problem {
	r := matchRoute(req.URL)
	if r.kind == routeUnknown {
		return []hookbridge.Problem{kit.Problem("url",
			fmt.Sprintf("%s is not a Track API route: Customer.io answers 404", outbound.Path(req)),
			"send one operation to https://track.customer.io/api/v2/entity, or several to /api/v2/batch")}
	}
	if !slices.Contains(r.methods, req.Method) {
		return []hookbridge.Problem{kit.Problem("method",
			fmt.Sprintf("Customer.io's %s takes %s, not %s", outbound.Path(req), strings.Join(r.methods, " or "), req.Method),
			"set webhook.method = \""+r.methods[0]+"\"")}
	}
	return checkRoute(r, req, now)
}

func checkRoute(r route, req *hookbridge.OutboundRequest, now time.Time) []hookbridge.Problem {
	switch r.kind {
	case routeEntity:
		return checkEntityBody(req, now)
	case routeBatch:
		return checkBatchBody(req, now)
	case routeCustomer:
		ps := checkCustomerID(r.customerID)
		if req.Method == "PUT" {
			ps = append(ps, checkCustomerBody(req)...)
		}
		return ps
	case routeCustomerEvents:
		return append(checkCustomerID(r.customerID), checkV1EventBody(req, false, now)...)
	case routeAnonymousEvent:
		return checkV1EventBody(req, true, now)
	}
	return nil
}

func checkEntityBody(req *hookbridge.OutboundRequest, now time.Time) []hookbridge.Problem {
	op, err := decodeBody(req)
	if err != nil {
		return []hookbridge.Problem{kit.Problem("body", err.Error(), "return a JSON object from the handler: webhook.payload = { type: \"person\", … }")}
	}
	return checkOp(op, len(req.Body), "", now)
}

func checkBatchBody(req *hookbridge.OutboundRequest, now time.Time) []hookbridge.Problem {
	top, err := decodeBody(req)
	if err != nil {
		return []hookbridge.Problem{kit.Problem("body", err.Error(), "return { batch: [ …operations… ] }")}
	}
	var ps []hookbridge.Problem
	if len(req.Body) > maxBatchBytes {
		ps = append(ps, kit.Problem("body", fmt.Sprintf("the batch is %d bytes; Customer.io accepts at most 500 KB", len(req.Body)), "split it into several batches"))
	}
	ops, ok := top["batch"].([]any)
	if !ok || len(ops) == 0 {
		return append(ps, kit.Problem("batch", "a v2 batch needs a non-empty batch array of operations", "return { batch: [ { type: \"person\", … } ] }"))
	}
	sizes := batchOpSizes(req.Body)
	for i, op := range ops {
		prefix := fmt.Sprintf("batch[%d].", i)
		obj, ok := op.(map[string]any)
		if !ok {
			ps = append(ps, kit.Problem(strings.TrimSuffix(prefix, "."), fmt.Sprintf("an operation must be an object, not %s", jsonbody.Kind(op)), ""))
			continue
		}
		size := len(req.Body) // unless measured
		if i < len(sizes) {
			size = sizes[i]
		}
		ps = append(ps, checkOp(obj, size, prefix, now)...)
	}
	return ps
}

// batchOpSizes returns the size in bytes of each operation of the batch
// array of body, a batch that reads as a JSON object, as sent. It is nil
// for a body no bigger than one operation may be: its operations are all
// within the limit.
func batchOpSizes(body []byte) []int {
	if len(body) <= maxOpBytes {
		return nil
	}
	return jsonbody.ElementSizes(body, "batch")
}

func checkCustomerID(id string) []hookbridge.Problem {
	if len(id) > maxIDBytes {
		return []hookbridge.Problem{kit.Problem("url", fmt.Sprintf("the customer id in the path is %d bytes; Customer.io accepts at most %d", len(id), maxIDBytes), "")}
	}
	return nil
}

// checkCustomerBody checks PUT /api/v1/customers/{id}: attributes at the
// top level.
func checkCustomerBody(req *hookbridge.OutboundRequest) []hookbridge.Problem {
	attrs, err := decodeBody(req)
	if err != nil {
		return []hookbridge.Problem{kit.Problem("body", err.Error(), "return the customer's attributes as an object")}
	}
	return checkAttributeMap(attrs, "body", []string{"cio_relationships"})
}

// checkV1EventBody checks POST /api/v1/customers/{id}/events and, when
// anonymous, POST /api/v1/events.
func checkV1EventBody(req *hookbridge.OutboundRequest, anonymous bool, now time.Time) []hookbridge.Problem {
	ev, err := decodeBody(req)
	if err != nil {
		return []hookbridge.Problem{kit.Problem("body", err.Error(), "return { name: \"payment_completed\", data: { … } }")}
	}
	action := "event"
	var ps []hookbridge.Problem
	if t, present := ev["type"]; present {
		s, _ := t.(string)
		if !eventActions[s] {
			ps = append(ps, kit.Problem("type", fmt.Sprintf("type must be event, page or screen, not %s", describe(t)), "leave type out for an event"))
		} else {
			action = s
		}
	}
	ps = append(ps, checkEventName(ev["name"], "name", action)...)
	ps = append(ps, checkEventID(ev["id"], "id")...)
	ps = append(ps, checkTimestamp(ev["timestamp"], "timestamp")...)
	ps = append(ps, checkEventAge(ev["timestamp"], "timestamp", now)...)
	ps = append(ps, checkEventData(ev["data"], "data", len(req.Body))...)
	if anonymous {
		if v, present := ev["anonymous_id"]; present {
			if s, ok := v.(string); !ok || s == "" {
				ps = append(ps, kit.Problem("anonymous_id", fmt.Sprintf("anonymous_id must be a non-empty string, not %s", describe(v)), ""))
			}
		}
	}
	return ps
}
