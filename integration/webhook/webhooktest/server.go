package webhooktest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/fakeapi"
	"github.com/hookbridge/hookbridge/signing"
)

// Request is one request the receiver got.
type Request = fakeapi.Request

// Message is a verified webhook.
type Message struct {
	ID        string // webhook-id
	Timestamp time.Time
	Header    http.Header
	Body      []byte
	// JSON is the decoded body, nil if it is not JSON.
	JSON any
}

// Rejection is a request that failed verification.
type Rejection struct {
	Header http.Header
	Body   []byte
	// Err wraps one of package signing's sentinel errors.
	Err error
}

// Server is a webhook receiver. Its methods are safe for concurrent use.
type Server struct {
	*fakeapi.Server

	secrets   []string
	tolerance time.Duration
	now       func() time.Time

	mu         sync.Mutex
	seen       map[string]bool
	accepted   []Message
	duplicates []Message
	rejected   []Rejection
}

// Option configures a Server.
type Option func(*options)

type options struct {
	secrets   []string
	tolerance time.Duration
	now       func() time.Time
	latency   time.Duration
}

// WithSecrets sets the secrets the receiver verifies with (several during
// a rotation). Without it the receiver generates one.
func WithSecrets(secrets ...string) Option {
	return func(o *options) { o.secrets = secrets }
}

// WithTolerance sets how far a timestamp may be from the receiver's clock
// (signing.DefaultTolerance if not set).
func WithTolerance(d time.Duration) Option { return func(o *options) { o.tolerance = d } }

// WithClock sets the receiver's clock.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithLatency delays every answer by d.
func WithLatency(d time.Duration) Option { return func(o *options) { o.latency = d } }

// New starts a receiver. If t is not nil the server is closed when the test
// ends; otherwise call Close. It panics if it cannot generate a secret.
func New(t testing.TB, opts ...Option) *Server {
	o := options{now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	if len(o.secrets) == 0 {
		secret, err := signing.GenerateSecret()
		if err != nil {
			panic("webhooktest: " + err.Error())
		}
		o.secrets = []string{secret}
	}
	s := &Server{secrets: o.secrets, tolerance: o.tolerance, now: o.now, seen: map[string]bool{}}
	s.Server = fakeapi.Start(fakeapi.Config{Latency: o.latency}, s.handle)
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// Secret returns the receiver's first secret.
func (s *Server) Secret() string { return s.secrets[0] }

// Credentials returns credentials for the webhook integration that sign
// with the receiver's first secret.
func (s *Server) Credentials() hookbridge.Credentials {
	return hookbridge.Credentials{"signing_secret": s.secrets[0]}
}

// Accepted returns the verified messages, duplicates excluded.
func (s *Server) Accepted() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.accepted)
}

// Duplicates returns verified messages whose webhook-id was already
// accepted.
func (s *Server) Duplicates() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.duplicates)
}

// Rejected returns the requests that failed verification.
func (s *Server) Rejected() []Rejection {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.rejected)
}

func (s *Server) handle(r *http.Request, body []byte) fakeapi.Response {
	if err := signing.Verify(s.secrets, r.Header, body, s.now(), s.tolerance); err != nil {
		s.mu.Lock()
		s.rejected = append(s.rejected, Rejection{Header: r.Header.Clone(), Body: body, Err: err})
		s.mu.Unlock()
		return fakeapi.TextResponse(http.StatusUnauthorized, err.Error())
	}
	msg := Message{ID: r.Header.Get(signing.HeaderID), Header: r.Header.Clone(), Body: body}
	msg.Timestamp = parseTimestamp(r.Header.Get(signing.HeaderTimestamp))
	if json.Valid(body) {
		_ = json.Unmarshal(body, &msg.JSON)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen[msg.ID] {
		s.duplicates = append(s.duplicates, msg)
	} else {
		s.seen[msg.ID] = true
		s.accepted = append(s.accepted, msg)
	}
	return fakeapi.TextResponse(http.StatusOK, "ok")
}

// parseTimestamp reads a webhook-timestamp that Verify has accepted.
func parseTimestamp(v string) time.Time {
	secs, _ := strconv.ParseInt(v, 10, 64)
	return time.Unix(secs, 0)
}
