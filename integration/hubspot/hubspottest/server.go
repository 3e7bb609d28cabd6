package hubspottest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/fakeapi"
)

// Token is the access token of a fake made without WithToken.
const Token = "pat-na1-11111111-2222-3333-4444-555555555555"

// PortalID is the fake account's Hub ID.
const PortalID = "1234567"

// The scopes each endpoint needs.
const (
	ScopeContactsWrite = "crm.objects.contacts.write"
	ScopeEventsSend    = "analytics.behavioral_events.send"
)

// HubSpot's limits the fake enforces.
const (
	maxInputs          = 100
	maxEventProperties = 50
	maxEventValue      = 50
	defaultLimit       = 100
	defaultWindow      = 10 * time.Second
)

var (
	contactsUpsertPath = regexp.MustCompile(`^/crm/(v3/objects|objects/\d{4}-\d{2})/contacts/batch/upsert/?$`)
	eventSendPath      = regexp.MustCompile(`^/events/(v3|\d{4}-\d{2})/send/?$`)
	taskCreatePath     = regexp.MustCompile(`^/crm/(v3/objects|objects/\d{4}-\d{2})/tasks/?$`)
	uuidPattern        = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	emailPattern       = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// Request is one request the fake received.
type Request = fakeapi.Request

// Occurrence is one custom event occurrence HubSpot kept.
type Occurrence struct {
	EventName  string
	Email      string
	UUID       string
	OccurredAt string
	Properties map[string]any
}

// Task is a task HubSpot created.
type Task struct {
	ID         string
	Properties map[string]any
}

// Server is a fake HubSpot API. Its methods are safe for concurrent use.
type Server struct {
	*fakeapi.Server

	token        string
	scopes       []string
	contactProps map[string]Property
	events       map[string]EventDefinition
	limit        int
	window       time.Duration

	mu          sync.Mutex
	calls       []time.Time
	contacts    map[string]map[string]any
	contactIDs  map[string]string
	occurrences []Occurrence
	duplicates  []Occurrence
	seenUUIDs   map[string]bool
	tasks       []Task
	nextID      int
}

// Option configures a Server.
type Option func(*Server)

// WithToken sets the access token the fake accepts.
func WithToken(token string) Option { return func(s *Server) { s.token = token } }

// WithScopes sets the private app's scopes (both by default).
func WithScopes(scopes ...string) Option { return func(s *Server) { s.scopes = scopes } }

// WithContactProperties replaces the account's contact properties.
func WithContactProperties(props ...Property) Option {
	return func(s *Server) { s.contactProps = propertyMap(props) }
}

// WithEvents replaces the account's custom event definitions.
func WithEvents(defs ...EventDefinition) Option {
	return func(s *Server) {
		s.events = map[string]EventDefinition{}
		for _, d := range defs {
			s.events[d.Name] = d
		}
	}
}

// WithRateLimit sets the rolling limit: n requests per window.
func WithRateLimit(n int, window time.Duration) Option {
	return func(s *Server) { s.limit, s.window = n, window }
}

// New starts a fake HubSpot API. If t is not nil the server is closed when
// the test ends; otherwise call Close.
func New(t testing.TB, opts ...Option) *Server {
	s := &Server{
		token: Token, scopes: []string{ScopeContactsWrite, ScopeEventsSend},
		contactProps: propertyMap(DefaultContactProperties()),
		limit:        defaultLimit, window: defaultWindow,
		contacts: map[string]map[string]any{}, contactIDs: map[string]string{}, seenUUIDs: map[string]bool{},
	}
	WithEvents(DefaultEvents()...)(s)
	for _, opt := range opts {
		opt(s)
	}
	s.Server = fakeapi.Start(fakeapi.Config{}, s.handle)
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

func propertyMap(props []Property) map[string]Property {
	m := map[string]Property{}
	for _, p := range props {
		m[p.Name] = p
	}
	return m
}

// Credentials returns credentials for the hubspot integration that this
// fake accepts.
func (s *Server) Credentials() hookbridge.Credentials {
	return hookbridge.Credentials{"access_token": s.token}
}

// RateLimitNextWithPolicy makes the next n requests answer 429 as HubSpot
// does when the named policy's limit is reached.
func (s *Server) RateLimitNextWithPolicy(n int, policy string) {
	body, _ := json.Marshal(map[string]string{
		"status": "error", "message": fmt.Sprintf("You have reached your %s limit.", strings.ToLower(policy)),
		"errorType": "RATE_LIMIT", "correlationId": "00000000-0000-4000-8000-000000000429", "policyName": policy,
	})
	s.RespondNext(n, http.StatusTooManyRequests, http.Header{"Content-Type": {"application/json"}}, body)
}

// Contact returns the properties of the contact with email.
func (s *Server) Contact(email string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.contacts[strings.ToLower(email)]
	return maps.Clone(c), ok
}

// Contacts returns how many contacts the account holds.
func (s *Server) Contacts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.contacts)
}

// Occurrences returns the custom event occurrences kept, duplicates
// excluded.
func (s *Server) Occurrences() []Occurrence {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.occurrences)
}

// Duplicates returns occurrences sent again with a uuid already kept.
func (s *Server) Duplicates() []Occurrence {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.duplicates)
}

// Tasks returns the tasks created.
func (s *Server) Tasks() []Task {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.tasks)
}

func (s *Server) handle(r *http.Request, body []byte) fakeapi.Response {
	if r.URL.Path == AccountInfoPath {
		return s.accountInfo(r)
	}
	route, scope := s.route(r.URL.Path)
	if route == nil {
		return apiError(http.StatusNotFound, "OBJECT_NOT_FOUND", "Resource not found", nil)
	}
	if resp, ok := s.authorize(r, scope); !ok {
		return resp
	}
	if resp, ok := s.admit(); !ok {
		return resp
	}
	if r.Method != http.MethodPost {
		return apiError(http.StatusMethodNotAllowed, "VALIDATION_ERROR", "Method not allowed", nil)
	}
	if !fakeapi.IsJSONContentType(r.Header.Get("Content-Type")) {
		return apiError(http.StatusUnsupportedMediaType, "VALIDATION_ERROR", "Content-Type must be application/json", nil)
	}
	var top map[string]any
	if err := json.Unmarshal(body, &top); err != nil || top == nil {
		return apiError(http.StatusBadRequest, "VALIDATION_ERROR", "Invalid input JSON on line 1: the body is not a JSON object", nil)
	}
	return route(top)
}

// route finds the handler of a path and the scope it needs.
func (s *Server) route(path string) (func(map[string]any) fakeapi.Response, string) {
	switch {
	case contactsUpsertPath.MatchString(path):
		return s.upsertContacts, ScopeContactsWrite
	case eventSendPath.MatchString(path):
		return s.sendEvent, ScopeEventsSend
	case taskCreatePath.MatchString(path):
		return s.createTask, ScopeContactsWrite
	}
	return nil, ""
}

func (s *Server) authorize(r *http.Request, scope string) (fakeapi.Response, bool) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		return apiError(http.StatusUnauthorized, "INVALID_AUTHENTICATION",
			"Authentication credentials not found. This API supports OAuth 2.0 authentication and private app access tokens.", nil), false
	}
	if token != s.token {
		return apiError(http.StatusUnauthorized, "INVALID_AUTHENTICATION", "The access token provided is invalid or has expired.", nil), false
	}
	if !slices.Contains(s.scopes, scope) {
		return apiError(http.StatusForbidden, "MISSING_SCOPES",
			"This app hasn't been granted all required scopes to make this call.",
			[]map[string]any{{"message": "One or more of the following scopes are required.", "context": map[string]any{"requiredGranularScopes": []string{scope}}}}), false
	}
	return fakeapi.Response{}, true
}

// admit counts the request against the rolling limit.
func (s *Server) admit() (fakeapi.Response, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	kept := s.calls[:0]
	for _, at := range s.calls {
		if now.Sub(at) < s.window {
			kept = append(kept, at)
		}
	}
	s.calls = kept
	if len(s.calls) >= s.limit {
		return fakeapi.JSONResponse(http.StatusTooManyRequests, map[string]string{
			"status": "error", "message": "You have reached your ten_secondly_rolling limit.",
			"errorType": "RATE_LIMIT", "correlationId": "00000000-0000-4000-8000-000000000429", "policyName": "TEN_SECONDLY_ROLLING",
		}), false
	}
	s.calls = append(s.calls, now)
	return fakeapi.Response{}, true
}

func apiError(status int, category, message string, errs []map[string]any) fakeapi.Response {
	body := map[string]any{"status": "error", "message": message, "category": category, "correlationId": "00000000-0000-4000-8000-000000000000"}
	if errs != nil {
		body["errors"] = errs
	}
	return fakeapi.JSONResponse(status, body)
}

// propertyErrors answers 400 as HubSpot does for properties it cannot
// set.
func propertyErrors(errs []map[string]any) fakeapi.Response {
	detail, _ := json.Marshal(errs)
	return apiError(http.StatusBadRequest, "VALIDATION_ERROR", "Property values were not valid: "+string(detail), nil)
}

func (s *Server) upsertContacts(top map[string]any) fakeapi.Response {
	inputs, ok := top["inputs"].([]any)
	switch {
	case !ok || len(inputs) == 0:
		return apiError(http.StatusBadRequest, "VALIDATION_ERROR", "Invalid input JSON: inputs must be a non-empty list", nil)
	case len(inputs) > maxInputs:
		return apiError(http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("Batch input size %d is greater than the limit of %d", len(inputs), maxInputs), nil)
	}
	var contacts []upsert
	seen := map[string]bool{}
	for _, item := range inputs {
		u, resp, ok := s.readInput(item)
		if !ok {
			return resp
		}
		if seen[u.email] {
			return apiError(http.StatusBadRequest, "VALIDATION_ERROR", "Duplicate IDs found in batch input: ["+u.email+"]. IDs must be unique", nil)
		}
		seen[u.email] = true
		contacts = append(contacts, u)
	}
	return fakeapi.JSONResponse(http.StatusOK, s.store(contacts))
}

// upsert is one contact of an accepted batch.
type upsert struct {
	email      string
	properties map[string]any
}

func (s *Server) readInput(item any) (upsert, fakeapi.Response, bool) {
	input, _ := item.(map[string]any)
	idProperty, _ := input["idProperty"].(string)
	id, _ := input["id"].(string)
	switch {
	case idProperty == "":
		return upsert{}, apiError(http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("Could not find contact with hs_object_id %q: ids without an idProperty are record ids", id), nil), false
	case idProperty != "email":
		return upsert{}, apiError(http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("Property %q is not a unique identifier property for contacts", idProperty), nil), false
	case !emailPattern.MatchString(strings.TrimSpace(id)):
		return upsert{}, apiError(http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("Email address %q is invalid", id), nil), false
	}
	props, _ := input["properties"].(map[string]any)
	if errs := s.checkProperties(s.contactProps, props); len(errs) > 0 {
		return upsert{}, propertyErrors(errs), false
	}
	return upsert{email: strings.ToLower(strings.TrimSpace(id)), properties: props}, fakeapi.Response{}, true
}

// checkProperties lists HubSpot's errors for properties defs cannot take.
func (s *Server) checkProperties(defs map[string]Property, props map[string]any) []map[string]any {
	var errs []map[string]any
	for _, name := range slices.Sorted(maps.Keys(props)) {
		def, ok := defs[name]
		if !ok {
			errs = append(errs, map[string]any{"isValid": false, "message": fmt.Sprintf("Property \"%s\" does not exist", name), "error": "PROPERTY_DOESNT_EXIST", "name": name})
			continue
		}
		if code, msg := def.valueError(props[name]); code != "" {
			errs = append(errs, map[string]any{"isValid": false, "message": msg, "error": code, "name": name})
		}
	}
	return errs
}

// store keeps the contacts and returns the batch's answer.
func (s *Server) store(contacts []upsert) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now().UTC().Format(time.RFC3339Nano)
	var results []map[string]any
	for _, u := range contacts {
		existing, found := s.contacts[u.email]
		if !found {
			s.nextID++
			existing = map[string]any{"email": u.email}
			s.contacts[u.email] = existing
			s.contactIDs[u.email] = strconv.Itoa(s.nextID)
		}
		maps.Copy(existing, u.properties)
		results = append(results, map[string]any{
			"id": s.contactIDs[u.email], "properties": maps.Clone(existing), "new": !found,
			"createdAt": now, "updatedAt": now, "archived": false,
		})
	}
	return map[string]any{"status": "COMPLETE", "results": results, "startedAt": now, "completedAt": now}
}

func (s *Server) sendEvent(top map[string]any) fakeapi.Response {
	name, _ := top["eventName"].(string)
	def, ok := s.events[name]
	if !ok {
		return apiError(http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("Event definition %q was not found in portal %s", name, PortalID), nil)
	}
	email, _ := top["email"].(string)
	utk, _ := top["utk"].(string)
	objectID := top["objectId"]
	if email == "" && utk == "" && objectID == nil {
		return apiError(http.StatusBadRequest, "VALIDATION_ERROR", "One of email, utk or objectId is required to associate the event", nil)
	}
	occurredAt, _ := top["occurredAt"].(string)
	if v, ok := top["occurredAt"]; ok && !isTime(v) {
		return apiError(http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("occurredAt %v is not a valid timestamp", v), nil)
	}
	id, _ := top["uuid"].(string)
	if _, ok := top["uuid"]; ok && !uuidPattern.MatchString(id) {
		return apiError(http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("uuid %v is not a valid UUID", top["uuid"]), nil)
	}
	props, _ := top["properties"].(map[string]any)
	if msg := eventPropertyError(def, props); msg != "" {
		return apiError(http.StatusBadRequest, "VALIDATION_ERROR", msg, nil)
	}
	s.keep(Occurrence{EventName: name, Email: email, UUID: id, OccurredAt: occurredAt, Properties: props})
	return fakeapi.Response{Status: http.StatusNoContent}
}

// eventPropertyError says why HubSpot refuses an event's properties.
func eventPropertyError(def EventDefinition, props map[string]any) string {
	if len(props) > maxEventProperties {
		return fmt.Sprintf("An event occurrence can have at most %d properties; got %d", maxEventProperties, len(props))
	}
	for _, name := range slices.Sorted(maps.Keys(props)) {
		if !slices.Contains(def.Properties, name) {
			return fmt.Sprintf("Property %q does not exist on event %s", name, def.Name)
		}
		switch v := props[name].(type) {
		case string:
			if len([]rune(v)) > maxEventValue {
				return fmt.Sprintf("Value of property %q is longer than %d characters", name, maxEventValue)
			}
		case map[string]any, []any:
			return fmt.Sprintf("Value of property %q must be a string, number or boolean", name)
		}
	}
	return ""
}

func (s *Server) keep(o Occurrence) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o.UUID != "" && s.seenUUIDs[o.UUID] {
		s.duplicates = append(s.duplicates, o)
		return
	}
	if o.UUID != "" {
		s.seenUUIDs[o.UUID] = true
	}
	s.occurrences = append(s.occurrences, o)
}

func (s *Server) createTask(top map[string]any) fakeapi.Response {
	props, ok := top["properties"].(map[string]any)
	if !ok {
		return apiError(http.StatusBadRequest, "VALIDATION_ERROR", "Invalid input JSON: properties is required", nil)
	}
	if _, ok := props["hs_timestamp"]; !ok {
		return propertyErrors([]map[string]any{{"isValid": false, "message": "hs_timestamp is required", "error": "REQUIRED_PROPERTY", "name": "hs_timestamp"}})
	}
	if errs := s.checkProperties(propertyMap(taskProperties()), props); len(errs) > 0 {
		return propertyErrors(errs)
	}
	s.mu.Lock()
	s.nextID++
	task := Task{ID: strconv.Itoa(s.nextID), Properties: props}
	s.tasks = append(s.tasks, task)
	s.mu.Unlock()
	now := time.Now().UTC().Format(time.RFC3339Nano)
	return fakeapi.JSONResponse(http.StatusCreated, map[string]any{"id": task.ID, "properties": props, "createdAt": now, "updatedAt": now, "archived": false})
}

// AccountInfoPath is HubSpot's account details read: any valid token may
// make it, whatever its scopes.
const AccountInfoPath = "/account-info/v3/details"

// accountInfo answers GET AccountInfoPath: the account's portal id and
// where its data is hosted, to a valid token.
func (s *Server) accountInfo(r *http.Request) fakeapi.Response {
	if r.Method != http.MethodGet {
		return apiError(http.StatusMethodNotAllowed, "VALIDATION_ERROR", "Method not allowed", nil)
	}
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if token == "" || token != s.token {
		return apiError(http.StatusUnauthorized, "INVALID_AUTHENTICATION", "The access token provided is invalid or has expired.", nil)
	}
	if resp, ok := s.admit(); !ok {
		return resp
	}
	portal, _ := strconv.Atoi(PortalID)
	return fakeapi.JSONResponse(http.StatusOK, map[string]any{
		"portalId": portal, "accountType": "STANDARD", "timeZone": "US/Eastern",
		"companyCurrency": "USD", "dataHostingLocation": "na1", "uiDomain": "app.hubspot.com",
	})
}
