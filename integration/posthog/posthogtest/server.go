package posthogtest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/fakeapi"
)

// APIKey is the project API key of a fake made without WithAPIKey.
const APIKey = "phc_testProjectKey0123456789"

const (
	hostUS = "us.i.posthog.com"
	hostEU = "eu.i.posthog.com"

	maxEventBytes   = 1 << 20
	maxRequestBytes = 20 << 20
)

// illegalIDs are the distinct ids PostHog drops events for.
var illegalIDs = []string{
	"anonymous", "guest", "distinctid", "distinct_id", "id", "not_authenticated", "email",
	"undefined", "true", "false", "null", "none", "nan", "0", "[object object]",
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// Request is one request the fake received.
type Request = fakeapi.Request

// Event is one event PostHog received.
type Event struct {
	Name       string
	DistinctID string
	UUID       string
	Timestamp  string
	Properties map[string]any
	// Body is the event as PostHog sees it.
	Body map[string]any
}

// Drop is an event PostHog answered 200 and then dropped.
type Drop struct {
	Event  Event
	Reason string
}

// Server is a fake PostHog capture API. Its methods are safe for
// concurrent use.
type Server struct {
	*fakeapi.Server

	apiKey, region, host string

	mu         sync.Mutex
	seen       map[string]bool
	accepted   []Event
	duplicates []Event
	dropped    []Drop
}

// Option configures a Server.
type Option func(*Server)

// WithAPIKey sets the project API key the fake accepts.
func WithAPIKey(key string) Option { return func(s *Server) { s.apiKey = key } }

// WithRegion sets the project's cloud, "us" (the default) or "eu".
func WithRegion(region string) Option { return func(s *Server) { s.region = region } }

// WithSelfHosted makes the fake a self-hosted install on host: requests to
// the cloud hosts are answered 401.
func WithSelfHosted(host string) Option {
	return func(s *Server) { s.region, s.host = "custom", host }
}

// New starts a fake capture API. If t is not nil the server is closed when
// the test ends; otherwise call Close.
func New(t testing.TB, opts ...Option) *Server {
	s := &Server{apiKey: APIKey, region: "us", seen: map[string]bool{}}
	for _, opt := range opts {
		opt(s)
	}
	s.Server = fakeapi.Start(fakeapi.Config{}, s.handle)
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// Credentials returns credentials for the posthog integration that this
// fake accepts.
func (s *Server) Credentials() hookbridge.Credentials {
	creds := hookbridge.Credentials{"api_key": s.apiKey, "region": s.region}
	if s.host != "" {
		creds["host"] = s.host
	}
	return creds
}

// Accepted returns the events PostHog kept, duplicates excluded.
func (s *Server) Accepted() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.accepted)
}

// Duplicates returns events sent again after PostHog kept them.
func (s *Server) Duplicates() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.duplicates)
}

// Dropped returns the events answered 200 but dropped, with the reason.
func (s *Server) Dropped() []Drop {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.dropped)
}

func (s *Server) handle(r *http.Request, body []byte) fakeapi.Response {
	batch, ok := endpoint(r.URL.Path)
	if !ok {
		return fakeapi.TextResponse(http.StatusNotFound, "Not Found")
	}
	if r.Method != http.MethodPost {
		return fakeapi.TextResponse(http.StatusMethodNotAllowed, "Method Not Allowed")
	}
	if len(body) > maxRequestBytes {
		return apiError(http.StatusRequestEntityTooLarge, "invalid_request_error", "payload_too_large", "Request body is larger than 20 MB.")
	}
	var top map[string]any
	if err := json.Unmarshal(body, &top); err != nil || top == nil {
		return apiError(http.StatusBadRequest, "validation_error", "invalid_payload", "Malformed request data: the body is not a JSON object.")
	}
	if resp, ok := s.authorize(r, top); !ok {
		return resp
	}
	events, resp, ok := eventsOf(batch, top)
	if !ok {
		return resp
	}
	s.take(events)
	return fakeapi.JSONResponse(http.StatusOK, map[string]string{"status": "Ok"})
}

// endpoint tells whether a path is a capture endpoint, and whether it is
// the batch one.
func endpoint(path string) (batch, ok bool) {
	switch strings.TrimSuffix(path, "/") {
	case "/i/v0/e", "/capture", "/e":
		return false, true
	case "/batch":
		return true, true
	}
	return false, false
}

// authorize checks the project API key, in api_key or token, against the
// host: a key is known only on its project's host.
func (s *Server) authorize(r *http.Request, top map[string]any) (fakeapi.Response, bool) {
	key, _ := top["api_key"].(string)
	if key == "" {
		key, _ = top["token"].(string)
	}
	if key == "" {
		return apiError(http.StatusUnauthorized, "authentication_error", "missing_api_key",
			"API key not provided. You can find your project API key in PostHog project settings."), false
	}
	if key != s.apiKey || !s.onProjectHost(r.Host) {
		return apiError(http.StatusUnauthorized, "authentication_error", "invalid_api_key",
			"Project API key invalid. You can find your project API key in PostHog project settings."), false
	}
	return fakeapi.Response{}, true
}

func (s *Server) onProjectHost(host string) bool {
	host = strings.ToLower(host)
	if h, _, found := strings.Cut(host, ":"); found {
		host = h
	}
	switch s.region {
	case "eu":
		return host == hostEU
	case "custom":
		return host == strings.ToLower(s.host)
	}
	return host == hostUS
}

// eventsOf splits a request into its events, refusing (400) one without a
// name or a distinct_id, as capture checks every event before taking any.
func eventsOf(batch bool, top map[string]any) ([]map[string]any, fakeapi.Response, bool) {
	items := []any{top}
	if batch {
		list, ok := top["batch"].([]any)
		if !ok {
			return nil, apiError(http.StatusBadRequest, "validation_error", "invalid_payload", "Malformed request data: batch is not a list."), false
		}
		items = list
	}
	events := make([]map[string]any, 0, len(items))
	for i, item := range items {
		ev, _ := item.(map[string]any)
		if msg := invalid(ev); msg != "" {
			if batch {
				msg = "batch[" + strconv.Itoa(i) + "]: " + msg
			}
			return nil, apiError(http.StatusBadRequest, "validation_error", "invalid_payload", "Invalid payload: "+msg), false
		}
		events = append(events, ev)
	}
	return events, fakeapi.Response{}, true
}

// invalid says why capture refuses an event, "" if it takes it.
func invalid(ev map[string]any) string {
	if ev == nil {
		return "the event is not an object"
	}
	if name, _ := ev["event"].(string); strings.TrimSpace(name) == "" {
		return "all events must have the event name field 'event'"
	}
	if _, ok := distinctID(ev); !ok {
		return "all events must have the field 'distinct_id'"
	}
	if props, ok := ev["properties"]; ok {
		if _, isObject := props.(map[string]any); !isObject {
			return "'properties' must be an object"
		}
	}
	return ""
}

func distinctID(ev map[string]any) (string, bool) {
	v, ok := ev["distinct_id"]
	if !ok {
		props, _ := ev["properties"].(map[string]any)
		v, ok = props["distinct_id"]
	}
	switch id := v.(type) {
	case string:
		return id, ok && strings.TrimSpace(id) != ""
	case float64:
		return strconv.FormatFloat(id, 'f', -1, 64), true
	}
	return "", false
}

// take sorts events into accepted, duplicates and dropped. PostHog
// deduplicates events that share uuid, name, distinct_id and timestamp.
func (s *Server) take(bodies []map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, body := range bodies {
		ev := eventOf(body)
		key := strings.Join([]string{ev.UUID, ev.Name, ev.DistinctID, ev.Timestamp}, "\x00")
		switch reason := dropReason(ev, body); {
		case reason != "":
			s.dropped = append(s.dropped, Drop{Event: ev, Reason: reason})
		case ev.UUID != "" && s.seen[key]:
			s.duplicates = append(s.duplicates, ev)
		default:
			if ev.UUID != "" {
				s.seen[key] = true
			}
			s.accepted = append(s.accepted, ev)
		}
	}
}

func eventOf(body map[string]any) Event {
	ev := Event{Body: body}
	ev.Name, _ = body["event"].(string)
	ev.DistinctID, _ = distinctID(body)
	ev.UUID, _ = body["uuid"].(string)
	ev.Timestamp, _ = body["timestamp"].(string)
	ev.Properties, _ = body["properties"].(map[string]any)
	return ev
}

// dropReason says why PostHog drops an event it answered 200 to.
func dropReason(ev Event, body map[string]any) string {
	if v, ok := body["uuid"]; ok {
		if s, _ := v.(string); !uuidPattern.MatchString(s) {
			return "invalid uuid"
		}
	}
	if slices.Contains(illegalIDs, strings.ToLower(strings.TrimSpace(ev.DistinctID))) {
		return "illegal distinct_id " + ev.DistinctID
	}
	if size, _ := json.Marshal(body); len(size) > maxEventBytes {
		return "event over 1 MB"
	}
	return ""
}

func apiError(status int, typ, code, detail string) fakeapi.Response {
	return fakeapi.JSONResponse(status, map[string]any{"type": typ, "code": code, "detail": detail, "attr": nil})
}
