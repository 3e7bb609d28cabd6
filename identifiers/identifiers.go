// Package identifiers reads, from a request hookbridge recorded, the
// fields that told the tool who the event is about: Segment's userId,
// Customer.io's identifiers, Mixpanel's and PostHog's distinct_id,
// Amplitude's user_id, HubSpot's contact e-mail. The customer timeline
// shows them next to each delivery, because "is the identifier set, and is
// it the one the tool knows" is the first question of every "the event
// never arrived" report.
//
// Each well-known tool has a small reader for the body shapes its API
// takes; a request to any other destination has no identifiers.
package identifiers

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/hookbridge/hookbridge"
)

// Identifier is one field of a request that names the customer to the
// tool.
type Identifier struct {
	// Field is where the request carried it: the body's field path as the
	// tool's documentation names it ("userId", "identifiers.email"), or
	// "path" for an id in the URL.
	Field string `json:"field"`
	Value string `json:"value"`
}

// reader reads the identifiers of one tool's requests from the URL and
// the decoded JSON body (nil if the body is not JSON).
type reader func(u *url.URL, body any) []Identifier

// readers are the tools whose identifiers are known, by integration id.
var readers = map[string]reader{
	"segment":    segment,
	"customerio": customerIO,
	"mixpanel":   mixpanel,
	"amplitude":  amplitude,
	"posthog":    posthog,
	"hubspot":    hubspot,
}

// hosts name the tool of a request whose endpoint is unknown (deleted
// since), by the suffix of its URL's host.
var hosts = []struct{ suffix, integration string }{
	{"segment.io", "segment"},
	{"segmentapis.com", "segment"},
	{"customer.io", "customerio"},
	{"mixpanel.com", "mixpanel"},
	{"amplitude.com", "amplitude"},
	{"posthog.com", "posthog"},
	{"hubapi.com", "hubspot"},
}

// Sent returns the identifiers req carried to the tool of the integration,
// in the order of the body, each field and value once. An empty
// integration (the endpoint is gone) is guessed from the URL's host. A
// request to another destination, or whose body is not the tool's JSON
// (cut short when recorded, for one), has none: the list is empty, never
// nil.
func Sent(integration string, req hookbridge.RecordedRequest) []Identifier {
	u, err := url.Parse(req.URL)
	if err != nil {
		return []Identifier{}
	}
	if integration == "" {
		integration = byHost(u.Hostname())
	}
	read, ok := readers[integration]
	if !ok {
		return []Identifier{}
	}
	var body any
	dec := json.NewDecoder(strings.NewReader(req.Body))
	dec.UseNumber()
	if dec.Decode(&body) != nil {
		body = nil
	}
	return unique(read(u, body))
}

func byHost(host string) string {
	host = strings.ToLower(host)
	for _, h := range hosts {
		if host == h.suffix || strings.HasSuffix(host, "."+h.suffix) {
			return h.integration
		}
	}
	return ""
}

func unique(ids []Identifier) []Identifier {
	out := make([]Identifier, 0, len(ids))
	seen := map[Identifier]bool{}
	for _, id := range ids {
		if id.Value != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// segment reads userId and anonymousId of a call, or of each call of a
// batch ({"batch": [...]}).
func segment(_ *url.URL, body any) []Identifier {
	var ids []Identifier
	for _, call := range itemsOr(body, "batch") {
		ids = append(ids, fields(call, "userId", "anonymousId")...)
	}
	return ids
}

// customerIO reads the identifiers object of the Track API v2 (one entity
// or a batch), and the customer id in the path of a v1 call
// (/api/v1/customers/{id}[/events]).
func customerIO(u *url.URL, body any) []Identifier {
	var ids []Identifier
	if id, ok := v1CustomerID(u); ok {
		ids = append(ids, Identifier{Field: "path", Value: id})
	}
	for _, entity := range itemsOr(body, "batch") {
		for _, id := range fields(at(entity, "identifiers"), "id", "email", "cio_id") {
			id.Field = "identifiers." + id.Field
			ids = append(ids, id)
		}
	}
	return ids
}

func v1CustomerID(u *url.URL) (string, bool) {
	rest, ok := strings.CutPrefix(u.EscapedPath(), "/api/v1/customers/")
	if !ok {
		return "", false
	}
	escaped, _, _ := strings.Cut(rest, "/")
	id, err := url.PathUnescape(escaped)
	return id, err == nil && id != ""
}

// mixpanel reads properties.distinct_id of each event of /import or
// /track (an array or one event), and $distinct_id of a profile update.
func mixpanel(_ *url.URL, body any) []Identifier {
	var ids []Identifier
	for _, event := range itemsOf(body) {
		for _, id := range fields(at(event, "properties"), "distinct_id") {
			id.Field = "properties.distinct_id"
			ids = append(ids, id)
		}
		ids = append(ids, fields(event, "$distinct_id")...)
	}
	return ids
}

// amplitude reads user_id and device_id of each event of the HTTP V2 or
// Batch API ({"events": [...]}).
func amplitude(_ *url.URL, body any) []Identifier {
	var ids []Identifier
	for _, event := range list(at(body, "events")) {
		ids = append(ids, fields(event, "user_id", "device_id")...)
	}
	return ids
}

// posthog reads distinct_id of an event, of each event of a batch, or
// inside its properties.
func posthog(_ *url.URL, body any) []Identifier {
	var ids []Identifier
	for _, event := range itemsOr(body, "batch") {
		ids = append(ids, fields(event, "distinct_id")...)
		for _, id := range fields(at(event, "properties"), "distinct_id") {
			id.Field = "properties.distinct_id"
			ids = append(ids, id)
		}
	}
	return ids
}

// hubspot reads the contact's e-mail address: the id of each input of a
// batch upsert keyed by email, or properties.email of a contact.
func hubspot(_ *url.URL, body any) []Identifier {
	var ids []Identifier
	for _, input := range itemsOr(body, "inputs") {
		if prop, _ := at(input, "idProperty").(string); prop != "" {
			for _, id := range fields(input, "id") {
				ids = append(ids, Identifier{Field: prop, Value: id.Value})
			}
		}
		for _, id := range fields(at(input, "properties"), "email") {
			id.Field = "properties.email"
			ids = append(ids, id)
		}
	}
	return ids
}

// at returns the field of an object, or nil.
func at(v any, key string) any {
	obj, _ := v.(map[string]any)
	return obj[key]
}

// list returns v if it is an array, or nothing.
func list(v any) []any {
	items, _ := v.([]any)
	return items
}

// itemsOf returns the elements of an array, or v alone.
func itemsOf(v any) []any {
	if items, ok := v.([]any); ok {
		return items
	}
	return []any{v}
}

// itemsOr returns the elements of v's array field key if it has one (a
// batch), or v alone.
func itemsOr(v any, key string) []any {
	if items, ok := at(v, key).([]any); ok {
		return items
	}
	return []any{v}
}

// fields returns the named fields of an object that hold a string or a
// number, in the order of names.
func fields(v any, names ...string) []Identifier {
	var ids []Identifier
	for _, name := range names {
		if value := text(at(v, name)); value != "" {
			ids = append(ids, Identifier{Field: name, Value: value})
		}
	}
	return ids
}

// text returns a string as it is (spaces too: the tool got them) and a
// number as its JSON text; anything else as "".
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	}
	return ""
}
