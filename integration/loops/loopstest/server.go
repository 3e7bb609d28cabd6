// Package loopstest is a fake Loops API for tests: transactional emails,
// events and contact updates. It checks the API key, the required fields,
// the transactional emails it knows and their required data variables,
// and answers as Loops does, {"success": false, "message": …} on errors.
// An Idempotency-Key used in the last 24 hours is answered 409 Conflict,
// whatever the body, and nothing is sent again.
package loopstest

import (
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
	"github.com/hookbridge/hookbridge/integration/internal/mailaddr"
)

// APIKey is the API key of a fake made without WithAPIKey.
const APIKey = "d2d561f5ff80136f69b4b5a31b9fb3c9"

const (
	host              = "app.loops.so"
	maxIdempotencyKey = 100
	idempotencyWindow = 24 * time.Hour
)

// Request is one request the fake received.
type Request = fakeapi.Request

// Email is one transactional email Loops sent.
type Email struct {
	TransactionalID string
	To              string
	DataVariables   map[string]any
}

// Event is one event Loops received.
type Event struct {
	Name       string
	Email      string
	UserID     string
	Properties map[string]any
}

// Server is a fake Loops API. Its methods are safe for concurrent use.
type Server struct {
	*fakeapi.Server

	apiKey        string
	transactional map[string][]string
	properties    map[string]bool

	mu       sync.Mutex
	emails   []Email
	events   []Event
	contacts []map[string]any
	keys     map[string]time.Time
}

// Option configures a Server.
type Option func(*Server)

// WithAPIKey sets the API key the fake accepts.
func WithAPIKey(key string) Option { return func(s *Server) { s.apiKey = key } }

// WithTransactional adds a published transactional email and the data
// variables it requires.
func WithTransactional(id string, required ...string) Option {
	return func(s *Server) { s.transactional[id] = required }
}

// WithContactProperties adds custom contact properties the account has
// created; Loops refuses others.
func WithContactProperties(names ...string) Option {
	return func(s *Server) {
		for _, n := range names {
			s.properties[n] = true
		}
	}
}

// defaultProperties are the contact properties every Loops account has.
var defaultProperties = []string{"email", "userId", "firstName", "lastName", "source", "subscribed", "userGroup", "mailingLists"}

// New starts a fake. If t is not nil the server is closed when the test
// ends; otherwise call Close.
func New(t testing.TB, opts ...Option) *Server {
	s := &Server{apiKey: APIKey, transactional: map[string][]string{}, properties: map[string]bool{}, keys: map[string]time.Time{}}
	for _, n := range defaultProperties {
		s.properties[n] = true
	}
	for _, opt := range opts {
		opt(s)
	}
	s.Server = fakeapi.Start(fakeapi.Config{}, s.handle)
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// Credentials returns credentials for the loops integration that this
// fake accepts.
func (s *Server) Credentials() hookbridge.Credentials {
	return hookbridge.Credentials{"api_key": s.apiKey}
}

// Emails returns the transactional emails sent, in order.
func (s *Server) Emails() []Email {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.emails)
}

// Events returns the events received, in order.
func (s *Server) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.events)
}

// RateLimitNext makes the next n requests fail as Loops' rate limit does:
// 429 with x-ratelimit-limit and x-ratelimit-remaining.
func (s *Server) RateLimitNext(n int, retryAfter time.Duration) {
	body, _ := json.Marshal(map[string]any{"success": false, "message": "Rate limit exceeded."})
	s.RateLimitNextWith(n, retryAfter, http.Header{"Content-Type": {"application/json"},
		"X-Ratelimit-Limit": {"10"}, "X-Ratelimit-Remaining": {"0"}}, body)
}

func fail(status int, message string) fakeapi.Response {
	return fakeapi.JSONResponse(status, map[string]any{"success": false, "message": message})
}

func ok(extra ...string) fakeapi.Response {
	body := map[string]any{"success": true}
	if len(extra) == 2 {
		body[extra[0]] = extra[1]
	}
	return fakeapi.JSONResponse(http.StatusOK, body)
}

func (s *Server) handle(r *http.Request, body []byte) fakeapi.Response {
	if fakeapi.OtherHost(r, host) {
		return fail(http.StatusNotFound, "Not found")
	}
	if token, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); !found || token != s.apiKey {
		return fail(http.StatusUnauthorized, "Invalid API key")
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	if path == APIKeyPath {
		return testAPIKey(r)
	}
	route, known := routes[path]
	if !known {
		return fail(http.StatusNotFound, "Not found")
	}
	if r.Method != route.method {
		return fail(http.StatusMethodNotAllowed, "Method not allowed")
	}
	var obj map[string]any
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		return fail(http.StatusBadRequest, "Invalid JSON body.")
	}
	key, hasKey := r.Header["Idempotency-Key"]
	if !hasKey || !route.idempotent {
		return route.handle(s, obj)
	}
	return s.handleOnce(strings.Join(key, ","), route, obj)
}

// handleOnce refuses a key used in the last 24 hours with 409, and keeps
// the key of a request Loops took.
func (s *Server) handleOnce(key string, rt route, obj map[string]any) fakeapi.Response {
	if key == "" || len(key) > maxIdempotencyKey {
		return fail(http.StatusBadRequest, "Idempotency-Key must be between 1 and 100 characters.")
	}
	s.mu.Lock()
	at, used := s.keys[key]
	s.mu.Unlock()
	if used && time.Since(at) < idempotencyWindow {
		return fail(http.StatusConflict, "Idempotency key has already been used.")
	}
	resp := rt.handle(s, obj)
	if resp.Status < 300 {
		s.mu.Lock()
		s.keys[key] = time.Now()
		s.mu.Unlock()
	}
	return resp
}

type route struct {
	method     string
	idempotent bool
	handle     func(*Server, map[string]any) fakeapi.Response
}

var routes = map[string]route{
	"/api/v1/transactional":   {http.MethodPost, true, (*Server).sendTransactional},
	"/api/v1/events/send":     {http.MethodPost, true, (*Server).sendEvent},
	"/api/v1/contacts/update": {http.MethodPut, false, (*Server).updateContact},
}

func (s *Server) sendTransactional(obj map[string]any) fakeapi.Response {
	id, _ := obj["transactionalId"].(string)
	email, _ := obj["email"].(string)
	if id == "" {
		return fail(http.StatusBadRequest, "transactionalId is required.")
	}
	if !mailaddr.Valid(email) {
		return fail(http.StatusBadRequest, "A valid email address is required.")
	}
	required, known := s.transactional[id]
	if !known {
		return fail(http.StatusNotFound, "Transactional email not found.")
	}
	vars, isObj := obj["dataVariables"].(map[string]any)
	if obj["dataVariables"] != nil && !isObj {
		return fail(http.StatusBadRequest, "dataVariables must be an object.")
	}
	if missing := missingVariables(required, vars); len(missing) > 0 {
		return fakeapi.JSONResponse(http.StatusBadRequest, map[string]any{"success": false, "path": "dataVariables",
			"message": "Missing required data variables: " + strings.Join(missing, ", ")})
	}
	for name, v := range vars {
		switch v.(type) {
		case string, float64, []any:
		default:
			return fail(http.StatusBadRequest, fmt.Sprintf("Data variable %q must be a string or a number.", name))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.emails = append(s.emails, Email{TransactionalID: id, To: email, DataVariables: vars})
	return ok()
}

func missingVariables(required []string, vars map[string]any) []string {
	var missing []string
	for _, name := range required {
		if _, ok := vars[name]; !ok {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	return missing
}

func (s *Server) sendEvent(obj map[string]any) fakeapi.Response {
	name, _ := obj["eventName"].(string)
	if name == "" || strings.Contains(name, ":") {
		return fail(http.StatusBadRequest, "eventName is required and may not contain colons.")
	}
	email, userID, msg := identity(obj)
	if msg != "" {
		return fail(http.StatusBadRequest, msg)
	}
	props, _ := obj["eventProperties"].(map[string]any)
	for prop, v := range props {
		switch v.(type) {
		case string, float64, bool:
		default:
			return fail(http.StatusBadRequest, fmt.Sprintf("Event property %q must be a string, number, boolean or date.", prop))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, Event{Name: name, Email: email, UserID: userID, Properties: props})
	return ok()
}

func (s *Server) updateContact(obj map[string]any) fakeapi.Response {
	if _, _, msg := identity(obj); msg != "" {
		return fail(http.StatusBadRequest, msg)
	}
	for _, name := range sortedNames(obj) {
		if !s.properties[name] {
			return fail(http.StatusBadRequest, fmt.Sprintf("Invalid contact property %q: create it in Loops first.", name))
		}
		switch obj[name].(type) {
		case string, float64, bool, nil:
		case map[string]any:
			if name != "mailingLists" {
				return fail(http.StatusBadRequest, fmt.Sprintf("Contact property %q must be a string, number, boolean or date.", name))
			}
		default:
			return fail(http.StatusBadRequest, fmt.Sprintf("Contact property %q must be a string, number, boolean or date.", name))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.contacts = append(s.contacts, obj)
	return ok("id", fmt.Sprintf("fake-contact-%d", len(s.contacts)))
}

// identity reads email and userId; msg says why they do not identify a
// contact.
func identity(obj map[string]any) (email, userID, msg string) {
	email, _ = obj["email"].(string)
	userID, _ = obj["userId"].(string)
	switch {
	case email == "" && userID == "":
		return "", "", "An email or userId is required."
	case email != "" && !mailaddr.Valid(email):
		return "", "", "Invalid email address."
	}
	return email, userID, ""
}

func sortedNames(m map[string]any) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// Contacts returns the contact updates received, in order.
func (s *Server) Contacts() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.contacts)
}

// APIKeyPath is Loops' "test your API key" call: GET, answered
// {"success": true, "teamName": …} for a good key (a bad one is 401 like
// every call).
const APIKeyPath = "/api/v1/api-key"

// TeamName is the team the fake's API key belongs to.
const TeamName = "Test team"

func testAPIKey(r *http.Request) fakeapi.Response {
	if r.Method != http.MethodGet {
		return fail(http.StatusMethodNotAllowed, "Method not allowed")
	}
	return ok("teamName", TeamName)
}
