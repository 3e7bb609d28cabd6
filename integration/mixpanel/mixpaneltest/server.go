// Package mixpaneltest is a fake Mixpanel Import Events API for tests, in
// the manner of net/http/httptest: a real server on loopback that answers
// the way Mixpanel documents and records what it imported.
//
// What it does, from Mixpanel's documentation:
//   - POST /import on api.mixpanel.com, api-eu.mixpanel.com or
//     api-in.mixpanel.com; other paths are 404, other methods 405.
//   - Service account authentication: HTTP Basic with the account's
//     username and secret (401 otherwise), and project_id in the query
//     (400 without it, 403 for a project the account cannot reach).
//   - A body of at most 2,000 events, a JSON array or newline-delimited
//     JSON (400 otherwise); over 10 MB is 413 (the fake engine answers 413
//     from 8 MB).
//   - Each event needs a name, properties.time (seconds or milliseconds,
//     from 1971 to an hour ahead), properties.distinct_id (a string, not a
//     placeholder such as "anon" or "null") and properties.$insert_id (1
//     to 36 letters, digits and dashes). With strict=1 the refused events
//     are answered 400 {"code":400, "error", "status":"Bad Request",
//     "num_records_imported", "failed_records":[{"index", "insert_id",
//     "field", "message"}]} and the others are imported: a 400 is a
//     partial success. Without strict mode they are dropped silently
//     (Dropped) and the answer is 200.
//   - Success is 200 {"code":200, "num_records_imported", "status":"OK"}.
//   - Events whose $insert_id was imported before are counted in
//     num_records_imported but kept once (Duplicates).
//   - 429 with Retry-After when rate limited (RateLimitNext), its body
//     {"code":429, "error", "status":"Too Many Requests"}.
//
// Choices where the documentation is silent: a request to another
// region's host than the project's is 401, as for an unknown project; a
// Content-Type other than JSON or NDJSON is 400.
package mixpaneltest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
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

// The credentials of a fake made without options.
const (
	Username  = "hookbridge.4f2a91.mp-service-account"
	Secret    = "test-service-account-secret-8dQm2"
	ProjectID = "3141592"
)

const (
	maxEvents  = 2000
	maxBody    = 10 << 20
	maxIDBytes = 36
)

var regionHosts = map[string]string{"us": "api.mixpanel.com", "eu": "api-eu.mixpanel.com", "in": "api-in.mixpanel.com"}

var placeholders = []string{
	"00000000-0000-0000-0000-000000000000", "<nil>", "[]", "{}", "anon", "anonymous",
	"false", "lmy47d", "n/a", "na", "nil", "none", "null", "true", "undefined", "unknown",
}

// Event is an imported event.
type Event struct {
	Name       string
	DistinctID string
	InsertID   string
	// Time is properties.time as sent (seconds or milliseconds).
	Time       float64
	Properties map[string]any
}

// Drop is an event refused without strict mode, and why.
type Drop struct {
	Event  map[string]any
	Reason string
}

// Server is a fake Import Events API.
type Server struct {
	*fakeapi.Server
	username, secret, projectID, region string

	mu         sync.Mutex
	seen       map[string]bool
	events     []Event
	duplicates []Event
	dropped    []Drop
	limitNext  int
	limitDelay time.Duration
}

// Option configures a Server.
type Option func(*Server)

// WithServiceAccount sets the service account and project the fake accepts.
func WithServiceAccount(username, secret, projectID string) Option {
	return func(s *Server) { s.username, s.secret, s.projectID = username, secret, projectID }
}

// WithRegion sets the project's data residency: "us" (the default), "eu"
// or "in".
func WithRegion(region string) Option { return func(s *Server) { s.region = region } }

// New starts a fake Import API, closed when the test ends (if t is not
// nil; otherwise call Close).
func New(t testing.TB, opts ...Option) *Server {
	s := &Server{username: Username, secret: Secret, projectID: ProjectID, region: "us", seen: map[string]bool{}}
	for _, o := range opts {
		o(s)
	}
	s.Server = fakeapi.Start(fakeapi.Config{}, s.handle)
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// RateLimitNext makes the next n requests fail with Mixpanel's 429 and a
// Retry-After of retryAfter (whole seconds, rounded up).
func (s *Server) RateLimitNext(n int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limitNext, s.limitDelay = n, retryAfter
}

// rateLimited answers 429 if a rate limit was asked for.
func (s *Server) rateLimited() (fakeapi.Response, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.limitNext == 0 {
		return fakeapi.Response{}, false
	}
	s.limitNext--
	resp := errorBody(http.StatusTooManyRequests, "too many requests: the project's rate limit was exceeded")
	resp.Header.Set("Retry-After", strconv.FormatInt(int64((s.limitDelay+time.Second-1)/time.Second), 10))
	return resp, true
}

// Credentials returns credentials for the mixpanel integration that this
// fake accepts.
func (s *Server) Credentials() hookbridge.Credentials {
	return hookbridge.Credentials{"service_account_username": s.username, "service_account_secret": s.secret,
		"project_id": s.projectID, "region": s.region}
}

// Events returns the events imported, each $insert_id once.
func (s *Server) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.events)
}

// Duplicates returns events sent again with an $insert_id imported before.
func (s *Server) Duplicates() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.duplicates)
}

// Dropped returns the events refused silently (strict mode off).
func (s *Server) Dropped() []Drop {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.dropped)
}

func errorBody(status int, msg string) fakeapi.Response {
	return fakeapi.JSONResponse(status, map[string]any{"code": status, "error": msg, "status": http.StatusText(status)})
}

func (s *Server) handle(r *http.Request, body []byte) fakeapi.Response {
	if resp, limited := s.rateLimited(); limited {
		return resp
	}
	if r.URL.Path == MePath {
		return s.me(r)
	}
	if r.URL.Path != "/import" {
		return errorBody(http.StatusNotFound, "not found")
	}
	if r.Method != http.MethodPost {
		return errorBody(http.StatusMethodNotAllowed, "method not allowed")
	}
	if resp, ok := s.refuseAccess(r); !ok {
		return resp
	}
	events, resp, ok := readEvents(r, body)
	if !ok {
		return resp
	}
	return s.take(events, r.URL.Query().Get("strict") == "1")
}

// refuseAccess checks the service account, the project and the region.
func (s *Server) refuseAccess(r *http.Request) (fakeapi.Response, bool) {
	user, secret, ok := basicAuth(r.Header.Get("Authorization"))
	if !ok || user != s.username || secret != s.secret {
		return errorBody(http.StatusUnauthorized, "Invalid username or secret"), false
	}
	project := r.URL.Query().Get("project_id")
	switch {
	case project == "":
		return errorBody(http.StatusBadRequest, "project_id is required when authenticating with a service account"), false
	case project != s.projectID:
		return errorBody(http.StatusForbidden, "the service account does not have access to project "+project), false
	case s.wrongRegion(r):
		return errorBody(http.StatusUnauthorized, "project not found: it is stored in another data residency region"), false
	}
	return fakeapi.Response{}, true
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

func basicAuth(header string) (user, password string, ok bool) {
	enc, found := strings.CutPrefix(header, "Basic ")
	if !found {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return "", "", false
	}
	user, password, ok = strings.Cut(string(raw), ":")
	return user, password, ok
}

// readEvents reads a JSON array or NDJSON body within the limits.
func readEvents(r *http.Request, body []byte) ([]any, fakeapi.Response, bool) {
	ct := r.Header.Get("Content-Type")
	var events []any
	switch {
	case len(body) > maxBody:
		return nil, errorBody(http.StatusRequestEntityTooLarge, "request body is over 10 MB"), false
	case fakeapi.IsJSONContentType(ct):
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&events); err != nil {
			return nil, errorBody(http.StatusBadRequest, "unable to parse the body as a JSON array: "+err.Error()), false
		}
	case strings.HasPrefix(ct, "application/x-ndjson"):
		for _, line := range bytes.Split(body, []byte("\n")) {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.UseNumber()
			var ev any
			if err := dec.Decode(&ev); err != nil {
				return nil, errorBody(http.StatusBadRequest, "unable to parse a line as JSON: "+err.Error()), false
			}
			events = append(events, ev)
		}
	default:
		return nil, errorBody(http.StatusBadRequest, "Content-Type must be application/json or application/x-ndjson"), false
	}
	if len(events) == 0 || len(events) > maxEvents {
		return nil, errorBody(http.StatusBadRequest, fmt.Sprintf("a request holds 1 to %d events, not %d", maxEvents, len(events))), false
	}
	return events, fakeapi.Response{}, true
}

// failure is one refused event, as strict mode reports it.
type failure struct {
	Index    int    `json:"index"`
	InsertID string `json:"insert_id"`
	Field    string `json:"field"`
	Message  string `json:"message"`
}

// take imports the valid events and answers for the request.
func (s *Server) take(events []any, strict bool) fakeapi.Response {
	s.mu.Lock()
	defer s.mu.Unlock()
	var failures []failure
	imported := 0
	for i, raw := range events {
		ev, field, msg := check(raw, time.Now())
		if msg != "" {
			if !strict {
				obj, _ := raw.(map[string]any)
				s.dropped = append(s.dropped, Drop{Event: obj, Reason: field + ": " + msg})
				continue
			}
			failures = append(failures, failure{Index: i, InsertID: ev.InsertID, Field: field, Message: msg})
			continue
		}
		imported++
		if s.seen[ev.InsertID] {
			s.duplicates = append(s.duplicates, ev)
			continue
		}
		s.seen[ev.InsertID] = true
		s.events = append(s.events, ev)
	}
	if len(failures) > 0 {
		return fakeapi.JSONResponse(http.StatusBadRequest, map[string]any{
			"code": 400, "error": "some data points in the request failed validation", "status": "Bad Request",
			"num_records_imported": imported, "failed_records": failures,
		})
	}
	return fakeapi.JSONResponse(http.StatusOK, map[string]any{"code": 200, "num_records_imported": imported, "status": "OK"})
}

// check reads one event; msg says why Mixpanel refuses it, "" if it does
// not.
func check(raw any, now time.Time) (ev Event, field, msg string) {
	obj, ok := raw.(map[string]any)
	if !ok {
		return ev, "event", "an event must be a JSON object"
	}
	props, _ := obj["properties"].(map[string]any)
	ev.Name, _ = obj["event"].(string)
	ev.Properties = props
	if id, ok := props["$insert_id"].(string); ok {
		ev.InsertID = id
	}
	ev.DistinctID, _ = props["distinct_id"].(string)
	if ev.Name == "" {
		return ev, "event", "'event' must be a non-empty string"
	}
	if props == nil {
		return ev, "properties", "'properties' must be an object"
	}
	t, msg := checkTime(props["time"], now)
	if msg != "" {
		return ev, "properties.time", msg
	}
	ev.Time = t
	if msg := checkDistinctID(props); msg != "" {
		return ev, "properties.distinct_id", msg
	}
	if msg := checkInsertID(props["$insert_id"]); msg != "" {
		return ev, "properties.$insert_id", msg
	}
	return ev, "", ""
}

func checkTime(v any, now time.Time) (float64, string) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, "'properties.time' is invalid: must be specified as seconds since epoch"
	}
	f, err := n.Float64()
	if err != nil {
		return 0, "'properties.time' is invalid: must be specified as seconds since epoch"
	}
	at := time.UnixMilli(int64(f))
	if f < 1e11 {
		at = time.Unix(int64(f), 0)
	}
	if at.Before(time.Date(1971, 1, 1, 0, 0, 0, 0, time.UTC)) || at.After(now.Add(time.Hour)) {
		return 0, "'properties.time' is invalid: must be after 1971-01-01 and at most an hour in the future"
	}
	return f, ""
}

func checkDistinctID(props map[string]any) string {
	v, has := props["distinct_id"]
	id, isString := v.(string)
	switch {
	case !has:
		return "'properties.distinct_id' is required"
	case !isString:
		return "'properties.distinct_id' must be a string"
	case slices.Contains(placeholders, strings.ToLower(strings.TrimSpace(id))):
		return fmt.Sprintf("'properties.distinct_id' is invalid: %q is not a valid distinct_id", id)
	}
	return ""
}

func checkInsertID(v any) string {
	id, ok := v.(string)
	if !ok || id == "" {
		return "'properties.$insert_id' is required"
	}
	if len(id) > maxIDBytes {
		return "'properties.$insert_id' is invalid: must be at most 36 bytes"
	}
	for _, c := range []byte(id) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return "'properties.$insert_id' is invalid: must contain only alphanumeric characters or '-'"
		}
	}
	return ""
}

// MePath is the app API's "who am I" read on mixpanel.com (eu.mixpanel.com,
// in.mixpanel.com): the service account and the projects it may use.
const MePath = "/api/app/me"

// me answers GET MePath to the service account, listing its project.
func (s *Server) me(r *http.Request) fakeapi.Response {
	if r.Method != http.MethodGet {
		return errorBody(http.StatusMethodNotAllowed, "method not allowed")
	}
	user, secret, ok := basicAuth(r.Header.Get("Authorization"))
	if !ok || user != s.username || secret != s.secret {
		return errorBody(http.StatusUnauthorized, "Invalid username or secret")
	}
	return fakeapi.JSONResponse(http.StatusOK, map[string]any{"status": "ok", "results": map[string]any{
		"name":     user,
		"projects": map[string]any{s.projectID: map[string]any{"id": s.projectID, "name": "Test project"}},
	}})
}
