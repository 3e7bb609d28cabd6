package customerio

// The checks of one v2 operation (a single entity body or one item of a
// batch), each returning the problems it finds.

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

// checkOp checks one v2 operation; prefix locates it ("" or "batch[2].").
// size is its length in bytes as sent or, for an operation of a batch no
// bigger than maxOpBytes, the batch's.
func checkOp(op map[string]any, size int, prefix string, now time.Time) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if size > maxOpBytes {
		ps = append(ps, kit.Problem(field(prefix, ""), fmt.Sprintf("the operation is %d bytes; Customer.io accepts at most 32 KB per operation", size), "send fewer or smaller attributes"))
	}
	typ, typeProblems := checkType(op["type"], prefix)
	ps = append(ps, typeProblems...)
	ps = append(ps, checkIdentifiers(op["identifiers"], typ, prefix)...)
	action, actionProblems := checkAction(op, typ, prefix)
	ps = append(ps, actionProblems...)
	ps = append(ps, checkTimestamp(op["timestamp"], field(prefix, "timestamp"))...)
	switch {
	case eventActions[action]:
		ps = append(ps, checkEventName(op["name"], field(prefix, "name"), action)...)
		ps = append(ps, checkEventID(op["id"], field(prefix, "id"))...)
		ps = append(ps, checkEventAge(op["timestamp"], field(prefix, "timestamp"), now)...)
		ps = append(ps, checkEventData(op["attributes"], field(prefix, "attributes"), size)...)
	case action == "identify":
		if _, ok := op["timestamp"]; !ok && typ == "person" {
			ps = append(ps, missingIdentifyTimestamp(field(prefix, "timestamp")))
		}
		if _, ok := op["name"]; ok {
			ps = append(ps, kit.Warning(field(prefix, "name"),
				"name is not part of an identify operation: Customer.io does not store it, and no campaign is triggered by it",
				"remove name; to trigger a campaign, send an event: action: \"event\", name: \"…\""))
		}
		ps = append(ps, checkProfileAttributes(op["attributes"], field(prefix, "attributes"))...)
	}
	return ps
}

func checkType(v any, prefix string) (string, []hookbridge.Problem) {
	f := field(prefix, "type")
	typ, ok := v.(string)
	switch {
	case v == nil:
		return "", []hookbridge.Problem{kit.Problem(f, "type is required: Customer.io rejects the operation with 400", "add type: \"person\"")}
	case !ok || !slices.Contains(entityTypes, typ):
		return "", []hookbridge.Problem{kit.Problem(f,
			fmt.Sprintf("type must be person, object or delivery, not %s: Customer.io rejects the operation with 400", describe(v)),
			"use type: \"person\"")}
	}
	return typ, nil
}

func checkIdentifiers(v any, typ, prefix string) []hookbridge.Problem {
	f := field(prefix, "identifiers")
	ids, ok := v.(map[string]any)
	switch {
	case v == nil:
		return []hookbridge.Problem{kit.Problem(f, "identifiers are required: Customer.io rejects an operation that names nobody with 400",
			"add identifiers: { id: p.customer.customer_id }")}
	case !ok:
		return []hookbridge.Problem{kit.Problem(f, fmt.Sprintf("identifiers must be an object, not %s", jsonbody.Kind(v)),
			"use identifiers: { id: p.customer.customer_id }")}
	case typ != "person":
		if len(ids) == 0 {
			return []hookbridge.Problem{kit.Problem(f, "identifiers must not be empty", "")}
		}
		return nil
	}
	var ps []hookbridge.Problem
	var found []string
	for _, key := range slices.Sorted(maps.Keys(ids)) {
		if !slices.Contains(personIdentifiers, key) {
			ps = append(ps, kit.Problem(f+"."+key,
				fmt.Sprintf("%q is not a person identifier: Customer.io takes exactly one of id, email, phone or cio_id", key),
				"use identifiers: { id: … }"))
			continue
		}
		found = append(found, key)
		ps = append(ps, checkIdentifierValue(key, ids[key], f+"."+key)...)
	}
	switch {
	case len(found) == 0 && len(ps) == 0:
		ps = append(ps, kit.Problem(f, "identifiers is empty: Customer.io needs exactly one of id, email, phone or cio_id",
			"use identifiers: { id: p.customer.customer_id }"))
	case len(found) > 1:
		ps = append(ps, kit.Problem(f,
			fmt.Sprintf("identifiers has %s: Customer.io takes exactly one identifier per operation", strings.Join(found, ", ")),
			fmt.Sprintf("keep only identifiers.%s; send the others as attributes", found[0])))
	}
	return ps
}

func checkIdentifierValue(key string, v any, f string) []hookbridge.Problem {
	s, ok := v.(string)
	switch {
	case !ok || s == "":
		return []hookbridge.Problem{kit.Problem(f, fmt.Sprintf("%s must be a non-empty string, not %s", f, describe(v)),
			"check that the event carries the customer: p.customer.customer_id")}
	case key == "id" && len(s) > maxIDBytes:
		return []hookbridge.Problem{kit.Problem(f, fmt.Sprintf("the id is %d bytes; Customer.io accepts at most %d", len(s), maxIDBytes), "")}
	case key == "phone" && !isE164(s):
		return []hookbridge.Problem{kit.Problem(f, fmt.Sprintf("phone %q is not in E.164 form", s), "write it as + and country code and number, e.g. \"+14155550123\"")}
	}
	return nil
}

// checkAction returns the operation's action when it is a valid string.
func checkAction(op map[string]any, typ, prefix string) (string, []hookbridge.Problem) {
	f := field(prefix, "action")
	v := op["action"]
	action, ok := v.(string)
	switch {
	case v == nil:
		return "", []hookbridge.Problem{kit.Problem(f, "action is required: Customer.io rejects the operation with 400",
			"add action: \"event\" and a name, or action: \"identify\" to set attributes")}
	case !ok || action == "":
		return "", []hookbridge.Problem{kit.Problem(f, fmt.Sprintf("action must be a non-empty string, not %s", describe(v)), "")}
	case typ != "person" || slices.Contains(personActions, action):
		return action, nil
	}
	return "", []hookbridge.Problem{invalidActionProblem(f, action)}
}

// invalidActionProblem explains the mistake of the documentation's
// examples: a campaign's event name used as the action.
func invalidActionProblem(f, action string) hookbridge.Problem {
	return kit.Problem(f,
		fmt.Sprintf("Customer.io rejects action %q with 400: a person's action must be one of %s. To track something that happened, send an event and name it.",
			action, strings.Join(personActions, ", ")),
		fmt.Sprintf("use action: \"event\" with name: %q", action))
}

func checkEventName(v any, f, action string) []hookbridge.Problem {
	name, ok := v.(string)
	switch {
	case v == nil:
		return []hookbridge.Problem{kit.Problem(f, fmt.Sprintf("an %s needs a name: Customer.io rejects it with 400", action),
			"add name: \"payment_completed\" (the name your campaign's trigger uses)")}
	case !ok || strings.TrimSpace(name) == "":
		return []hookbridge.Problem{kit.Problem(f, fmt.Sprintf("name must be a non-empty string, not %s", describe(v)), "")}
	case len(name) > maxEventNameBytes:
		return []hookbridge.Problem{kit.Problem(f, fmt.Sprintf("the name is %d bytes; Customer.io accepts at most %d", len(name), maxEventNameBytes), "use a shorter event name")}
	}
	return nil
}

// checkEventID accepts a missing id (Prepare fills it) or a ULID.
func checkEventID(v any, f string) []hookbridge.Problem {
	if v == nil {
		return nil
	}
	s, ok := v.(string)
	if !ok {
		return []hookbridge.Problem{kit.Problem(f, fmt.Sprintf("id must be a string (a ULID), not %s", describe(v)), "leave id out: hookbridge sets it to the delivery's idempotency key")}
	}
	if _, err := ulid.ParseStrict(s); err != nil {
		return []hookbridge.Problem{kit.Problem(f,
			fmt.Sprintf("id %q is not a ULID: Customer.io deduplicates events on a ULID id, and may reject or fail to deduplicate this one", s),
			"leave id out: hookbridge sets it to the delivery's idempotency key, a ULID")}
	}
	return nil
}

// checkTimestamp accepts a missing timestamp or integer unix seconds.
func checkTimestamp(v any, f string) []hookbridge.Problem {
	const fix = "use timestamp: Math.floor(Date.parse(webhook.payload.timestamp) / 1000)"
	if v == nil {
		return nil
	}
	n, ok := v.(json.Number)
	if !ok {
		return []hookbridge.Problem{kit.Problem(f, fmt.Sprintf("timestamp must be an integer (unix seconds), not %s: Customer.io rejects it with 400", describe(v)), fix)}
	}
	secs, err := n.Int64()
	if err != nil {
		return []hookbridge.Problem{kit.Problem(f, fmt.Sprintf("timestamp must be a whole number of unix seconds, not %s: Customer.io rejects it with 400", n), fix)}
	}
	if secs >= millisecondsCutoff || secs <= -millisecondsCutoff {
		return []hookbridge.Problem{kit.Problem(f, fmt.Sprintf("timestamp %d looks like milliseconds; Customer.io reads it as seconds, thousands of years away", secs), fix)}
	}
	return nil
}

// checkProfileAttributes applies the limits on a person's attributes.
func checkProfileAttributes(v any, f string) []hookbridge.Problem {
	if v == nil {
		return nil
	}
	attrs, ok := v.(map[string]any)
	if !ok {
		return []hookbridge.Problem{kit.Problem(f, fmt.Sprintf("attributes must be an object, not %s", jsonbody.Kind(v)), "")}
	}
	return checkAttributeMap(attrs, f, nil)
}

// checkAttributeMap checks names and values of attributes; skip lists keys
// that are not attributes.
func checkAttributeMap(attrs map[string]any, f string, skip []string) []hookbridge.Problem {
	var ps []hookbridge.Problem
	count := 0
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		if slices.Contains(skip, name) {
			continue
		}
		value := attrs[name]
		if name == "_update" {
			if _, ok := value.(bool); !ok {
				ps = append(ps, kit.Problem(f+"._update", "_update must be true or false", ""))
			}
			continue
		}
		count++
		if len(name) > maxAttrNameBytes {
			ps = append(ps, kit.Problem(f+"."+truncate(name, 40), fmt.Sprintf("the attribute name is %d bytes; Customer.io accepts at most %d", len(name), maxAttrNameBytes), "use a shorter name"))
		}
		if size := stringifiedSize(value); size > maxAttrValueBytes {
			ps = append(ps, kit.Problem(f+"."+truncate(name, 40), fmt.Sprintf("the value is %d bytes; Customer.io accepts at most %d per attribute", size, maxAttrValueBytes), "send less, or send it as event data instead"))
		}
		ps = append(ps, checkProfileFiling(name, value, f+"."+truncate(name, 40))...)
	}
	if count > maxAttributes {
		ps = append(ps, kit.Problem(f, fmt.Sprintf("%d attributes; Customer.io keeps at most %d per person", count, maxAttributes), "send fewer attributes"))
	}
	return ps
}

// checkEventData checks an event's data (v2 attributes, v1 data), read
// from a text of within bytes.
func checkEventData(v any, f string, within int) []hookbridge.Problem {
	if v == nil {
		return nil
	}
	data, ok := v.(map[string]any)
	if !ok {
		return []hookbridge.Problem{kit.Problem(f, fmt.Sprintf("%s must be an object, not %s", f, jsonbody.Kind(v)), "")}
	}
	if size := encodedSizeOver(data, within, maxEventDataBytes); size > maxEventDataBytes {
		return []hookbridge.Problem{kit.Problem(f, fmt.Sprintf("the event data is %d bytes; Customer.io accepts at most %d", size, maxEventDataBytes), "send less event data")}
	}
	return checkEventDataFiling(data, f)
}

// isE164 reports whether s is + and 2 to 15 digits, the first not 0.
func isE164(s string) bool {
	digits, ok := strings.CutPrefix(s, "+")
	if !ok || len(digits) < 2 || len(digits) > 15 || digits[0] == '0' {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
