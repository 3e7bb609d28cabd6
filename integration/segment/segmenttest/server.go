package segmenttest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/fakeapi"
)

// WriteKey is the write key of a fake made without WithWriteKey.
const WriteKey = "test-write-key"

const (
	hostUS = "api.segment.io"
	hostEU = "events.eu1.segmentapis.com"

	maxCallBytes   = 32 << 10
	maxBatchBytes  = 500 << 10
	maxBatchEvents = 2500
)

var callTypes = []string{"identify", "track", "page", "screen", "group", "alias"}

// Request is one request the fake received.
type Request = fakeapi.Request

// Event is one call Segment received: a single call, or one event of a
// batch with the batch's context merged in.
type Event struct {
	Type        string // identify, track, …
	MessageID   string
	UserID      string // userId as a string ("" if none)
	AnonymousID string
	Event       string // the track call's event name
	// Body is the call as Segment sees it.
	Body map[string]any
}

// Drop is a call Segment answered 200 and then dropped.
type Drop struct {
	Event  Event
	Reason string
}

// Server is a fake Segment Tracking API. Its methods are safe for
// concurrent use.
type Server struct {
	*fakeapi.Server

	writeKey, region string

	mu         sync.Mutex
	seen       map[string]bool
	accepted   []Event
	duplicates []Event
	dropped    []Drop
}

// Option configures a Server.
type Option func(*options)

type options struct {
	writeKey, region string
	latency          time.Duration
}

// WithWriteKey sets the write key the fake accepts.
func WithWriteKey(key string) Option { return func(o *options) { o.writeKey = key } }

// WithRegion sets the workspace's region, "us" (the default) or "eu".
func WithRegion(region string) Option { return func(o *options) { o.region = region } }

// WithLatency delays every answer by d.
func WithLatency(d time.Duration) Option { return func(o *options) { o.latency = d } }

// New starts a fake Tracking API. If t is not nil the server is closed when
// the test ends; otherwise call Close.
func New(t testing.TB, opts ...Option) *Server {
	o := options{writeKey: WriteKey, region: "us"}
	for _, opt := range opts {
		opt(&o)
	}
	s := &Server{writeKey: o.writeKey, region: o.region, seen: map[string]bool{}}
	s.Server = fakeapi.Start(fakeapi.Config{Latency: o.latency, RateLimitHeaders: rateLimitReset}, s.handle)
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// rateLimitReset adds X-RateLimit-Reset: when the limit lifts, in unix
// seconds.
func rateLimitReset(retryAfter time.Duration, now time.Time) http.Header {
	reset := now.Add(retryAfter).Add(time.Second - 1).Unix()
	return http.Header{"X-Ratelimit-Reset": {strconv.FormatInt(reset, 10)}}
}

// Credentials returns credentials for the segment integration that this
// fake accepts.
func (s *Server) Credentials() hookbridge.Credentials {
	return hookbridge.Credentials{"write_key": s.writeKey, "region": s.region}
}

// Accepted returns the calls Segment kept, duplicates excluded.
func (s *Server) Accepted() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.accepted)
}

// Duplicates returns calls sent again with a messageId already accepted.
func (s *Server) Duplicates() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.duplicates)
}

// Dropped returns the calls answered 200 but dropped, with the reason.
func (s *Server) Dropped() []Drop {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.dropped)
}

func (s *Server) handle(r *http.Request, body []byte) fakeapi.Response {
	call, ok := strings.CutPrefix(strings.TrimSuffix(r.URL.Path, "/"), "/v1/")
	if !ok || (call != "batch" && !slices.Contains(callTypes, call)) {
		return fakeapi.TextResponse(http.StatusNotFound, "404 page not found")
	}
	if r.Method != http.MethodPost {
		return fakeapi.TextResponse(http.StatusMethodNotAllowed, "Method Not Allowed")
	}
	if !fakeapi.IsJSONContentType(r.Header.Get("Content-Type")) {
		return fakeapi.TextResponse(http.StatusBadRequest, "Content-Type must be application/json")
	}
	limit := maxCallBytes
	if call == "batch" {
		limit = maxBatchBytes
	}
	if len(body) > limit {
		return fakeapi.TextResponse(http.StatusBadRequest, fmt.Sprintf("Request body is larger than %d bytes", limit))
	}
	var top map[string]any
	if err := json.Unmarshal(body, &top); err != nil || top == nil {
		return fakeapi.TextResponse(http.StatusBadRequest, "Invalid JSON")
	}
	if !s.authorized(r, top) {
		return fakeapi.TextResponse(http.StatusUnauthorized, "Unauthorized: invalid write key")
	}
	events, resp, ok := eventsOf(call, top)
	if !ok {
		return resp
	}
	s.take(events, s.wrongRegion(r))
	return fakeapi.JSONResponse(http.StatusOK, map[string]bool{"success": true})
}

func (s *Server) authorized(r *http.Request, body map[string]any) bool {
	if user, _, ok := r.BasicAuth(); ok {
		return user == s.writeKey
	}
	key, _ := body["writeKey"].(string)
	return key != "" && key == s.writeKey
}

// wrongRegion reports whether the request went to the other region's host.
func (s *Server) wrongRegion(r *http.Request) bool {
	host := strings.ToLower(r.Host)
	if h, _, found := strings.Cut(host, ":"); found {
		host = h
	}
	return (host == hostUS && s.region == "eu") || (host == hostEU && s.region != "eu")
}

// eventsOf splits a request into its calls; a batch that breaks a limit
// is answered 400.
func eventsOf(call string, top map[string]any) ([]map[string]any, fakeapi.Response, bool) {
	if call != "batch" {
		top["type"] = call
		return []map[string]any{top}, fakeapi.Response{}, true
	}
	items, _ := top["batch"].([]any)
	if len(items) > maxBatchEvents {
		return nil, fakeapi.TextResponse(http.StatusBadRequest, fmt.Sprintf("Batch has more than %d events", maxBatchEvents)), false
	}
	context, _ := top["context"].(map[string]any)
	var events []map[string]any
	for _, item := range items {
		ev, _ := item.(map[string]any)
		if ev == nil {
			ev = map[string]any{}
		}
		if size, _ := json.Marshal(ev); len(size) > maxCallBytes {
			return nil, fakeapi.TextResponse(http.StatusBadRequest, fmt.Sprintf("Batch event is larger than %d bytes", maxCallBytes)), false
		}
		events = append(events, withContext(ev, context))
	}
	return events, fakeapi.Response{}, true
}

// withContext merges a batch's context into an event's (the event wins).
func withContext(ev, context map[string]any) map[string]any {
	if context == nil {
		return ev
	}
	merged := maps.Clone(context)
	if own, ok := ev["context"].(map[string]any); ok {
		maps.Copy(merged, own)
	}
	ev["context"] = merged
	return ev
}

// take sorts calls into accepted, duplicates and dropped.
func (s *Server) take(bodies []map[string]any, wrongRegion bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, body := range bodies {
		ev := eventOf(body)
		reason := dropReason(ev)
		if wrongRegion {
			reason = "the request went to the other region's host: the workspace never sees it"
		}
		switch {
		case reason != "":
			s.dropped = append(s.dropped, Drop{Event: ev, Reason: reason})
		case ev.MessageID != "" && s.seen[ev.MessageID]:
			s.duplicates = append(s.duplicates, ev)
		default:
			if ev.MessageID != "" {
				s.seen[ev.MessageID] = true
			}
			s.accepted = append(s.accepted, ev)
		}
	}
}

func eventOf(body map[string]any) Event {
	ev := Event{Body: body}
	ev.Type, _ = body["type"].(string)
	ev.MessageID, _ = body["messageId"].(string)
	ev.Event, _ = body["event"].(string)
	ev.UserID = idString(body["userId"])
	ev.AnonymousID = idString(body["anonymousId"])
	return ev
}

// idString reads an id Segment accepts: a string or a number.
func idString(v any) string {
	switch id := v.(type) {
	case string:
		return strings.TrimSpace(id)
	case float64:
		return strconv.FormatFloat(id, 'f', -1, 64)
	}
	return ""
}

// dropReason says why Segment would drop a call, "" if it keeps it.
func dropReason(ev Event) string {
	if !slices.Contains(callTypes, ev.Type) {
		return fmt.Sprintf("unknown type %q", ev.Type)
	}
	hasString := func(f string) bool {
		s, _ := ev.Body[f].(string)
		return strings.TrimSpace(s) != ""
	}
	switch {
	case ev.Type == "alias" && (idString(ev.Body["previousId"]) == "" || ev.UserID == ""):
		return "alias needs previousId and userId"
	case ev.UserID == "" && ev.AnonymousID == "":
		return "no userId or anonymousId"
	case ev.Type == "track" && !hasString("event"):
		return "track without event"
	case ev.Type == "group" && idString(ev.Body["groupId"]) == "":
		return "group without groupId"
	}
	return ""
}
