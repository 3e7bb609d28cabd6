package amplitude

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// The HTTP V2 API's documented limits.
const (
	maxEvents = 2000
	maxBytes  = 1 << 20
	// defaultMinIDLength is the shortest user_id or device_id Amplitude
	// takes unless options.min_id_length says otherwise.
	defaultMinIDLength = 5
	// secondsBefore: a time below it is seconds, not milliseconds (in
	// milliseconds it would be early 1973).
	secondsBefore = 1e11
)

// validate lists what the HTTP V2 API would refuse in a prepared request.
func validate(req *hookbridge.OutboundRequest, now time.Time) []hookbridge.Problem {
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil // the kit reports an unparsable URL
	}
	var ps []hookbridge.Problem
	if req.Method != http.MethodPost {
		ps = append(ps, kit.Problem("method", "the HTTP V2 API takes POST, not "+req.Method, `set webhook.method = "POST"`))
	}
	if u.Path != UploadPath {
		return append(ps, kit.Problem("url", u.Path+" is not Amplitude's HTTP V2 API (/2/httpapi)",
			"set webhook.url to https://"+u.Host+UploadPath))
	}
	body, err := req.Object()
	if err != nil {
		return append(ps, kit.Problem("body", "the body is not a JSON object {api_key, events}",
			`return webhook.payload = {events: [{event_type: "…", user_id: "…"}]}`))
	}
	ps = append(ps, bodyProblems(req.Body, body)...)
	events, _ := body["events"].([]any)
	minID := minIDLength(body)
	for i, ev := range events {
		ps = append(ps, eventProblems(fmt.Sprintf("events[%d]", i), ev, minID, now)...)
	}
	return ps
}

// bodyProblems checks the API key, the events array and the size.
func bodyProblems(raw []byte, body map[string]any) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if key, _ := body["api_key"].(string); key == "" {
		ps = append(ps, kit.Problem("api_key", "the body has no api_key: Amplitude answers 400 missing_field api_key",
			"set the endpoint's API key credential; hookbridge puts it in the body"))
	}
	events, ok := body["events"].([]any)
	switch {
	case !ok:
		ps = append(ps, kit.Problem("events", "the body has no events array: Amplitude answers 400 missing_field events",
			`return webhook.payload = {events: [{event_type: "…", user_id: "…"}]}`))
	case len(events) == 0:
		ps = append(ps, kit.Problem("events", "the events array is empty", "send at least one event, or return webhook unchanged to send nothing"))
	case len(events) > maxEvents:
		ps = append(ps, kit.Problem("events", fmt.Sprintf("%d events: Amplitude answers 413 above %d per request", len(events), maxEvents),
			"send fewer events per delivery"))
	}
	if len(raw) > maxBytes {
		ps = append(ps, kit.Problem("body", fmt.Sprintf("the body is %d bytes: Amplitude answers 413 above 1 MB", len(raw)),
			"send fewer or smaller events"))
	}
	return ps
}

// minIDLength is options.min_id_length, or Amplitude's default.
func minIDLength(body map[string]any) int {
	opts, _ := body["options"].(map[string]any)
	if n, ok := opts["min_id_length"].(json.Number); ok {
		if v, err := n.Int64(); err == nil && v >= 0 {
			return int(v)
		}
	}
	return defaultMinIDLength
}

// eventProblems checks one event.
func eventProblems(at string, ev any, minID int, now time.Time) []hookbridge.Problem {
	obj, ok := ev.(map[string]any)
	if !ok {
		return []hookbridge.Problem{kit.Problem(at, "an event is a JSON object", `{event_type: "Payment Completed", user_id: "…"}`)}
	}
	var ps []hookbridge.Problem
	if name, _ := obj["event_type"].(string); strings.TrimSpace(name) == "" {
		ps = append(ps, kit.Problem(at+".event_type", "the event has no event_type: Amplitude refuses the request for it",
			`set event_type to a name such as "Payment Completed"`))
	}
	ps = append(ps, idProblems(at, obj, minID)...)
	ps = append(ps, timeProblems(at+".time", obj["time"], now)...)
	ps = append(ps, revenueProblems(at, obj)...)
	for _, name := range []string{"event_properties", "user_properties"} {
		if v, has := obj[name]; has && v != nil {
			if _, ok := v.(map[string]any); !ok {
				ps = append(ps, kit.Problem(at+"."+name, name+" is not an object", "set "+name+" to an object of properties"))
			}
		}
	}
	if id, has := obj["insert_id"]; !has || id == "" {
		ps = append(ps, kit.Warning(at+".insert_id", "the event has no insert_id: a retried delivery would be counted twice",
			"leave insert_id out: hookbridge sets it from the delivery's idempotency key"))
	}
	return ps
}

// idProblems checks user_id and device_id: one of them, as a string of at
// least minID characters; a device_id of zeros (an iOS IDFA under Limit Ad
// Tracking) is refused.
func idProblems(at string, obj map[string]any, minID int) []hookbridge.Problem {
	const fix = "set user_id to the customer's id (at least %d characters)"
	var ps []hookbridge.Problem
	present := 0
	for _, name := range []string{"user_id", "device_id"} {
		v, has := obj[name]
		if !has || v == nil {
			continue
		}
		present++
		id, ok := v.(string)
		switch {
		case !ok:
			ps = append(ps, kit.Problem(at+"."+name, name+" is not a string: Amplitude refuses the request for it", fmt.Sprintf(fix, minID)))
		case len([]rune(id)) < minID:
			ps = append(ps, kit.Problem(at+"."+name, fmt.Sprintf("%s %q is shorter than %d characters: Amplitude refuses the request for it", name, id, minID),
				fmt.Sprintf(fix, minID)))
		case name == "device_id" && strings.Trim(id, "0-") == "":
			ps = append(ps, kit.Problem(at+".device_id", "device_id is all zeros: Amplitude refuses it", "set user_id, or another device_id"))
		}
	}
	if present == 0 {
		ps = append(ps, kit.Problem(at+".user_id", "the event has neither user_id nor device_id: Amplitude refuses the request for it",
			fmt.Sprintf(fix, minID)))
	}
	return ps
}

// timeProblems checks time: milliseconds since the epoch, as an integer.
func timeProblems(field string, v any, now time.Time) []hookbridge.Problem {
	const fix = "set time to milliseconds: hb.toUnixSeconds(payload.timestamp) * 1000"
	if v == nil {
		return nil // Amplitude uses the upload time
	}
	n, ok := v.(json.Number)
	if !ok {
		return []hookbridge.Problem{kit.Problem(field, "time is not a number: Amplitude refuses the request for it", fix)}
	}
	ms, err := n.Int64()
	if err != nil {
		return []hookbridge.Problem{kit.Problem(field, "time is not a whole number of milliseconds: Amplitude refuses the request for it", fix)}
	}
	if ms < secondsBefore {
		return []hookbridge.Problem{kit.Warning(field, fmt.Sprintf("time %d looks like seconds: Amplitude reads milliseconds and files the event in 1970", ms), fix)}
	}
	if !now.IsZero() && time.UnixMilli(ms).After(now.Add(24*time.Hour)) {
		return []hookbridge.Problem{kit.Warning(field, "time is more than a day ahead", fix)}
	}
	return nil
}

// revenueProblems checks the revenue fields' types: price and revenue
// numbers, quantity a whole number.
func revenueProblems(at string, obj map[string]any) []hookbridge.Problem {
	var ps []hookbridge.Problem
	for _, name := range []string{"price", "revenue"} {
		if v, has := obj[name]; has && v != nil {
			if _, ok := v.(json.Number); !ok {
				ps = append(ps, kit.Problem(at+"."+name, name+" is not a number: Amplitude refuses the request for it",
					"set "+name+" to Number(hb.formatAmount(minorUnits, currency))"))
			}
		}
	}
	if v, has := obj["quantity"]; has && v != nil {
		n, ok := v.(json.Number)
		if _, err := n.Int64(); !ok || err != nil {
			ps = append(ps, kit.Problem(at+".quantity", "quantity is not a whole number: Amplitude refuses the request for it", "set quantity to an integer such as 1"))
		}
	}
	return ps
}
