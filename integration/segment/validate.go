package segment

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

// Limits of the Tracking API.
const (
	maxCallBytes     = 32 << 10  // one call, or one event of a batch
	maxBatchBytes    = 500 << 10 // one batch request
	maxBatchEvents   = 2500
	maxMessageIDSize = 100 // characters, exclusive
)

// callTypes are the Tracking API's calls, each at /v1/<type>; batch items
// carry one of them as their type.
var callTypes = []string{"identify", "track", "page", "screen", "group", "alias"}

// droppedSilently ends the message of every problem Segment does not
// report: it answers 200 and the call disappears.
const droppedSilently = "Segment answers 200 and then drops the call silently"

// callOf returns the call a Tracking API URL names ("track", "batch", …).
func callOf(rawURL string) (string, bool) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", false
	}
	return callOfPath(u.Path)
}

// callOfPath returns the call a Tracking API URL path names.
func callOfPath(path string) (string, bool) {
	call, ok := strings.CutPrefix(strings.TrimSuffix(path, "/"), "/v1/")
	if !ok || (call != "batch" && !slices.Contains(callTypes, call)) {
		return "", false
	}
	return call, true
}

// validate lists what Segment would reject in a prepared request on a
// Tracking API host (the kit warns of other hosts and of plain http):
// invalid JSON and oversize bodies (400), or, worse, what it accepts with
// 200 and drops: calls without userId or anonymousId, track calls without
// an event, group calls without a groupId, alias calls without previousId.
// Warnings (see filingrules.go) name traits and properties that
// destinations would file as the wrong kind: numbers sent as text, dates
// sent as numbers.
func validate(req *hookbridge.OutboundRequest, _ time.Time) []hookbridge.Problem {
	path := outbound.Path(req)
	call, ok := callOfPath(path)
	if !ok {
		return []hookbridge.Problem{kit.Problem("url",
			fmt.Sprintf("%s is not a Tracking API call: use /v1/identify, /v1/track, /v1/page, /v1/screen, /v1/group, /v1/alias or /v1/batch", path),
			"set webhook.url = \""+DefaultURL+"\"")}
	}
	if req.Method != http.MethodPost {
		return []hookbridge.Problem{kit.Problem("method", fmt.Sprintf("Segment's Tracking API takes POST, not %s", req.Method), "set webhook.method = \"POST\"")}
	}
	body, err := req.Object()
	if err != nil {
		return []hookbridge.Problem{kit.Problem("body", fmt.Sprintf("the body is %v: Segment answers 400", err), "return a JSON object from the handler")}
	}
	if call == "batch" {
		return checkBatch(body, req.Body)
	}
	var ps []hookbridge.Problem
	if len(req.Body) > maxCallBytes {
		ps = append(ps, kit.Problem("body", fmt.Sprintf("the call is %d bytes; Segment answers 400 above 32 KB", len(req.Body)), "send fewer or smaller properties"))
	}
	return append(ps, checkCall(call, body, "")...)
}

func checkBatch(body map[string]any, raw []byte) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if len(raw) > maxBatchBytes {
		ps = append(ps, kit.Problem("body", fmt.Sprintf("the batch is %d bytes; Segment answers 400 above 500 KB", len(raw)), "split it into several batches"))
	}
	items, ok := body["batch"].([]any)
	if !ok || len(items) == 0 {
		return append(ps, kit.Problem("batch", "a batch needs a non-empty batch array of calls", "return { batch: [ { type: \"track\", … } ] }"))
	}
	if len(items) > maxBatchEvents {
		ps = append(ps, kit.Problem("batch", fmt.Sprintf("the batch has %d events; Segment answers 400 above %d", len(items), maxBatchEvents), "split it into several batches"))
	}
	ps = append(ps, checkObject(body, "context", "")...)
	sizes := itemSizes(raw)
	for i, item := range items {
		prefix := fmt.Sprintf("batch[%d].", i)
		obj, ok := item.(map[string]any)
		if !ok {
			ps = append(ps, kit.Problem(strings.TrimSuffix(prefix, "."), fmt.Sprintf("a batch item must be an object, not %s", jsonbody.Kind(item)), ""))
			continue
		}
		if i < len(sizes) && sizes[i] > maxCallBytes {
			ps = append(ps, kit.Problem(strings.TrimSuffix(prefix, "."), fmt.Sprintf("the event is %d bytes; Segment answers 400 above 32 KB per event", sizes[i]), "send fewer or smaller properties"))
		}
		typ, _ := obj["type"].(string)
		if !slices.Contains(callTypes, typ) {
			ps = append(ps, kit.Problem(prefix+"type",
				fmt.Sprintf("a batch item's type must be one of %s, not %s: %s", strings.Join(callTypes, ", "), describe(obj["type"]), droppedSilently),
				"add type: \"track\" (or the call this item is)"))
			continue
		}
		ps = append(ps, checkCall(typ, obj, prefix)...)
	}
	return ps
}

// checkCall checks one call of the given type; prefix locates it in a
// batch ("batch[3].") or is empty.
func checkCall(call string, body map[string]any, prefix string) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if call != "alias" && !hasID(body["userId"]) && !hasID(body["anonymousId"]) {
		ps = append(ps, kit.Problem(prefix+"userId",
			fmt.Sprintf("every call needs a userId or an anonymousId: %s", droppedSilently),
			"set userId: p.customer.customer_id"))
	}
	ps = append(ps, checkIDType(body, "userId", prefix)...)
	ps = append(ps, checkIDType(body, "anonymousId", prefix)...)
	switch call {
	case "track":
		ps = append(ps, requireString(body, "event", prefix, "a track call needs an event name", "set event: \"Payment Completed\"")...)
		ps = append(ps, checkObject(body, "properties", prefix)...)
		ps = append(ps, checkFiling(body, "properties", prefix)...)
	case "identify":
		ps = append(ps, checkObject(body, "traits", prefix)...)
		ps = append(ps, checkFiling(body, "traits", prefix)...)
	case "group":
		ps = append(ps, requireID(body, "groupId", prefix, "a group call needs a groupId", "set groupId to the company or account id")...)
		ps = append(ps, checkObject(body, "traits", prefix)...)
		ps = append(ps, checkFiling(body, "traits", prefix)...)
	case "alias":
		ps = append(ps, requireID(body, "previousId", prefix, "an alias call needs the previousId to merge", "set previousId to the old id (often the anonymousId)")...)
		ps = append(ps, requireID(body, "userId", prefix, "an alias call needs the userId to merge into", "set userId: p.customer.customer_id")...)
	case "page", "screen":
		ps = append(ps, checkObject(body, "properties", prefix)...)
		ps = append(ps, checkFiling(body, "properties", prefix)...)
		if v, ok := body["name"]; ok {
			if _, isString := v.(string); !isString {
				ps = append(ps, kit.Problem(prefix+"name", fmt.Sprintf("name must be a string, not %s", describe(v)), ""))
			}
		}
	}
	for _, f := range []string{"timestamp", "sentAt", "originalTimestamp"} {
		ps = append(ps, checkTimestamp(body, f, prefix)...)
	}
	ps = append(ps, checkMessageID(body, prefix)...)
	ps = append(ps, checkObject(body, "context", prefix)...)
	ps = append(ps, checkObject(body, "integrations", prefix)...)
	return ps
}

// hasID reports whether v can identify someone: a non-empty string or a
// number.
func hasID(v any) bool {
	switch id := v.(type) {
	case string:
		return strings.TrimSpace(id) != ""
	case json.Number:
		return true
	}
	return false
}

// checkIDType flags an id of the wrong type (null counts as absent).
func checkIDType(body map[string]any, f, prefix string) []hookbridge.Problem {
	v, ok := body[f]
	if !ok || v == nil || hasID(v) {
		return nil
	}
	if s, isString := v.(string); isString && strings.TrimSpace(s) == "" {
		return nil // reported as missing
	}
	return []hookbridge.Problem{kit.Problem(prefix+f, fmt.Sprintf("%s must be a string, not %s", f, describe(v)), "")}
}

func requireString(body map[string]any, f, prefix, what, fix string) []hookbridge.Problem {
	v := body[f]
	if s, ok := v.(string); ok && strings.TrimSpace(s) != "" {
		return nil
	}
	return []hookbridge.Problem{kit.Problem(prefix+f, fmt.Sprintf("%s (found %s): %s", what, describe(v), droppedSilently), fix)}
}

func requireID(body map[string]any, f, prefix, what, fix string) []hookbridge.Problem {
	if hasID(body[f]) {
		return nil
	}
	return []hookbridge.Problem{kit.Problem(prefix+f, fmt.Sprintf("%s (found %s): %s", what, describe(body[f]), droppedSilently), fix)}
}

func checkObject(body map[string]any, f, prefix string) []hookbridge.Problem {
	v, ok := body[f]
	if !ok || v == nil {
		return nil
	}
	if _, isObject := v.(map[string]any); !isObject {
		return []hookbridge.Problem{kit.Problem(prefix+f, fmt.Sprintf("%s must be an object, not %s", f, describe(v)), "")}
	}
	return nil
}

// isoLayouts are the ISO 8601 forms accepted for timestamps.
var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02",
}

func checkTimestamp(body map[string]any, f, prefix string) []hookbridge.Problem {
	v, ok := body[f]
	if !ok || v == nil {
		return nil
	}
	const fix = "use the event's ISO 8601 time: timestamp: webhook.payload.timestamp"
	s, isString := v.(string)
	if !isString {
		return []hookbridge.Problem{kit.Problem(prefix+f, fmt.Sprintf("%s must be an ISO 8601 date string, not %s: Segment does not take it as the event's time", f, describe(v)), fix)}
	}
	for _, layout := range isoLayouts {
		if _, err := time.Parse(layout, s); err == nil {
			return nil
		}
	}
	return []hookbridge.Problem{kit.Problem(prefix+f, fmt.Sprintf("%s %q is not an ISO 8601 date: Segment does not take it as the event's time", f, s), fix)}
}

func checkMessageID(body map[string]any, prefix string) []hookbridge.Problem {
	v, ok := body["messageId"]
	if !ok || v == nil {
		return nil
	}
	s, isString := v.(string)
	switch {
	case !isString:
		return []hookbridge.Problem{kit.Problem(prefix+"messageId", fmt.Sprintf("messageId must be a string, not %s", describe(v)), "leave messageId out: hookbridge sets it to the delivery's idempotency key")}
	case len([]rune(s)) >= maxMessageIDSize:
		return []hookbridge.Problem{kit.Problem(prefix+"messageId", fmt.Sprintf("messageId is %d characters; Segment needs fewer than %d to deduplicate", len([]rune(s)), maxMessageIDSize), "leave messageId out: hookbridge sets it to the delivery's idempotency key")}
	}
	return nil
}

// describe shows a value in a message: its kind, and its JSON when short.
func describe(v any) string {
	switch v.(type) {
	case string, json.Number, bool:
		b, _ := json.Marshal(v)
		if len(b) > 60 {
			b = append(b[:60:60], "…"...)
		}
		return fmt.Sprintf("%s (%s)", jsonbody.Kind(v), b)
	case nil:
		return "nothing"
	}
	return jsonbody.Kind(v)
}

// itemSizes returns the size in bytes of each item of the batch array of
// raw, a batch body that reads as a JSON object, as sent. It is nil for a
// body no bigger than one call may be: its items are all within the limit.
func itemSizes(raw []byte) []int {
	if len(raw) <= maxCallBytes {
		return nil
	}
	return jsonbody.ElementSizes(raw, "batch")
}
