// Package inngesttest is a fake Inngest Event API for tests: a server on
// loopback that takes events the way Inngest does and records what it
// would have kept:
//   - POST /e/<event key> with one event object or an array of events is
//     answered 200 {"ids": […], "status": 200}, an id per event;
//   - an unknown event key: 401 {"error": "Event key not found", "status": 401};
//   - a body that is not JSON, an empty array, an event without a name, or
//     whose data or user is not an object: 400 {"error": …, "status": 400};
//   - an event over the plan's size (256 KiB on the free plan, the
//     default; WithPaidPlan for 3 MiB): 413;
//   - events whose id was already received (within Inngest's 24-hour
//     window) are kept in Duplicates and start no function: Accepted holds
//     each id once;
//   - 429 with Retry-After when rate limited (RateLimitNext).
//
// Choices where the documentation is silent: the exact error texts, and a
// method other than POST answered 405.
package inngesttest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/inngest"
	"github.com/hookbridge/hookbridge/integration/internal/fakeapi"
)

// EventKey is the key a fake accepts.
const EventKey = "test-event-key-Qm3xR8tV2nW5"

// Event is one event Inngest received.
type Event struct {
	Name string
	ID   string
	TS   float64
	Data map[string]any
	User map[string]any
	// Host is where it was sent (inn.gs, or a self-hosted host).
	Host string
}

// Server is a fake Event API. Its methods are safe for concurrent use.
type Server struct {
	*fakeapi.Server
	maxEventBytes int

	mu         sync.Mutex
	seen       map[string]bool
	accepted   []Event
	duplicates []Event
	requests   int
}

// Option configures a Server.
type Option func(*Server)

// WithPaidPlan raises the event size limit to a paid plan's 3 MiB.
func WithPaidPlan() Option { return func(s *Server) { s.maxEventBytes = inngest.MaxEventBytes } }

// New starts a fake Event API, closed when the test ends.
func New(t testing.TB, opts ...Option) *Server {
	s := &Server{maxEventBytes: inngest.FreePlanEventBytes, seen: map[string]bool{}}
	for _, opt := range opts {
		opt(s)
	}
	s.Server = fakeapi.Start(fakeapi.Config{}, s.handle)
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// Credentials returns credentials of the inngest integration for Inngest
// Cloud (the default host) that this fake accepts.
func (s *Server) Credentials() hookbridge.Credentials {
	return hookbridge.Credentials{inngest.FieldEventKey: EventKey}
}

// Accepted returns the events kept, each id once.
func (s *Server) Accepted() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.accepted)
}

// Duplicates returns events received again with an id already kept.
func (s *Server) Duplicates() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.duplicates)
}

func errorResponse(status int, msg string) fakeapi.Response {
	return fakeapi.JSONResponse(status, map[string]any{"error": msg, "status": status})
}

func (s *Server) handle(r *http.Request, body []byte) fakeapi.Response {
	key, ok := strings.CutPrefix(r.URL.Path, "/e/")
	switch {
	case !ok:
		return fakeapi.TextResponse(http.StatusNotFound, "404 page not found")
	case r.Method != http.MethodPost:
		return fakeapi.TextResponse(http.StatusMethodNotAllowed, "Method Not Allowed")
	case key != EventKey:
		return errorResponse(http.StatusUnauthorized, "Event key not found")
	}
	raws, msg := split(body)
	if msg != "" {
		return errorResponse(http.StatusBadRequest, msg)
	}
	events := make([]Event, 0, len(raws))
	for i, raw := range raws {
		if len(raw) > s.maxEventBytes {
			return errorResponse(http.StatusRequestEntityTooLarge, fmt.Sprintf("event %d is over the maximum event size of %d bytes", i, s.maxEventBytes))
		}
		ev, msg := parse(raw)
		if msg != "" {
			return errorResponse(http.StatusBadRequest, msg)
		}
		ev.Host = hostOf(r.Host)
		events = append(events, ev)
	}
	return fakeapi.JSONResponse(http.StatusOK, map[string]any{"ids": s.take(events), "status": 200})
}

// split reads one event or an array of events.
func split(body []byte) ([]json.RawMessage, string) {
	var list []json.RawMessage
	if json.Unmarshal(body, &list) == nil {
		if len(list) == 0 {
			return nil, "no events were sent"
		}
		return list, ""
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil || obj == nil {
		return nil, "unable to parse the request body as an event or a list of events"
	}
	return []json.RawMessage{body}, ""
}

// parse reads one event; a message says why Inngest refuses it.
func parse(raw json.RawMessage) (Event, string) {
	var in struct {
		Name string          `json:"name"`
		ID   json.RawMessage `json:"id"`
		TS   float64         `json:"ts"`
		Data json.RawMessage `json:"data"`
		User json.RawMessage `json:"user"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return Event{}, "invalid event: " + err.Error()
	}
	ev := Event{Name: in.Name, TS: in.TS}
	if strings.TrimSpace(in.Name) == "" {
		return ev, "event name is required"
	}
	if in.ID != nil && json.Unmarshal(in.ID, &ev.ID) != nil {
		return ev, "event id must be a string"
	}
	if !object(in.Data, &ev.Data) {
		return ev, "event data must be an object"
	}
	if !object(in.User, &ev.User) {
		return ev, "event user must be an object"
	}
	return ev, ""
}

// object decodes raw into *into when it is an object; null or absent is
// fine.
func object(raw json.RawMessage, into *map[string]any) bool {
	if raw == nil || string(raw) == "null" {
		return true
	}
	return json.Unmarshal(raw, into) == nil && *into != nil
}

// take keeps the events, deduplicating on id, and returns an internal id
// for each, as Inngest does (a duplicate gets one too).
func (s *Server) take(events []Event) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, len(events))
	for i, ev := range events {
		s.requests++
		ids[i] = fmt.Sprintf("01JE%022d", s.requests)
		if ev.ID != "" && s.seen[ev.ID] {
			s.duplicates = append(s.duplicates, ev)
			continue
		}
		if ev.ID != "" {
			s.seen[ev.ID] = true
		}
		s.accepted = append(s.accepted, ev)
	}
	return ids
}

func hostOf(hostport string) string {
	if h, _, ok := strings.Cut(hostport, ":"); ok {
		return h
	}
	return hostport
}
