package mixpanel

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// The Import API's documented limits.
const (
	maxEvents     = 2000
	maxBatchBytes = 10 << 20
	maxEventBytes = 1 << 20
	// maxProperties: an event must have fewer than 255 properties.
	maxProperties = 254
	// futureSlack is how far ahead of Mixpanel's clock an event's time may
	// be.
	futureSlack = time.Hour
)

// earliest is the earliest time Mixpanel imports.
var earliest = time.Date(1971, 1, 1, 0, 0, 0, 0, time.UTC)

// placeholderIDs are distinct_id values Mixpanel refuses as the marks of
// an implementation mistake.
var placeholderIDs = []string{
	"00000000-0000-0000-0000-000000000000", "<nil>", "[]", "{}", "anon", "anonymous",
	"false", "lmy47d", "n/a", "na", "nil", "none", "null", "true", "undefined", "unknown",
}

// validate lists what the Import API would refuse in a prepared request.
func validate(req *hookbridge.OutboundRequest, now time.Time) []hookbridge.Problem {
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil // the kit reports an unparsable URL
	}
	ps := requestProblems(req, u)
	if u.Path != ImportPath {
		return ps
	}
	events, err := eventsOf(req)
	if err != nil {
		return append(ps, kit.Problem("body", "the body is not a JSON array of events: "+err.Error(),
			`return webhook.payload = [{event: "…", properties: {…}}]`))
	}
	ps = append(ps, batchProblems(req.Body, len(events))...)
	for i, ev := range events {
		ps = append(ps, eventProblems(fmt.Sprintf("[%d]", i), ev, now)...)
	}
	return ps
}

// requestProblems checks the method, path, query and authentication.
func requestProblems(req *hookbridge.OutboundRequest, u *url.URL) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if req.Method != http.MethodPost {
		ps = append(ps, kit.Problem("method", "the Import API takes POST, not "+req.Method, `set webhook.method = "POST"`))
	}
	if u.Path != ImportPath {
		ps = append(ps, kit.Problem("url", u.Path+" is not Mixpanel's Import API (/import); the service account's credentials are for it",
			"set webhook.url to https://"+u.Host+"/import?strict=1"))
		return ps
	}
	q := u.Query()
	if q.Get("project_id") == "" {
		ps = append(ps, kit.Problem("url", "the import has no project_id: Mixpanel refuses a service account's import without it",
			"set the endpoint's Project ID credential"))
	}
	if q.Get("strict") != "1" {
		ps = append(ps, kit.Warning("url", "strict mode is off: Mixpanel drops invalid events silently instead of saying which",
			"leave strict=1 in webhook.url"))
	}
	if req.Header("Authorization") == "" {
		ps = append(ps, kit.Problem("headers", "no service account credentials: Mixpanel answers 401",
			"set the endpoint's service account username and secret"))
	}
	return ps
}

// batchProblems checks the number of events and the body's size.
func batchProblems(body []byte, n int) []hookbridge.Problem {
	var ps []hookbridge.Problem
	switch {
	case n == 0:
		ps = append(ps, kit.Problem("body", "the array holds no events", "return at least one event, or return webhook unchanged to send nothing"))
	case n > maxEvents:
		ps = append(ps, kit.Problem("body", fmt.Sprintf("%d events: Mixpanel takes at most %d per import", n, maxEvents),
			"send fewer events per delivery"))
	}
	if len(body) > maxBatchBytes {
		ps = append(ps, kit.Problem("body", fmt.Sprintf("the body is %d bytes: Mixpanel takes at most 10 MB per import", len(body)),
			"send fewer or smaller events"))
	}
	return ps
}

// eventProblems checks one event of the array.
func eventProblems(at string, ev any, now time.Time) []hookbridge.Problem {
	obj, ok := ev.(map[string]any)
	if !ok {
		return []hookbridge.Problem{kit.Problem(at, "an event is a JSON object {event, properties}", `{event: "Payment Completed", properties: {…}}`)}
	}
	var ps []hookbridge.Problem
	if name, _ := obj["event"].(string); strings.TrimSpace(name) == "" {
		ps = append(ps, kit.Problem(at+".event", "the event has no name", `set event to a name such as "Payment Completed"`))
	}
	if raw, err := json.Marshal(obj); err == nil && len(raw) > maxEventBytes {
		ps = append(ps, kit.Problem(at, fmt.Sprintf("the event is %d bytes: Mixpanel takes events under 1 MB", len(raw)), "send fewer properties"))
	}
	props, ok := obj["properties"].(map[string]any)
	if !ok {
		return append(ps, kit.Problem(at+".properties", "the event has no properties object: it needs time, distinct_id and $insert_id",
			"set properties: {time: …, distinct_id: …}"))
	}
	if len(props) > maxProperties {
		ps = append(ps, kit.Problem(at+".properties", fmt.Sprintf("%d properties: Mixpanel takes fewer than 255", len(props)), "send fewer properties"))
	}
	ps = append(ps, timeProblems(at+".properties.time", props["time"], now)...)
	ps = append(ps, distinctIDProblems(at+".properties.distinct_id", props)...)
	return append(ps, insertIDProblems(at+".properties.$insert_id", props["$insert_id"])...)
}

// timeProblems checks the event's time: seconds or milliseconds since the
// epoch, from 1971 to an hour ahead.
func timeProblems(field string, v any, now time.Time) []hookbridge.Problem {
	const fix = "set time to the event's time in milliseconds: hb.toUnixSeconds(payload.timestamp) * 1000"
	if v == nil {
		return []hookbridge.Problem{kit.Problem(field, "the event has no time: Mixpanel refuses it", fix)}
	}
	n, ok := v.(json.Number)
	if !ok {
		return []hookbridge.Problem{kit.Problem(field, "time is not a number: Mixpanel refuses it", fix)}
	}
	f, err := n.Float64()
	if err != nil {
		return []hookbridge.Problem{kit.Problem(field, "time is not a number: Mixpanel refuses it", fix)}
	}
	t := time.UnixMilli(int64(f))
	if f < 1e11 { // seconds: milliseconds below 1e11 are early 1973
		t = time.Unix(int64(f), 0)
	}
	switch {
	case t.Before(earliest):
		return []hookbridge.Problem{kit.Problem(field, fmt.Sprintf("time %s is before 1971: Mixpanel refuses it", n), fix)}
	case !now.IsZero() && t.After(now.Add(futureSlack)):
		return []hookbridge.Problem{kit.Problem(field, fmt.Sprintf("time %s is more than an hour ahead: Mixpanel refuses it", n), fix)}
	}
	return nil
}

// distinctIDProblems checks the user the event belongs to.
func distinctIDProblems(field string, props map[string]any) []hookbridge.Problem {
	v, has := props["distinct_id"]
	if !has {
		return []hookbridge.Problem{kit.Problem(field, "the event has no distinct_id: Mixpanel refuses it",
			`set distinct_id to the customer's id, or to "" for an event of no user`)}
	}
	id, ok := v.(string)
	switch {
	case !ok:
		return []hookbridge.Problem{kit.Problem(field, "distinct_id is not a string", "set distinct_id to the customer's id as text")}
	case slices.Contains(placeholderIDs, strings.ToLower(strings.TrimSpace(id))):
		return []hookbridge.Problem{kit.Problem(field, fmt.Sprintf("distinct_id %q is a placeholder Mixpanel refuses", id),
			`set distinct_id to the customer's id, or to "" for an event of no user`)}
	case id == "":
		return []hookbridge.Problem{kit.Warning(field, "distinct_id is empty: Mixpanel keeps the event but leaves it out of every user's analysis",
			"set distinct_id to the customer's id where the event has one")}
	}
	return nil
}

// insertIDProblems checks the id Mixpanel deduplicates on.
func insertIDProblems(field string, v any) []hookbridge.Problem {
	id, ok := v.(string)
	switch {
	case v == nil:
		return []hookbridge.Problem{kit.Problem(field, "the event has no $insert_id: Mixpanel refuses it",
			"leave $insert_id out of properties: hookbridge sets it from the delivery's idempotency key")}
	case !ok || id == "" || len(id) > maxInsertID || !insertIDChars(id):
		return []hookbridge.Problem{kit.Problem(field, fmt.Sprintf("$insert_id %v is not 1 to 36 letters, digits and dashes: Mixpanel refuses it", v),
			"leave $insert_id out of properties: hookbridge sets one that fits")}
	}
	return nil
}
