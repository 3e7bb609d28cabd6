package slacktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/fakeapi"
)

// Host is the host the fake stands in for.
const Host = "hooks.slack.com"

// The webhook a fake starts with.
const (
	Team    = "T0FAKE0001"
	Service = "B0FAKE0001"
	Token   = "fAkEt0kEnF0rT3sts0nly123"
)

// Channel states that change how a webhook answers.
const (
	stateOK = iota
	stateArchived
	stateDeleted
	stateProhibited
	stateRevoked
)

// Message is one message Slack posted.
type Message struct {
	// Webhook is the path of the webhook it came through.
	Webhook string
	Channel string
	Text    string
	Blocks  []map[string]any
	Body    map[string]any
}

// webhook is one incoming webhook the fake knows.
type webhook struct {
	team, service, token, channel string
	state                         int
	// allowance is how many messages it may post now (a token bucket of
	// one a second); last is when it was last refilled.
	allowance float64
	last      time.Time
}

// Server is a fake of Slack's incoming webhooks. Its methods are safe for
// concurrent use.
type Server struct {
	*fakeapi.Server

	burst int // 0: no rate limit

	mu       sync.Mutex
	hooks    map[string]*webhook // by team/service
	messages []Message
	next     int
}

// Option configures a Server.
type Option func(*options)

type options struct {
	burst   int
	latency time.Duration
}

// WithRateLimit makes each webhook take one message a second, with bursts
// of burst, and answer 429 with a Retry-After past that.
func WithRateLimit(burst int) Option { return func(o *options) { o.burst = max(burst, 1) } }

// WithLatency delays every answer by d.
func WithLatency(d time.Duration) Option { return func(o *options) { o.latency = d } }

// New starts a fake with one webhook (Team, Service, Token) to #payments.
// If t is not nil the server is closed when the test ends; otherwise call
// Close.
func New(t testing.TB, opts ...Option) *Server {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	s := &Server{burst: o.burst, hooks: map[string]*webhook{}}
	s.add(Team, Service, Token, "#payments")
	s.Server = fakeapi.Start(fakeapi.Config{Latency: o.latency}, s.handle)
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// WebhookURL is the URL of the webhook a fake starts with.
func WebhookURL() string {
	return "https://" + Host + "/services/" + Team + "/" + Service + "/" + Token
}

// Credentials returns credentials for the slack integration that this
// fake accepts.
func (s *Server) Credentials() hookbridge.Credentials {
	return hookbridge.Credentials{"webhook_url": WebhookURL()}
}

// AddWebhook adds a webhook to channel and returns its URL.
func (s *Server) AddWebhook(channel string) string {
	s.mu.Lock()
	s.next++
	n := s.next
	s.mu.Unlock()
	service, token := fmt.Sprintf("B0FAKE%04d", n+1), fmt.Sprintf("t0kEn%019d", n)
	s.add(Team, service, token, channel)
	return "https://" + Host + "/services/" + Team + "/" + service + "/" + token
}

func (s *Server) add(team, service, token, channel string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks[team+"/"+service] = &webhook{team: team, service: service, token: token, channel: channel, allowance: float64(s.burst)}
}

// ArchiveChannel archives the channel of the webhook at rawURL: it answers
// 410 channel_is_archived.
func (s *Server) ArchiveChannel(rawURL string) { s.setState(rawURL, stateArchived) }

// DeleteChannel deletes the channel of the webhook: 404 channel_not_found.
func (s *Server) DeleteChannel(rawURL string) { s.setState(rawURL, stateDeleted) }

// Prohibit restricts the webhook's posting: 403 action_prohibited.
func (s *Server) Prohibit(rawURL string) { s.setState(rawURL, stateProhibited) }

// Revoke revokes the webhook's token: 403 invalid_token.
func (s *Server) Revoke(rawURL string) { s.setState(rawURL, stateRevoked) }

func (s *Server) setState(rawURL string, state int) {
	u, err := url.Parse(rawURL)
	if err != nil {
		panic("slacktest: " + err.Error())
	}
	parts := strings.Split(strings.TrimPrefix(u.Path, "/services/"), "/")
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.hooks[parts[0]+"/"+parts[1]]
	if h == nil {
		panic("slacktest: no webhook " + u.Path)
	}
	h.state = state
}

// Messages returns the messages posted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.messages)
}

func (s *Server) handle(r *http.Request, body []byte) fakeapi.Response {
	if r.Method != http.MethodPost {
		return fakeapi.TextResponse(http.StatusMethodNotAllowed, "invalid_method")
	}
	h, resp, ok := s.webhookFor(r)
	if !ok {
		return resp
	}
	msg, errName := readMessage(r, body)
	if errName != "" {
		return fakeapi.TextResponse(http.StatusBadRequest, errName)
	}
	if errName := checkMessage(msg); errName != "" {
		return fakeapi.TextResponse(http.StatusBadRequest, errName)
	}
	if wait, ok := s.take(h); !ok {
		// Slack's rate-limit guide: a 429, a JSON object, and Retry-After.
		resp := fakeapi.JSONResponse(http.StatusTooManyRequests, map[string]any{"ok": false, "error": "rate_limited"})
		resp.Header.Set("Retry-After", fmt.Sprint(int((wait+time.Second-1)/time.Second)))
		return resp
	}
	s.record(h, msg)
	return fakeapi.TextResponse(http.StatusOK, "ok")
}

// webhookFor finds the webhook a request's path names and checks its
// token and channel; when it fails, resp is Slack's answer.
func (s *Server) webhookFor(r *http.Request) (h *webhook, resp fakeapi.Response, ok bool) {
	if host := strings.ToLower(r.Host); host != Host && !strings.HasPrefix(host, "127.0.0.1") {
		return nil, fakeapi.TextResponse(http.StatusNotFound, "no_service"), false
	}
	rest, found := strings.CutPrefix(r.URL.Path, "/services/")
	parts := strings.Split(rest, "/")
	switch {
	case !found:
		return nil, fakeapi.TextResponse(http.StatusNotFound, "no_service"), false
	case len(parts) < 2 || parts[1] == "":
		return nil, fakeapi.TextResponse(http.StatusNotFound, "no_service_id"), false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h = s.hooks[parts[0]+"/"+parts[1]]
	switch {
	case h == nil && parts[0] != Team:
		return nil, fakeapi.TextResponse(http.StatusNotFound, "no_team"), false
	case h == nil:
		return nil, fakeapi.TextResponse(http.StatusNotFound, "no_service"), false
	case len(parts) != 3 || parts[2] != h.token || h.state == stateRevoked:
		return nil, fakeapi.TextResponse(http.StatusForbidden, "invalid_token"), false
	case h.state == stateArchived:
		return nil, fakeapi.TextResponse(http.StatusGone, "channel_is_archived"), false
	case h.state == stateDeleted:
		return nil, fakeapi.TextResponse(http.StatusNotFound, "channel_not_found"), false
	case h.state == stateProhibited:
		return nil, fakeapi.TextResponse(http.StatusForbidden, "action_prohibited"), false
	}
	return h, fakeapi.Response{}, true
}

// take spends one message of the webhook's allowance; without one it
// says how long until the next.
func (s *Server) take(h *webhook) (wait time.Duration, ok bool) {
	if s.burst == 0 {
		return 0, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if !h.last.IsZero() {
		h.allowance = min(float64(s.burst), h.allowance+now.Sub(h.last).Seconds())
	}
	h.last = now
	if h.allowance < 1 {
		return time.Duration((1 - h.allowance) * float64(time.Second)), false
	}
	h.allowance--
	return 0, true
}

func (s *Server) record(h *webhook, msg map[string]any) {
	m := Message{Webhook: "/services/" + h.team + "/" + h.service, Channel: h.channel, Body: msg}
	m.Text, _ = msg["text"].(string)
	if blocks, ok := msg["blocks"].([]any); ok {
		for _, b := range blocks {
			block, _ := b.(map[string]any)
			m.Blocks = append(m.Blocks, block)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
}

// readMessage reads a message as Slack does: a JSON body, or a form whose
// payload field holds the JSON. It returns Slack's error name on failure.
func readMessage(r *http.Request, body []byte) (map[string]any, string) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		form, err := url.ParseQuery(string(body))
		if err != nil || form.Get("payload") == "" {
			return nil, "invalid_payload"
		}
		body = []byte(form.Get("payload"))
	}
	var msg map[string]any
	if err := json.Unmarshal(body, &msg); err != nil || msg == nil {
		return nil, "invalid_payload"
	}
	return msg, ""
}

// knownBlocks are the block types a message may hold.
var knownBlocks = []string{"actions", "context", "divider", "header", "image", "input", "markdown", "rich_text", "section", "video"}

// checkMessage applies Slack's rules for a message's content; it returns
// the error name Slack answers, or "".
func checkMessage(msg map[string]any) string {
	text, hasText := msg["text"]
	if _, isString := text.(string); hasText && !isString {
		return "invalid_payload"
	}
	rawBlocks, hasBlocks := msg["blocks"]
	blocks, isList := rawBlocks.([]any)
	if hasBlocks && !isList {
		return "invalid_blocks_format"
	}
	if s, _ := text.(string); strings.TrimSpace(s) == "" && len(blocks) == 0 && msg["attachments"] == nil {
		return "no_text"
	}
	if len(blocks) > 50 {
		return "invalid_blocks"
	}
	ids := map[string]bool{}
	for _, b := range blocks {
		block, ok := b.(map[string]any)
		if !ok || !validBlock(block) {
			return "invalid_blocks"
		}
		if id, ok := block["block_id"].(string); ok {
			if ids[id] || utf8.RuneCountInString(id) > 255 {
				return "invalid_blocks"
			}
			ids[id] = true
		}
	}
	return ""
}

// validBlock checks one block against Block Kit's rules for its type.
func validBlock(block map[string]any) bool {
	typ, _ := block["type"].(string)
	if !slices.Contains(knownBlocks, typ) {
		return false
	}
	switch typ {
	case "header":
		return validText(block["text"], 150, "plain_text")
	case "section":
		return validSection(block)
	case "context":
		return validCount(block["elements"], 10)
	case "actions":
		return validCount(block["elements"], 25)
	case "image":
		alt, _ := block["alt_text"].(string)
		_, hasURL := block["image_url"].(string)
		return (hasURL || block["slack_file"] != nil) && alt != "" && utf8.RuneCountInString(alt) <= 2000
	case "markdown":
		text, _ := block["text"].(string)
		return text != "" && utf8.RuneCountInString(text) <= 12000
	}
	return true
}

func validSection(block map[string]any) bool {
	text, hasText := block["text"]
	fields, hasFields := block["fields"]
	if !hasText && !hasFields {
		return false
	}
	if hasText && !validText(text, 3000, "plain_text", "mrkdwn") {
		return false
	}
	if !hasFields {
		return true
	}
	list, _ := fields.([]any)
	if len(list) == 0 || len(list) > 10 {
		return false
	}
	for _, f := range list {
		if !validText(f, 2000, "plain_text", "mrkdwn") {
			return false
		}
	}
	return true
}

// validText checks a text object: a type among types and 1 to max
// characters.
func validText(v any, max int, types ...string) bool {
	obj, ok := v.(map[string]any)
	if !ok {
		return false
	}
	typ, _ := obj["type"].(string)
	text, _ := obj["text"].(string)
	n := utf8.RuneCountInString(text)
	return slices.Contains(types, typ) && n > 0 && n <= max
}

// validCount checks a non-empty array of at most max items.
func validCount(v any, max int) bool {
	list, ok := v.([]any)
	return ok && len(list) > 0 && len(list) <= max
}
