package discordtest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/fakeapi"
)

// The webhook a fake made without WithWebhook knows.
const (
	WebhookID    = "1180000000000000001"
	WebhookToken = "fake-token_Qx7Lm2Vr6Nt9Hb4Wc"
)

// Request is one request the fake received.
type Request = fakeapi.Request

// Message is a message a webhook posted.
type Message struct {
	WebhookID string
	// Body is the message as Discord read it.
	Body map[string]any
}

// Server is a fake Discord webhook API. Its methods are safe for
// concurrent use.
type Server struct {
	*fakeapi.Server

	webhooks map[string]string // id → token
	bucket   bucket

	mu       sync.Mutex
	limited  []limitFault
	messages []Message
	sent     map[string][]time.Time // per webhook, for the bucket
}

// bucket is a webhook's rate limit: Requests per Period; zero is none.
type bucket struct {
	requests int
	period   time.Duration
}

// limitFault is an injected 429.
type limitFault struct {
	retryAfter time.Duration
	header     bool
}

// Option configures a Server.
type Option func(*Server)

// WithWebhook makes the fake know a webhook (besides the default one).
func WithWebhook(id, token string) Option {
	return func(s *Server) { s.webhooks[id] = token }
}

// WithBucket rate-limits each webhook to requests per period, as Discord
// does (5 per 2 seconds): the request over it is answered 429.
func WithBucket(requests int, period time.Duration) Option {
	return func(s *Server) { s.bucket = bucket{requests: requests, period: period} }
}

// New starts a fake. If t is not nil the server is closed when the test
// ends; otherwise call Close.
func New(t testing.TB, opts ...Option) *Server {
	s := &Server{webhooks: map[string]string{WebhookID: WebhookToken}, sent: map[string][]time.Time{}}
	for _, opt := range opts {
		opt(s)
	}
	s.Server = fakeapi.Start(fakeapi.Config{}, s.handle)
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// WebhookURL returns the URL of the default webhook, on discord.com.
func WebhookURL() string {
	return "https://discord.com/api/webhooks/" + WebhookID + "/" + WebhookToken
}

// Credentials returns credentials for the discord integration that this
// fake accepts.
func (s *Server) Credentials() hookbridge.Credentials {
	return hookbridge.Credentials{"webhook_url": WebhookURL()}
}

// Messages returns the messages posted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.messages)
}

// RateLimitNext answers the next n requests as Discord answers one over
// a webhook's limit: 429, a JSON body whose retry_after is retryAfter in
// seconds (a float), and the Retry-After header in whole seconds, rounded
// up.
func (s *Server) RateLimitNext(n int, retryAfter time.Duration) {
	s.injectLimit(n, limitFault{retryAfter: retryAfter, header: true})
}

// RateLimitNextBodyOnly is RateLimitNext without the Retry-After header:
// the JSON body's retry_after is the only delay, which shows whether a
// client reads it.
func (s *Server) RateLimitNextBodyOnly(n int, retryAfter time.Duration) {
	s.injectLimit(n, limitFault{retryAfter: retryAfter})
}

func (s *Server) injectLimit(n int, f limitFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.limited = append(s.limited, f)
	}
}

// executePath matches /api[/vN]/webhooks/{id}/{token}.
var executePath = regexp.MustCompile(`^/api(?:/v\d+)?/webhooks/(\d+)/([^/]+)/?$`)

func (s *Server) handle(r *http.Request, body []byte) fakeapi.Response {
	m := executePath.FindStringSubmatch(r.URL.Path)
	if m == nil {
		return apiError(http.StatusNotFound, 0, "404: Not Found", nil)
	}
	id, token := m[1], m[2]
	if r.Method == http.MethodGet {
		return s.getWebhook(id, token)
	}
	if r.Method != http.MethodPost {
		return apiError(http.StatusMethodNotAllowed, 0, "405: Method Not Allowed", nil)
	}
	if resp, limited := s.rateLimited(id); limited {
		return resp
	}
	known, ok := s.webhooks[id]
	switch {
	case !ok:
		return apiError(http.StatusNotFound, 10015, "Unknown Webhook", nil)
	case token != known:
		return apiError(http.StatusUnauthorized, 50027, "Invalid Webhook Token", nil)
	}
	msg, resp, ok := readMessage(r, body)
	if !ok {
		return resp
	}
	s.mu.Lock()
	s.messages = append(s.messages, Message{WebhookID: id, Body: msg})
	s.mu.Unlock()
	if wait, _ := strconv.ParseBool(r.URL.Query().Get("wait")); !wait {
		return fakeapi.Response{Status: http.StatusNoContent}
	}
	return fakeapi.JSONResponse(http.StatusOK, savedMessage(id, msg))
}

// rateLimited answers an injected 429, or one over the webhook's bucket.
func (s *Server) rateLimited(id string) (fakeapi.Response, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.limited) > 0 {
		f := s.limited[0]
		s.limited = s.limited[1:]
		return tooManyRequests(f.retryAfter, f.header, s.bucket.requests), true
	}
	if s.bucket.requests <= 0 {
		return fakeapi.Response{}, false
	}
	now := time.Now()
	recent := slices.DeleteFunc(s.sent[id], func(t time.Time) bool { return now.Sub(t) >= s.bucket.period })
	if len(recent) >= s.bucket.requests {
		s.sent[id] = recent
		return tooManyRequests(recent[0].Add(s.bucket.period).Sub(now), true, s.bucket.requests), true
	}
	s.sent[id] = append(recent, now)
	return fakeapi.Response{}, false
}

// tooManyRequests is Discord's 429 for a webhook's shared bucket.
func tooManyRequests(retryAfter time.Duration, header bool, limit int) fakeapi.Response {
	secs := math.Round(retryAfter.Seconds()*1000) / 1000
	resp := fakeapi.JSONResponse(http.StatusTooManyRequests, map[string]any{
		"message": "You are being rate limited.", "retry_after": secs, "global": false,
	})
	resp.Header.Set("X-RateLimit-Limit", strconv.Itoa(max(limit, 5)))
	resp.Header.Set("X-RateLimit-Remaining", "0")
	resp.Header.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
	resp.Header.Set("X-RateLimit-Scope", "shared")
	if header {
		resp.Header.Set("Retry-After", strconv.Itoa(int(math.Ceil(retryAfter.Seconds()))))
	}
	return resp
}

// readMessage decodes and checks a message as Discord does.
func readMessage(r *http.Request, body []byte) (map[string]any, fakeapi.Response, bool) {
	if !fakeapi.IsJSONContentType(r.Header.Get("Content-Type")) {
		// Discord reads no JSON from another content type: the message is
		// empty.
		return nil, apiError(http.StatusBadRequest, 50006, "Cannot send an empty message", nil), false
	}
	var msg map[string]any
	if err := json.Unmarshal(body, &msg); err != nil || msg == nil {
		return nil, apiError(http.StatusBadRequest, 50109, "The request body contains invalid JSON.", nil), false
	}
	if errs := formErrors(msg); len(errs) > 0 {
		return nil, apiError(http.StatusBadRequest, 50035, "Invalid Form Body", errs), false
	}
	if isEmpty(msg) {
		return nil, apiError(http.StatusBadRequest, 50006, "Cannot send an empty message", nil), false
	}
	return msg, fakeapi.Response{}, true
}

func isEmpty(msg map[string]any) bool {
	content, _ := msg["content"].(string)
	embeds, _ := msg["embeds"].([]any)
	components, _ := msg["components"].([]any)
	return content == "" && len(embeds) == 0 && len(components) == 0 && msg["poll"] == nil
}

// formErrors builds Discord's error tree for a message over its limits:
// {"embeds": {"0": {"title": {"_errors": [{code, message}]}}}}.
func formErrors(msg map[string]any) map[string]any {
	errs := tree{}
	if content, ok := msg["content"]; ok && content != nil {
		text, isText := content.(string)
		errs.check(!isText, "BASE_TYPE_BAD_TYPE", "Must be a string.", "content")
		errs.maxLength(text, 2000, "content")
	}
	if name, ok := msg["username"]; ok {
		text, _ := name.(string)
		errs.check(utf8.RuneCountInString(text) < 1 || utf8.RuneCountInString(text) > 80,
			"BASE_TYPE_BAD_LENGTH", "Must be between 1 and 80 in length.", "username")
		lower := strings.ToLower(text)
		errs.check(strings.Contains(lower, "discord") || strings.Contains(lower, "clyde"),
			"USERNAME_INVALID_CONTAINS", "Username cannot contain \"discord\" or \"clyde\"", "username")
	}
	if raw, ok := msg["embeds"]; ok && raw != nil {
		embeds, isList := raw.([]any)
		errs.check(!isList, "BASE_TYPE_BAD_TYPE", "Must be an array.", "embeds")
		errs.check(len(embeds) > 10, "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.", "embeds")
		total := 0
		for i, e := range embeds {
			total += checkEmbed(errs, strconv.Itoa(i), e)
		}
		errs.check(total > 6000, "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000", "embeds")
	}
	return errs
}

// checkEmbed adds an embed's errors to errs and returns its text length.
func checkEmbed(errs tree, i string, raw any) int {
	e, ok := raw.(map[string]any)
	if !ok {
		errs.check(true, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType", "embeds", i)
		return 0
	}
	title, _ := e["title"].(string)
	description, _ := e["description"].(string)
	errs.maxLength(title, 256, "embeds", i, "title")
	errs.maxLength(description, 4096, "embeds", i, "description")
	total := utf8.RuneCountInString(title) + utf8.RuneCountInString(description)
	for _, sub := range []struct{ key, field string }{{"footer", "text"}, {"author", "name"}} {
		obj, _ := e[sub.key].(map[string]any)
		text, _ := obj[sub.field].(string)
		limit := 2048
		if sub.key == "author" {
			limit = 256
		}
		errs.maxLength(text, limit, "embeds", i, sub.key, sub.field)
		total += utf8.RuneCountInString(text)
	}
	if c, ok := e["color"]; ok && c != nil {
		n, isNumber := c.(float64)
		errs.check(!isNumber || n != math.Trunc(n), "NUMBER_TYPE_COERCE", fmt.Sprintf("Value \"%v\" is not int.", c), "embeds", i, "color")
		errs.check(isNumber && (n < 0 || n > 0xFFFFFF), "NUMBER_TYPE_MAX", "int value should be less than or equal to 16777215.", "embeds", i, "color")
	}
	if ts, ok := e["timestamp"].(string); ok {
		_, err := time.Parse(time.RFC3339Nano, ts)
		errs.check(err != nil, "DATE_TIME_TYPE_PARSE", "Could not parse "+ts+". Should be ISO8601.", "embeds", i, "timestamp")
	}
	fields, _ := e["fields"].([]any)
	errs.check(len(fields) > 25, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.", "embeds", i, "fields")
	for j, raw := range fields {
		f, _ := raw.(map[string]any)
		for _, part := range []struct {
			key   string
			limit int
		}{{"name", 256}, {"value", 1024}} {
			text, _ := f[part.key].(string)
			at := []string{"embeds", i, "fields", strconv.Itoa(j), part.key}
			errs.check(strings.TrimSpace(text) == "", "BASE_TYPE_REQUIRED", "This field is required", at...)
			errs.maxLength(text, part.limit, at...)
			total += utf8.RuneCountInString(text)
		}
	}
	return total
}

// tree is Discord's nested error object.
type tree map[string]any

// check adds an error at path when failed is true.
func (t tree) check(failed bool, code, message string, path ...string) {
	if !failed {
		return
	}
	node := map[string]any(t)
	for _, key := range path {
		child, ok := node[key].(map[string]any)
		if !ok {
			child = map[string]any{}
			node[key] = child
		}
		node = child
	}
	list, _ := node["_errors"].([]any)
	node["_errors"] = append(list, map[string]any{"code": code, "message": message})
}

func (t tree) maxLength(text string, limit int, path ...string) {
	t.check(utf8.RuneCountInString(text) > limit, "BASE_TYPE_MAX_LENGTH",
		fmt.Sprintf("Must be %d or fewer in length.", limit), path...)
}

// apiError is Discord's error answer.
func apiError(status, code int, message string, errs map[string]any) fakeapi.Response {
	body := map[string]any{"code": code, "message": message}
	if len(errs) > 0 {
		body["errors"] = errs
	}
	return fakeapi.JSONResponse(status, body)
}

// savedMessage is the message object of a wait=true answer.
func savedMessage(webhookID string, msg map[string]any) map[string]any {
	out := map[string]any{
		"id": strconv.FormatInt(time.Now().UnixNano(), 10), "type": 0, "channel_id": "1180000000000000100",
		"webhook_id": webhookID, "timestamp": time.Now().UTC().Format(time.RFC3339Nano),
		"content": "", "embeds": []any{},
	}
	for _, k := range []string{"content", "embeds"} {
		if v, ok := msg[k]; ok && v != nil {
			out[k] = v
		}
	}
	return out
}

// getWebhook answers GET /webhooks/{id}/{token} ("Get Webhook with
// Token"): the webhook object, without its user, to the right token; it
// posts nothing.
func (s *Server) getWebhook(id, token string) fakeapi.Response {
	known, ok := s.webhooks[id]
	switch {
	case !ok:
		return apiError(http.StatusNotFound, 10015, "Unknown Webhook", nil)
	case token != known:
		return apiError(http.StatusUnauthorized, 50027, "Invalid Webhook Token", nil)
	}
	return fakeapi.JSONResponse(http.StatusOK, map[string]any{
		"id": id, "type": 1, "name": "Payments", "channel_id": "1100000000000000001",
		"guild_id": "1100000000000000002", "application_id": nil, "token": token,
	})
}
