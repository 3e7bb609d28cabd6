package inngest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

// Event size limits: 256 KiB on Inngest's free plan, 3 MiB on paid plans.
const (
	FreePlanEventBytes = 256 << 10
	MaxEventBytes      = 3 << 20
)

// secondsBefore is the ts below which a timestamp is in seconds rather
// than milliseconds (1e11 ms is March 1973; 1e11 s is the year 5138).
const secondsBefore = 1e11

// validate lists what the Event API would refuse in a request — a path
// without the event key, a method other than POST, a body that is not an
// event or an array of events, an event without a name, with a reserved
// name, data or user that is not an object, an id that is not a string,
// an event over 3 MiB — and what it would file other than meant: a ts in
// seconds, a ts in the future (functions wait for it), an event over the
// free plan's 256 KiB.
func validate(req *hookbridge.OutboundRequest, now time.Time) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if u, err := url.Parse(req.URL); err == nil && (!strings.HasPrefix(u.Path, "/e/") || len(u.Path) <= len("/e/")) {
		ps = append(ps, kit.Problem("url", "the path "+u.Path+" is not the Event API's /e/<event key>",
			"leave webhook.url unset: hookbridge sends to https://<host>/e/<event key>"))
	}
	if req.Method != http.MethodPost {
		ps = append(ps, kit.Problem("method", "the Event API takes POST, not "+req.Method, "leave webhook.method unset (POST)"))
	}
	events, problem := eventsOf(req)
	if problem != nil {
		return append(ps, *problem)
	}
	for i, ev := range events {
		prefix := ""
		if len(events) > 1 || isArray(req.Body) {
			prefix = fmt.Sprintf("[%d].", i)
		}
		ps = append(ps, eventProblems(ev, prefix, now)...)
	}
	return ps
}

// event is one event of a body: its members (nil when it is not a JSON
// object) and its size in bytes (see elementSizes for an array's).
type event struct {
	fields map[string]any
	size   int
}

// eventsOf splits a request's body, read once by req.Value, into its
// events: the body itself when it is an object, or each element of an
// array.
func eventsOf(req *hookbridge.OutboundRequest) ([]event, *hookbridge.Problem) {
	body, _ := req.Value()
	switch body := body.(type) {
	case map[string]any:
		return []event{{fields: body, size: len(req.Body)}}, nil
	case []any:
		if len(body) == 0 {
			break
		}
		sizes := elementSizes(req.Body, len(body))
		events := make([]event, len(body))
		for i, v := range body {
			fields, _ := v.(map[string]any)
			events[i] = event{fields: fields, size: sizes[i]}
		}
		return events, nil
	}
	notEvents := kit.Problem("body", "the body is not an event or an array of events: Inngest answers 400",
		"set webhook.payload to {name, data, user, ts}, as the templates do")
	return nil, &notEvents
}

// elementSizes are the sizes in bytes of the n elements of the array
// body. An array within FreePlanEventBytes is not scanned for them: no
// element of it can pass a limit, and each counts as the whole array.
func elementSizes(body []byte, n int) []int {
	sizes := make([]int, n)
	var spans [][2]int
	if len(body) > FreePlanEventBytes {
		spans, _ = jsonbody.Elements(bytes.TrimSpace(body), jsonbody.Lenient)
	}
	for i := range sizes {
		sizes[i] = len(body)
		if len(spans) == n {
			sizes[i] = spans[i][1] - spans[i][0]
		}
	}
	return sizes
}

func isArray(body []byte) bool {
	trimmed := bytes.TrimSpace(body)
	return len(trimmed) > 0 && trimmed[0] == '['
}

// eventProblems checks one event; prefix names it in an array ("[2].").
func eventProblems(ev event, prefix string, now time.Time) []hookbridge.Problem {
	if ev.fields == nil {
		return []hookbridge.Problem{kit.Problem(strings.TrimSuffix(prefix, "."), "this event is not an object", "make each event {name, data, user, ts}")}
	}
	ps := nameProblems(ev.fields["name"], prefix)
	for _, field := range []string{"data", "user"} {
		if _, isObject := ev.fields[field].(map[string]any); !isObject && ev.fields[field] != nil {
			ps = append(ps, kit.Problem(prefix+field, field+" must be an object: Inngest answers 400", "set "+field+" to an object of fields"))
		}
	}
	if _, isString := ev.fields["id"].(string); !isString && ev.fields["id"] != nil {
		ps = append(ps, kit.Problem(prefix+"id", "id must be a string", "leave id out: hookbridge sets it to the delivery's idempotency key"))
	}
	ps = append(ps, tsProblems(ev.fields["ts"], prefix, now)...)
	return append(ps, sizeProblems(ev.size, prefix)...)
}

func nameProblems(v any, prefix string) []hookbridge.Problem {
	if name, _ := v.(string); strings.TrimSpace(name) == "" {
		return []hookbridge.Problem{kit.Problem(prefix+"name", "the event has no name: Inngest answers 400",
			"set name, such as \"billing/payment.succeeded\"")}
	}
	if name, _ := v.(string); strings.HasPrefix(name, "inngest/") {
		return []hookbridge.Problem{kit.Problem(prefix+"name", "the inngest/ prefix is reserved for Inngest's own events",
			"use a prefix of your own, such as billing/")}
	}
	return nil
}

func tsProblems(v any, prefix string, now time.Time) []hookbridge.Problem {
	if v == nil {
		return nil
	}
	n, isNumber := v.(json.Number)
	ts, err := n.Float64()
	if !isNumber || err != nil || ts != float64(int64(ts)) {
		return []hookbridge.Problem{kit.Problem(prefix+"ts", "ts must be an integer of milliseconds since 1970", "set ts to toMillis(event.timestamp), as the templates do")}
	}
	switch {
	case ts < secondsBefore:
		return []hookbridge.Problem{kit.Warning(prefix+"ts", "ts looks like seconds: Inngest reads milliseconds and files the event in 1970",
			"multiply it by 1000, or use toMillis(event.timestamp) as the templates do")}
	case time.UnixMilli(int64(ts)).After(now.Add(time.Minute)):
		return []hookbridge.Problem{kit.Warning(prefix+"ts", "ts is in the future: Inngest starts the triggered functions only at that time",
			"set ts to when the event happened (event.timestamp)")}
	}
	return nil
}

func sizeProblems(size int, prefix string) []hookbridge.Problem {
	field := strings.TrimSuffix(prefix, ".")
	if field == "" {
		field = "body"
	}
	switch {
	case size > MaxEventBytes:
		return []hookbridge.Problem{kit.Problem(field, fmt.Sprintf("the event is %d bytes; Inngest takes at most 3 MiB", size),
			"send only the fields your functions use")}
	case size > FreePlanEventBytes:
		return []hookbridge.Problem{kit.Warning(field, fmt.Sprintf("the event is %d bytes: over the 256 KiB Inngest's free plan takes (paid plans take 3 MiB)", size),
			"send fewer fields, unless your plan is a paid one")}
	}
	return nil
}
