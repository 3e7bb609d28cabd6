package posthog

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// futureLimit is how far ahead of its arrival PostHog takes an event's
// timestamp; later ones are stamped with the arrival time instead.
const futureLimit = 23 * time.Hour

// illegalDistinctIDs are the ids PostHog refuses to ingest events for:
// placeholders that would merge unrelated people into one.
var illegalDistinctIDs = []string{
	"anonymous", "guest", "distinctid", "distinct_id", "id", "not_authenticated", "email",
	"undefined", "true", "false", "null", "none", "nan", "0", "[object object]",
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// validate lists what PostHog would refuse (400, 401, 413) or accept and
// then drop, in a request on a PostHog host.
func validate(req *hookbridge.OutboundRequest, now time.Time) []hookbridge.Problem {
	ep := endpointOf(outbound.Path(req))
	if ep == endpointUnknown {
		return []hookbridge.Problem{kit.Problem("url",
			fmt.Sprintf("%s is not a PostHog capture endpoint", outbound.Path(req)),
			"send single events to /i/v0/e/ and several to /batch/")}
	}
	var ps []hookbridge.Problem
	if req.Method != http.MethodPost {
		ps = append(ps, kit.Problem("method", "PostHog's capture endpoints take POST only", "set webhook.method to POST"))
	}
	if len(req.Body) > maxRequestBytes {
		// PostHog refuses the whole request: nothing in it needs checking.
		return append(ps, kit.Problem("body", fmt.Sprintf("the request is %d bytes; PostHog refuses more than %d (413)", len(req.Body), maxRequestBytes),
			"send fewer or smaller events"))
	}
	body, err := req.Object()
	if err != nil {
		return append(ps, kit.Problem("body", "the body is not a JSON object", "return webhook.payload as an object: {event, distinct_id, properties, timestamp}"))
	}
	ps = append(ps, checkAPIKeyField(body)...)
	if ep == endpointBatch {
		return append(ps, checkBatch(body, now)...)
	}
	return append(ps, checkEvent("", body, len(req.Body), now)...)
}

// checkAPIKeyField wants the project API key in the body, which Prepare
// puts there on the project's host.
func checkAPIKeyField(body map[string]any) []hookbridge.Problem {
	key, _ := body["api_key"].(string)
	if key == "" {
		key, _ = body["token"].(string)
	}
	switch {
	case key == "":
		return []hookbridge.Problem{kit.Problem("api_key", "the request carries no project API key; PostHog answers 401",
			"set the endpoint's Project API key, and send to your project's host (the region's, or the self-hosted host you gave)")}
	case strings.HasPrefix(key, "phx_"):
		return []hookbridge.Problem{kit.Problem("api_key", "api_key is a personal API key (phx_…); the capture endpoints reject it",
			"use the project API key (phc_…) from Settings → Project")}
	}
	return nil
}

// checkBatch checks a /batch/ body: a non-empty list of events.
func checkBatch(body map[string]any, now time.Time) []hookbridge.Problem {
	events, ok := body["batch"].([]any)
	if !ok || len(events) == 0 {
		return []hookbridge.Problem{kit.Problem("batch", "a /batch/ body needs a non-empty \"batch\" list of events; PostHog answers 400",
			"send {\"batch\": [{event, distinct_id, …}, …]}, or one event to /i/v0/e/")}
	}
	var ps []hookbridge.Problem
	for i, item := range events {
		prefix := "batch[" + strconv.Itoa(i) + "]."
		event, ok := item.(map[string]any)
		if !ok {
			ps = append(ps, kit.Problem(strings.TrimSuffix(prefix, "."), "a batch item is not an object", "make each item {event, distinct_id, properties, timestamp}"))
			continue
		}
		size, _ := json.Marshal(event)
		ps = append(ps, checkEvent(prefix, event, len(size), now)...)
	}
	return ps
}

// checkEvent checks one event; prefix locates it in the body.
func checkEvent(prefix string, event map[string]any, size int, now time.Time) []hookbridge.Problem {
	var ps []hookbridge.Problem
	for _, rule := range eventRules {
		if p, bad := rule(event, size, now); bad {
			p.Field = prefix + p.Field
			ps = append(ps, p)
		}
	}
	return ps
}

// eventRule reports a problem with one event.
type eventRule func(event map[string]any, size int, now time.Time) (hookbridge.Problem, bool)

var eventRules = []eventRule{ruleEventName, ruleDistinctID, ruleUUID, ruleTimestamp, ruleProperties, ruleEventSize}

func ruleEventName(event map[string]any, _ int, _ time.Time) (hookbridge.Problem, bool) {
	name, _ := event["event"].(string)
	if strings.TrimSpace(name) != "" {
		return hookbridge.Problem{}, false
	}
	return kit.Problem("event", "the event has no name; PostHog answers 400", "set event, such as \"payment_succeeded\""), true
}

func ruleDistinctID(event map[string]any, _ int, _ time.Time) (hookbridge.Problem, bool) {
	id, found := distinctID(event)
	switch {
	case !found:
		return kit.Problem("distinct_id", "the event has no distinct_id; PostHog answers 400",
			"set distinct_id to the customer's id (data.customer.customer_id), or to another key with \"$process_person_profile\": false in properties"), true
	case isIllegalDistinctID(id):
		return kit.Problem("distinct_id", fmt.Sprintf("distinct_id %q is one PostHog refuses: the event is answered 200 and dropped", id),
			"use a real id, such as data.customer.customer_id"), true
	}
	return hookbridge.Problem{}, false
}

// distinctID reads the event's distinct_id, at the top or in properties,
// as PostHog does; found is false when there is none.
func distinctID(event map[string]any) (string, bool) {
	v, ok := event["distinct_id"]
	if !ok {
		props, _ := event["properties"].(map[string]any)
		v, ok = props["distinct_id"]
	}
	switch id := v.(type) {
	case string:
		return id, ok && strings.TrimSpace(id) != ""
	case json.Number:
		f, _ := id.Float64()
		return strconv.FormatFloat(f, 'f', -1, 64), true
	}
	return "", false
}

func isIllegalDistinctID(id string) bool {
	id = strings.ToLower(strings.TrimSpace(id))
	for _, bad := range illegalDistinctIDs {
		if id == bad {
			return true
		}
	}
	return false
}

func ruleUUID(event map[string]any, _ int, _ time.Time) (hookbridge.Problem, bool) {
	v, ok := event["uuid"]
	if !ok {
		return hookbridge.Problem{}, false
	}
	if s, _ := v.(string); uuidPattern.MatchString(s) {
		return hookbridge.Problem{}, false
	}
	return kit.Problem("uuid", fmt.Sprintf("uuid %v is not a UUID: PostHog answers 200 and drops the event", kit.Shown(v)),
		"leave uuid out: hookbridge derives one from the delivery, so that a retry is counted once"), true
}

func ruleTimestamp(event map[string]any, _ int, now time.Time) (hookbridge.Problem, bool) {
	v, ok := event["timestamp"]
	if !ok {
		return hookbridge.Problem{}, false
	}
	s, _ := v.(string)
	at, err := time.Parse(time.RFC3339Nano, s)
	switch {
	case err != nil:
		return kit.Warning("timestamp", fmt.Sprintf("timestamp %v is not ISO 8601: PostHog ignores it and uses the arrival time", kit.Shown(v)),
			"pass the event's timestamp as it comes (webhook.payload.timestamp)"), true
	case at.After(now.Add(futureLimit)):
		return kit.Warning("timestamp", fmt.Sprintf("timestamp %s is more than 23 hours ahead: PostHog uses the arrival time instead", s),
			"pass the event's own timestamp"), true
	}
	return hookbridge.Problem{}, false
}

func ruleProperties(event map[string]any, _ int, _ time.Time) (hookbridge.Problem, bool) {
	v, ok := event["properties"]
	if _, isObject := v.(map[string]any); !ok || isObject {
		return hookbridge.Problem{}, false
	}
	return kit.Problem("properties", "properties is not an object; PostHog answers 400", "make properties an object of names and values"), true
}

func ruleEventSize(_ map[string]any, size int, _ time.Time) (hookbridge.Problem, bool) {
	if size <= maxEventBytes {
		return hookbridge.Problem{}, false
	}
	return kit.Problem("", fmt.Sprintf("the event is %d bytes; PostHog answers 200 and discards events over 1 MB", size),
		"leave large values (whole payloads, product carts) out of properties"), true
}
