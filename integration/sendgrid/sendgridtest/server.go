// Package sendgridtest is a fake Twilio SendGrid v3 Mail Send API for
// tests: it checks the API key (and that an EU subuser's key is used on
// the EU host), the request's required fields and limits, the sender's
// verification and the Dynamic Template ids, and answers as SendGrid does:
// 202 with no body, or a status with {"errors": [{message, field, help}]}.
// SendGrid has no idempotency key: a request sent twice sends twice.
package sendgridtest

import (
	"encoding/json"
	"fmt"
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
	"github.com/hookbridge/hookbridge/integration/internal/mailaddr"
)

// APIKey is the API key of a fake made without WithAPIKey.
const APIKey = "SG.test-key-id.test-key-secret"

// VerifiedDomain is the authenticated sending domain of a fake made
// without WithVerifiedDomains: the templates' example domain.
const VerifiedDomain = "example.com"

const (
	hostGlobal = "api.sendgrid.com"
	hostEU     = "api.eu.sendgrid.com"

	maxPersonalizations = 1000
	maxRecipients       = 1000
)

var dynamicTemplateID = regexp.MustCompile(`^d-[0-9a-f]{32}$`)

// Request is one request the fake received.
type Request = fakeapi.Request

// Message is one email SendGrid accepted: one personalization of a
// request.
type Message struct {
	MessageID  string
	From       string
	To         []string
	Subject    string
	HTML       string
	Text       string
	TemplateID string
	Data       map[string]any
}

// Server is a fake SendGrid API. Its methods are safe for concurrent use.
type Server struct {
	*fakeapi.Server

	apiKey, region string
	domains        []string
	templates      []string
	scopes         []string

	mu     sync.Mutex
	sent   []Message
	nextID int
}

// Option configures a Server.
type Option func(*Server)

// WithAPIKey sets the API key the fake accepts.
func WithAPIKey(key string) Option { return func(s *Server) { s.apiKey = key } }

// WithRegion makes the key an EU subuser's ("eu") or a global one's
// ("global", the default).
func WithRegion(region string) Option { return func(s *Server) { s.region = region } }

// WithVerifiedDomains sets the domains the account may send from.
func WithVerifiedDomains(domains ...string) Option {
	return func(s *Server) { s.domains = domains }
}

// WithTemplates sets the Dynamic Templates the account has (none by
// default).
func WithTemplates(ids ...string) Option { return func(s *Server) { s.templates = ids } }

// WithScopes sets the permissions of the key, as GET /v3/scopes lists
// them (by default mail.send alone).
func WithScopes(scopes ...string) Option { return func(s *Server) { s.scopes = scopes } }

// ScopesPath lists the permissions of the key that calls it.
const ScopesPath = "/v3/scopes"

// New starts a fake. If t is not nil the server is closed when the test
// ends; otherwise call Close.
func New(t testing.TB, opts ...Option) *Server {
	s := &Server{apiKey: APIKey, region: "global", domains: []string{VerifiedDomain}, scopes: []string{"mail.send"}}
	for _, opt := range opts {
		opt(s)
	}
	s.Server = fakeapi.Start(fakeapi.Config{RateLimitHeaders: rateLimitHeaders}, s.handle)
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// rateLimitHeaders are SendGrid's rate limit headers.
func rateLimitHeaders(retryAfter time.Duration, now time.Time) http.Header {
	reset := now.Add(retryAfter).Add(time.Second - 1).Unix()
	return http.Header{"X-Ratelimit-Limit": {"600"}, "X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {strconv.FormatInt(reset, 10)}}
}

// Credentials returns credentials for the sendgrid integration that this
// fake accepts.
func (s *Server) Credentials() hookbridge.Credentials {
	return hookbridge.Credentials{"api_key": s.apiKey, "region": s.region}
}

// Sent returns the emails accepted, one per personalization, in order.
func (s *Server) Sent() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

// RateLimitNext makes the next n requests fail as SendGrid's rate limit
// does: 429 with X-RateLimit-Reset and an errors body.
func (s *Server) RateLimitNext(n int, retryAfter time.Duration) {
	body, _ := json.Marshal(errorsBody("", "too many requests"))
	s.RateLimitNextWith(n, retryAfter, http.Header{"Content-Type": {"application/json"}}, body)
}

type apiError struct {
	Message string  `json:"message"`
	Field   *string `json:"field"`
	Help    any     `json:"help"`
}

func errorsBody(field, message string) map[string][]apiError {
	e := apiError{Message: message}
	if field != "" {
		e.Field = &field
	}
	return map[string][]apiError{"errors": {e}}
}

func fail(status int, field, message string) fakeapi.Response {
	return fakeapi.JSONResponse(status, errorsBody(field, message))
}

func (s *Server) handle(r *http.Request, body []byte) fakeapi.Response {
	if fakeapi.OtherHost(r, hostGlobal, hostEU) {
		return fail(http.StatusNotFound, "", "not found")
	}
	host := fakeapi.RequestHost(r)
	if resp, ok := s.authenticate(r, host); !ok {
		return resp
	}
	if strings.TrimSuffix(r.URL.Path, "/") == ScopesPath && r.Method == http.MethodGet {
		return fakeapi.JSONResponse(http.StatusOK, map[string][]string{"scopes": s.scopes})
	}
	if strings.TrimSuffix(r.URL.Path, "/") != "/v3/mail/send" {
		return fail(http.StatusNotFound, "", "not found")
	}
	if r.Method != http.MethodPost {
		return fail(http.StatusMethodNotAllowed, "", "method not allowed")
	}
	var mail map[string]any
	if err := json.Unmarshal(body, &mail); err != nil || mail == nil {
		return fail(http.StatusBadRequest, "", "Bad Request")
	}
	if field, msg := s.check(mail); msg != "" {
		return fail(http.StatusBadRequest, field, msg)
	}
	if from := mailaddr.Domain(str(obj(mail["from"])["email"])); !slices.Contains(s.domains, from) {
		return fail(http.StatusForbidden, "from", "The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.")
	}
	id := s.keep(mail)
	return fakeapi.Response{Status: http.StatusAccepted, Header: http.Header{"X-Message-Id": {id}}}
}

func (s *Server) authenticate(r *http.Request, host string) (fakeapi.Response, bool) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	keyHost := hostGlobal
	if s.region == "eu" {
		keyHost = hostEU
	}
	if host == "" {
		host = keyHost // reached by address: taken as the key's own host
	}
	if !ok || token != s.apiKey || host != keyHost {
		return fail(http.StatusUnauthorized, "", "The provided authorization grant is invalid, expired, or revoked"), false
	}
	return fakeapi.Response{}, true
}

// check applies Mail Send's rules; a message names what is refused.
func (s *Server) check(mail map[string]any) (field, message string) {
	ps, ok := mail["personalizations"].([]any)
	if !ok || len(ps) == 0 {
		return "personalizations", "The personalizations field is required and must have at least one personalization."
	}
	if len(ps) > maxPersonalizations {
		return "personalizations", fmt.Sprintf("The personalization block is limited to 1000 personalizations per API request. You have provided %d personalizations.", len(ps))
	}
	total := 0
	for i, p := range ps {
		n, field, msg := checkPersonalization(i, obj(p))
		if msg != "" {
			return field, msg
		}
		total += n
	}
	if total > maxRecipients {
		return "personalizations", "There is a limit of 1000 total recipients (to + cc + bcc) per request."
	}
	from := obj(mail["from"])
	if from == nil || !mailaddr.Valid(str(from["email"])) {
		return "from.email", "The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter."
	}
	if id, ok := mail["template_id"]; ok {
		if !dynamicTemplateID.MatchString(str(id)) || !slices.Contains(s.templates, str(id)) {
			return "template_id", "The template_id must be a valid GUID, you provided '" + str(id) + "'."
		}
		return "", ""
	}
	if str(mail["subject"]) == "" && !everySubject(ps) {
		return "subject", "The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined."
	}
	return checkContent(mail["content"])
}

func checkPersonalization(i int, p map[string]any) (int, string, string) {
	field := fmt.Sprintf("personalizations.%d", i)
	to, ok := p["to"].([]any)
	if !ok || len(to) == 0 {
		return 0, field + ".to", "The to array is required for all personalization objects, and must have at least one email object with a valid email address."
	}
	seen := map[string]bool{}
	count := 0
	for _, kind := range []string{"to", "cc", "bcc"} {
		list, _ := p[kind].([]any)
		if p[kind] != nil && list == nil {
			return 0, field + "." + kind, "Invalid type. Expected: array, given: " + fmt.Sprintf("%T", p[kind]) + "."
		}
		for j, r := range list {
			email := strings.ToLower(str(obj(r)["email"]))
			at := fmt.Sprintf("%s.%s.%d.email", field, kind, j)
			if !mailaddr.Valid(email) {
				return 0, at, "Does not contain a valid address."
			}
			if seen[email] {
				return 0, at, "Each email address in the personalization block should be unique between to, cc, and bcc. We found the first duplicate instance of [" + email + "] in the personalizations." + kind + " field."
			}
			seen[email] = true
			count++
		}
	}
	return count, "", ""
}

func everySubject(ps []any) bool {
	for _, p := range ps {
		if str(obj(p)["subject"]) == "" {
			return false
		}
	}
	return true
}

func checkContent(v any) (string, string) {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return "content", "Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required."
	}
	for i, c := range list {
		typ, value := str(obj(c)["type"]), str(obj(c)["value"])
		if typ == "" || value == "" {
			return fmt.Sprintf("content.%d", i), "The content value must be a string at least one character in length."
		}
		if typ == "text/plain" && i > 0 {
			return fmt.Sprintf("content.%d.type", i), "If present, text/plain content must be first, followed by text/html, followed by any other content."
		}
	}
	return "", ""
}

// keep records the accepted emails, one per personalization, and returns
// the request's X-Message-Id.
func (s *Server) keep(mail map[string]any) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	id := fmt.Sprintf("fake-msg-%06d", s.nextID)
	html, text := "", ""
	for _, c := range anyList(mail["content"]) {
		switch str(obj(c)["type"]) {
		case "text/html":
			html = str(obj(c)["value"])
		case "text/plain":
			text = str(obj(c)["value"])
		}
	}
	for _, p := range anyList(mail["personalizations"]) {
		pers := obj(p)
		var to []string
		for _, r := range anyList(pers["to"]) {
			to = append(to, str(obj(r)["email"]))
		}
		subject := str(pers["subject"])
		if subject == "" {
			subject = str(mail["subject"])
		}
		data, _ := pers["dynamic_template_data"].(map[string]any)
		s.sent = append(s.sent, Message{MessageID: id, From: str(obj(mail["from"])["email"]), To: to, Subject: subject,
			HTML: html, Text: text, TemplateID: str(mail["template_id"]), Data: data})
	}
	return id
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func anyList(v any) []any {
	l, _ := v.([]any)
	return l
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
