// Package amplitudetest is a fake Amplitude HTTP V2 API for tests, in the
// manner of net/http/httptest: a real server on loopback that answers the
// way Amplitude documents and records what it ingested.
//
// What it does, from Amplitude's documentation:
//   - POST /2/httpapi on api2.amplitude.com or api.eu.amplitude.com; other
//     paths are 404, other methods 405; Content-Type must be
//     application/json (400 otherwise).
//   - A body over 1 MB or 2,000 events is 413.
//   - 400 {"code":400, "error", "missing_field"} for a body without
//     api_key or events; 400 "Invalid API key: …" for a key the project's
//     region does not know.
//   - Each event needs event_type and a user_id or device_id; ids are
//     strings of at least 5 characters (options.min_id_length), a
//     device_id of zeros is refused; time, price and revenue are numbers,
//     time and quantity whole. One bad event refuses the whole request:
//     400 with events_with_missing_fields / events_with_invalid_fields
//     {field: [indexes]}, and nothing is ingested.
//   - Success is 200 {"code":200, "events_ingested", "payload_size_bytes",
//     "server_upload_time"}.
//   - An event whose insert_id was ingested before (for the same user or
//     device) is answered as ingested but kept once (Duplicates).
//   - 429 as Amplitude sends it: ThrottleNext (a user over 30 events a
//     second: throttled_users, eps_threshold) and QuotaExceededNext
//     (exceeded_daily_quota_users); RateLimitNext adds Retry-After.
package amplitudetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/fakeapi"
)

// APIKey is the API key of a fake made without WithAPIKey.
const APIKey = "0f3c9a7d2b8e4f6a1c5d9e2b7a4f8c3d"

const (
	maxEvents   = 2000
	maxBytes    = 1 << 20
	minIDLength = 5
)

var regionHosts = map[string]string{"us": "api2.amplitude.com", "eu": "api.eu.amplitude.com"}

// Event is an ingested event.
type Event struct {
	Type     string
	UserID   string
	DeviceID string
	InsertID string
	// Fields are the event as sent.
	Fields map[string]any
}

// Server is a fake HTTP V2 API.
type Server struct {
	*fakeapi.Server
	apiKey, region string

	mu         sync.Mutex
	seen       map[string]bool
	events     []Event
	duplicates []Event
	throttles  []map[string]any
}

// Option configures a Server.
type Option func(*Server)

// WithAPIKey sets the API key the fake accepts.
func WithAPIKey(key string) Option { return func(s *Server) { s.apiKey = key } }

// WithRegion sets the project's data residency: "us" (the default) or
// "eu".
func WithRegion(region string) Option { return func(s *Server) { s.region = region } }

// New starts a fake HTTP V2 API, closed when the test ends (if t is not
// nil; otherwise call Close).
func New(t testing.TB, opts ...Option) *Server {
	s := &Server{apiKey: APIKey, region: "us", seen: map[string]bool{}}
	for _, o := range opts {
		o(s)
	}
	s.Server = fakeapi.Start(fakeapi.Config{}, s.handle)
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// Credentials returns credentials for the amplitude integration that this
// fake accepts.
func (s *Server) Credentials() hookbridge.Credentials {
	return hookbridge.Credentials{"api_key": s.apiKey, "region": s.region}
}

// ThrottleNext makes the next n requests answer 429 for userID sending
// over 30 events a second, as Amplitude does (without Retry-After).
func (s *Server) ThrottleNext(n int, userID string) {
	s.tooMany(n, map[string]any{"code": 429, "error": "Too many requests for some devices and users",
		"eps_threshold": 30, "throttled_users": map[string]int{userID: 31}, "throttled_devices": map[string]int{},
		"throttled_events": []int{0}})
}

// QuotaExceededNext makes the next n requests answer 429 for userID over
// the daily event quota.
func (s *Server) QuotaExceededNext(n int, userID string) {
	s.tooMany(n, map[string]any{"code": 429, "error": "Too many requests for some devices and users",
		"exceeded_daily_quota_users": map[string]int{userID: 500001}, "exceeded_daily_quota_devices": map[string]int{}})
}

func (s *Server) tooMany(n int, body map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.throttles = append(s.throttles, body)
	}
}

// throttled answers the next 429 asked for, if any.
func (s *Server) throttled() (fakeapi.Response, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.throttles) == 0 {
		return fakeapi.Response{}, false
	}
	body := s.throttles[0]
	s.throttles = s.throttles[1:]
	return fakeapi.JSONResponse(http.StatusTooManyRequests, body), true
}

// Events returns the events ingested, each insert_id once.
func (s *Server) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.events)
}

// Duplicates returns events sent again with an insert_id ingested before.
func (s *Server) Duplicates() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.duplicates)
}

func errorBody(status int, msg string, extra map[string]any) fakeapi.Response {
	body := map[string]any{"code": status, "error": msg}
	for k, v := range extra {
		body[k] = v
	}
	return fakeapi.JSONResponse(status, body)
}

// upload is a request body.
type upload struct {
	APIKey  *string          `json:"api_key"`
	Events  []map[string]any `json:"events"`
	Options struct {
		MinIDLength *int `json:"min_id_length"`
	} `json:"options"`
}

func (s *Server) handle(r *http.Request, body []byte) fakeapi.Response {
	if resp, limited := s.throttled(); limited {
		return resp
	}
	if r.URL.Path != "/2/httpapi" {
		return errorBody(http.StatusNotFound, "not found", nil)
	}
	if r.Method != http.MethodPost {
		return errorBody(http.StatusMethodNotAllowed, "method not allowed", nil)
	}
	if !fakeapi.IsJSONContentType(r.Header.Get("Content-Type")) {
		return errorBody(http.StatusBadRequest, "Invalid Content-Type: must be application/json", nil)
	}
	if len(body) > maxBytes {
		return errorBody(http.StatusRequestEntityTooLarge, "Payload too large", nil)
	}
	var up upload
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&up); err != nil {
		return errorBody(http.StatusBadRequest, "Invalid JSON request body", nil)
	}
	switch {
	case up.APIKey == nil || *up.APIKey == "":
		return errorBody(http.StatusBadRequest, "Request missing required field", map[string]any{"missing_field": "api_key"})
	case up.Events == nil:
		return errorBody(http.StatusBadRequest, "Request missing required field", map[string]any{"missing_field": "events"})
	case *up.APIKey != s.apiKey || s.wrongRegion(r):
		return errorBody(http.StatusBadRequest, "Invalid API key: "+*up.APIKey, nil)
	case len(up.Events) > maxEvents:
		return errorBody(http.StatusRequestEntityTooLarge, "Payload too large", nil)
	}
	minID := minIDLength
	if up.Options.MinIDLength != nil {
		minID = *up.Options.MinIDLength
	}
	if resp, ok := refuseEvents(up.Events, minID); !ok {
		return resp
	}
	s.ingest(up.Events)
	return fakeapi.JSONResponse(http.StatusOK, map[string]any{"code": 200, "events_ingested": len(up.Events),
		"payload_size_bytes": len(body), "server_upload_time": time.Now().UnixMilli()})
}

// wrongRegion reports whether r went to another region's host than the
// project's. A request on a host that is no region's (a test's loopback
// address) is taken as the project's.
func (s *Server) wrongRegion(r *http.Request) bool {
	host := hostOf(r)
	for region, h := range regionHosts {
		if h == host {
			return region != s.region
		}
	}
	return false
}

func hostOf(r *http.Request) string {
	host, _, found := strings.Cut(r.Host, ":")
	if !found {
		host = r.Host
	}
	return strings.ToLower(host)
}

// refuseEvents answers 400 naming every bad event, if there is one.
func refuseEvents(events []map[string]any, minID int) (fakeapi.Response, bool) {
	missing, invalid := map[string][]int{}, map[string][]int{}
	for i, ev := range events {
		for _, f := range missingFields(ev) {
			missing[f] = append(missing[f], i)
		}
		for _, f := range invalidFields(ev, minID) {
			invalid[f] = append(invalid[f], i)
		}
	}
	if len(missing)+len(invalid) == 0 {
		return fakeapi.Response{}, true
	}
	extra := map[string]any{}
	msg := "Request has events with invalid fields"
	if len(missing) > 0 {
		extra["events_with_missing_fields"] = missing
		msg = "Request has events missing required fields"
	}
	if len(invalid) > 0 {
		extra["events_with_invalid_fields"] = invalid
	}
	return errorBody(http.StatusBadRequest, msg, extra), false
}

func missingFields(ev map[string]any) []string {
	var out []string
	if name, _ := ev["event_type"].(string); name == "" {
		out = append(out, "event_type")
	}
	if ev["user_id"] == nil && ev["device_id"] == nil {
		out = append(out, "user_id")
	}
	return out
}

func invalidFields(ev map[string]any, minID int) []string {
	var out []string
	for _, name := range []string{"user_id", "device_id"} {
		v, has := ev[name]
		if !has || v == nil {
			continue
		}
		id, ok := v.(string)
		if !ok || len([]rune(id)) < minID || (name == "device_id" && strings.Trim(id, "0-") == "") {
			out = append(out, name)
		}
	}
	for _, name := range []string{"time", "quantity"} {
		if v, has := ev[name]; has && !isWhole(v) {
			out = append(out, name)
		}
	}
	for _, name := range []string{"price", "revenue"} {
		if v, has := ev[name]; has {
			if _, ok := v.(json.Number); !ok {
				out = append(out, name)
			}
		}
	}
	sort.Strings(out)
	return out
}

func isWhole(v any) bool {
	n, ok := v.(json.Number)
	if !ok {
		return false
	}
	_, err := n.Int64()
	return err == nil
}

// ingest keeps the events, each insert_id once per user or device.
func (s *Server) ingest(events []map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, fields := range events {
		ev := Event{Fields: fields}
		ev.Type, _ = fields["event_type"].(string)
		ev.UserID, _ = fields["user_id"].(string)
		ev.DeviceID, _ = fields["device_id"].(string)
		ev.InsertID, _ = fields["insert_id"].(string)
		key := fmt.Sprintf("%s\x00%s\x00%s", ev.UserID, ev.DeviceID, ev.InsertID)
		if ev.InsertID != "" && s.seen[key] {
			s.duplicates = append(s.duplicates, ev)
			continue
		}
		s.seen[key] = true
		s.events = append(s.events, ev)
	}
}
