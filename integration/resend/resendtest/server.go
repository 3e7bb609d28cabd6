// Package resendtest is a fake Resend Email API for tests: it checks the
// API key, the emails' required fields and limits, the sender's domain,
// and answers with Resend's status codes and {statusCode, name, message}
// error bodies. It keeps Idempotency-Key answers as Resend does (for 24
// hours, per endpoint: the same key and body get the first answer and no
// second email; the same key with another body gets 409
// invalid_idempotent_request), and takes batches in strict or permissive
// validation mode.
package resendtest

import (
	"bytes"
	"crypto/sha256"
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
	"github.com/hookbridge/hookbridge/integration/internal/mailaddr"
)

// APIKey is the API key of a fake made without WithAPIKey.
const APIKey = "re_test_4kT9wQ2xLm7Vb3Nc"

// VerifiedDomain is the sending domain a fake made without
// WithVerifiedDomains has verified: the templates' example domain.
const VerifiedDomain = "example.com"

const (
	host              = "api.resend.com"
	maxRecipients     = 50
	maxBatch          = 100
	maxIdempotencyKey = 256
	idempotencyWindow = 24 * time.Hour
)

// Request is one request the fake received.
type Request = fakeapi.Request

// Email is one email Resend accepted for sending.
type Email struct {
	ID      string
	From    string
	To      []string
	Subject string
	HTML    string
	Text    string
	// Body is the email as sent.
	Body map[string]any
}

// Server is a fake Resend API. Its methods are safe for concurrent use.
type Server struct {
	*fakeapi.Server

	apiKey  string
	domains []string
	// sendingOnly makes the key a "Sending access" one.
	sendingOnly bool

	mu     sync.Mutex
	sent   []Email
	keys   map[string]replay
	nextID int
}

// replay is the answer kept for an idempotency key.
type replay struct {
	bodySum [32]byte
	answer  fakeapi.Response
	at      time.Time
}

// Option configures a Server.
type Option func(*Server)

// WithAPIKey sets the API key the fake accepts.
func WithAPIKey(key string) Option { return func(s *Server) { s.apiKey = key } }

// WithSendingAccess makes the key a "Sending access" key: it sends, and
// any other call is refused 401 restricted_api_key.
func WithSendingAccess() Option { return func(s *Server) { s.sendingOnly = true } }

// DomainsPath lists the account's domains (a full-access key's read).
const DomainsPath = "/domains"

// WithVerifiedDomains sets the domains the account may send from.
func WithVerifiedDomains(domains ...string) Option {
	return func(s *Server) { s.domains = domains }
}

// New starts a fake. If t is not nil the server is closed when the test
// ends; otherwise call Close.
func New(t testing.TB, opts ...Option) *Server {
	s := &Server{apiKey: APIKey, domains: []string{VerifiedDomain}, keys: map[string]replay{}}
	for _, opt := range opts {
		opt(s)
	}
	s.Server = fakeapi.Start(fakeapi.Config{RateLimitHeaders: rateLimitHeaders}, s.handle)
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// rateLimitHeaders are the headers of Resend's 429 answers besides
// Retry-After.
func rateLimitHeaders(retryAfter time.Duration, _ time.Time) http.Header {
	secs := strconv.Itoa(int((retryAfter + time.Second - 1) / time.Second))
	return http.Header{"Ratelimit-Limit": {"2"}, "Ratelimit-Remaining": {"0"}, "Ratelimit-Reset": {secs}}
}

// Credentials returns credentials for the resend integration that this
// fake accepts.
func (s *Server) Credentials() hookbridge.Credentials {
	return hookbridge.Credentials{"api_key": s.apiKey}
}

// Sent returns the emails accepted for sending, in order.
func (s *Server) Sent() []Email {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

// RateLimitNext makes the next n requests fail as Resend's rate limit
// does: 429 rate_limit_exceeded with Retry-After and ratelimit-* headers.
func (s *Server) RateLimitNext(n int, retryAfter time.Duration) {
	body, _ := json.Marshal(apiError(http.StatusTooManyRequests, "rate_limit_exceeded",
		"Too many requests. You can only make 2 requests per second. See rate limit response headers for more information."))
	s.RateLimitNextWith(n, retryAfter, http.Header{"Content-Type": {"application/json"}}, body)
}

type errorBody struct {
	StatusCode int    `json:"statusCode"`
	Name       string `json:"name"`
	Message    string `json:"message"`
}

func apiError(status int, name, message string) errorBody {
	return errorBody{StatusCode: status, Name: name, Message: message}
}

func fail(status int, name, message string) fakeapi.Response {
	return fakeapi.JSONResponse(status, apiError(status, name, message))
}

func (s *Server) handle(r *http.Request, body []byte) fakeapi.Response {
	if fakeapi.OtherHost(r, host) {
		return fail(http.StatusNotFound, "not_found", "The requested endpoint does not exist.")
	}
	if resp, ok := s.authenticate(r); !ok {
		return resp
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	if path == DomainsPath && r.Method == http.MethodGet {
		return s.listDomains()
	}
	if path != "/emails" && path != "/emails/batch" {
		return fail(http.StatusNotFound, "not_found", "The requested endpoint does not exist.")
	}
	if r.Method != http.MethodPost {
		return fail(http.StatusMethodNotAllowed, "method_not_allowed", "Method is not allowed for the requested path.")
	}
	key, hasKey := r.Header["Idempotency-Key"]
	if !hasKey {
		return s.send(path, r, body)
	}
	return s.sendOnce(path, strings.Join(key, ","), r, body)
}

func (s *Server) authenticate(r *http.Request) (fakeapi.Response, bool) {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return fail(http.StatusUnauthorized, "missing_api_key", "Missing API key in the authorization header. Include the following header in the request: Authorization: Bearer YOUR_API_KEY"), false
	}
	if token, ok := strings.CutPrefix(auth, "Bearer "); !ok || token != s.apiKey {
		return fail(http.StatusForbidden, "invalid_api_key", "API key is invalid"), false
	}
	return fakeapi.Response{}, true
}

// sendOnce answers a request with an Idempotency-Key: the first answer of
// the key is kept (unless it was a rate limit or a server error) and
// replayed to the same body.
func (s *Server) sendOnce(path, key string, r *http.Request, body []byte) fakeapi.Response {
	if key == "" || len(key) > maxIdempotencyKey {
		return fail(http.StatusBadRequest, "invalid_idempotency_key", "The key must be between 1-256 chars.")
	}
	sum := sha256.Sum256(body)
	scoped := path + "\x00" + key
	s.mu.Lock()
	prev, seen := s.keys[scoped]
	s.mu.Unlock()
	if seen && time.Since(prev.at) < idempotencyWindow {
		if prev.bodySum != sum {
			return fail(http.StatusConflict, "invalid_idempotent_request", "Same idempotency key used with a different request payload. Change your idempotency key or payload.")
		}
		return prev.answer
	}
	answer := s.send(path, r, body)
	if answer.Status < 500 && answer.Status != http.StatusTooManyRequests {
		s.mu.Lock()
		s.keys[scoped] = replay{bodySum: sum, answer: answer, at: time.Now()}
		s.mu.Unlock()
	}
	return answer
}

func (s *Server) send(path string, r *http.Request, body []byte) fakeapi.Response {
	if !fakeapi.IsJSONContentType(r.Header.Get("Content-Type")) {
		return fail(http.StatusUnprocessableEntity, "validation_error", "Invalid `Content-Type` header. Expected `application/json`.")
	}
	if path == "/emails/batch" {
		return s.sendBatch(r, body)
	}
	var email map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&email); err != nil || email == nil {
		return fail(http.StatusBadRequest, "validation_error", "Invalid JSON body: expected an object.")
	}
	if e := s.check(email, false); e != nil {
		return fakeapi.JSONResponse(e.StatusCode, e)
	}
	return fakeapi.JSONResponse(http.StatusOK, map[string]string{"id": s.keep(email).ID})
}

func (s *Server) sendBatch(r *http.Request, body []byte) fakeapi.Response {
	var emails []map[string]any
	if err := json.Unmarshal(body, &emails); err != nil {
		return fail(http.StatusBadRequest, "validation_error", "Invalid JSON body: expected an array of emails.")
	}
	if len(emails) == 0 || len(emails) > maxBatch {
		return fail(http.StatusUnprocessableEntity, "validation_error", fmt.Sprintf("The batch must hold between 1 and %d emails.", maxBatch))
	}
	permissive := strings.EqualFold(r.Header.Get("X-Batch-Validation"), "permissive")
	problems := make([]*errorBody, len(emails))
	for i, email := range emails {
		problems[i] = s.check(email, true)
		if problems[i] != nil && !permissive {
			return fakeapi.JSONResponse(problems[i].StatusCode, errorBody{StatusCode: problems[i].StatusCode,
				Name: problems[i].Name, Message: fmt.Sprintf("emails[%d]: %s", i, problems[i].Message)})
		}
	}
	data := []map[string]string{}
	type itemError struct {
		Index   int    `json:"index"`
		Message string `json:"message"`
	}
	errs := []itemError{}
	for i, email := range emails {
		if problems[i] != nil {
			errs = append(errs, itemError{Index: i, Message: problems[i].Message})
			continue
		}
		data = append(data, map[string]string{"id": s.keep(email).ID})
	}
	if !permissive {
		return fakeapi.JSONResponse(http.StatusOK, map[string]any{"data": data})
	}
	return fakeapi.JSONResponse(http.StatusOK, map[string]any{"data": data, "errors": errs})
}

// keep records an accepted email and gives it an id.
func (s *Server) keep(email map[string]any) Email {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	e := Email{
		ID:   fmt.Sprintf("4ef9a417-02e9-4d39-ad75-%012d", s.nextID),
		From: str(email["from"]), To: addresses(email["to"]), Subject: str(email["subject"]),
		HTML: str(email["html"]), Text: str(email["text"]), Body: email,
	}
	s.sent = append(s.sent, e)
	return e
}

// check applies Resend's rules to one email; nil means it is accepted.
func (s *Server) check(email map[string]any, inBatch bool) *errorBody {
	for _, field := range []string{"from", "to", "subject"} {
		if v, ok := email[field]; !ok || v == nil || v == "" {
			e := apiError(http.StatusUnprocessableEntity, "missing_required_field", fmt.Sprintf("Missing `%s` field.", field))
			return &e
		}
	}
	if _, _, ok := mailaddr.Split(str(email["from"])); !ok {
		e := apiError(http.StatusUnprocessableEntity, "invalid_from_address", "Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.")
		return &e
	}
	if e := checkAddresses("to", email["to"], maxRecipients); e != nil {
		return e
	}
	for _, field := range []string{"cc", "bcc", "reply_to"} {
		if v, ok := email[field]; ok {
			if e := checkAddresses(field, v, 0); e != nil {
				return e
			}
		}
	}
	if str(email["html"]) == "" && str(email["text"]) == "" && email["template"] == nil {
		e := apiError(http.StatusUnprocessableEntity, "missing_required_field", "Missing `html` or `text` field.")
		return &e
	}
	if e := checkTags(email["tags"]); e != nil {
		return e
	}
	if inBatch {
		for _, field := range []string{"attachments", "scheduled_at"} {
			if _, ok := email[field]; ok {
				e := apiError(http.StatusUnprocessableEntity, "validation_error", fmt.Sprintf("The `%s` field is not supported in batch emails.", field))
				return &e
			}
		}
	}
	if domain := mailaddr.Domain(str(email["from"])); !slices.Contains(s.domains, domain) {
		e := apiError(http.StatusForbidden, "validation_error", fmt.Sprintf("The %s domain is not verified. Please, add and verify your domain on https://resend.com/domains", domain))
		return &e
	}
	return nil
}

func checkAddresses(field string, v any, limit int) *errorBody {
	var list []string
	switch x := v.(type) {
	case string:
		list = []string{x}
	case []any:
		for _, item := range x {
			s, ok := item.(string)
			if !ok {
				e := apiError(http.StatusUnprocessableEntity, "validation_error", fmt.Sprintf("Invalid `%s` field: expected strings.", field))
				return &e
			}
			list = append(list, s)
		}
	default:
		e := apiError(http.StatusUnprocessableEntity, "validation_error", fmt.Sprintf("Invalid `%s` field: expected a string or an array of strings.", field))
		return &e
	}
	if limit > 0 && len(list) > limit {
		e := apiError(http.StatusUnprocessableEntity, "validation_error", fmt.Sprintf("Too many recipients in `%s`: the maximum is %d.", field, limit))
		return &e
	}
	for _, addr := range list {
		if _, _, ok := mailaddr.Split(addr); !ok {
			e := apiError(http.StatusUnprocessableEntity, "validation_error", fmt.Sprintf("Invalid `%s` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.", field))
			return &e
		}
	}
	return nil
}

func checkTags(v any) *errorBody {
	if v == nil {
		return nil
	}
	tags, ok := v.([]any)
	if !ok {
		e := apiError(http.StatusUnprocessableEntity, "validation_error", "Invalid `tags` field: expected an array.")
		return &e
	}
	for _, t := range tags {
		tag, _ := t.(map[string]any)
		for _, part := range []string{"name", "value"} {
			s, _ := tag[part].(string)
			if (part == "name" || tag[part] != nil) && !tagText(s) {
				e := apiError(http.StatusUnprocessableEntity, "validation_error", "Tags should only contain ASCII letters, numbers, underscores, or dashes.")
				return &e
			}
		}
	}
	return nil
}

func tagText(s string) bool {
	if s == "" || len(s) > 256 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func addresses(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, item := range x {
			out = append(out, str(item))
		}
		return out
	}
	return nil
}

// listDomains answers GET /domains: the verified domains to a
// full-access key, 401 restricted_api_key to a sending-access one.
func (s *Server) listDomains() fakeapi.Response {
	if s.sendingOnly {
		return fail(http.StatusUnauthorized, "restricted_api_key", "This API key is restricted to only send emails")
	}
	data := make([]map[string]any, len(s.domains))
	for i, d := range s.domains {
		data[i] = map[string]any{"id": fmt.Sprintf("d_%d", i+1), "name": d, "status": "verified", "region": "us-east-1"}
	}
	return fakeapi.JSONResponse(http.StatusOK, map[string]any{"object": "list", "has_more": false, "data": data})
}
