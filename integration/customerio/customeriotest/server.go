package customeriotest

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/fakeapi"
)

// Default credentials of a fake made without WithCredentials.
const (
	SiteID = "test-site-id"
	APIKey = "test-api-key"
)

// Request is one request the fake received.
type Request = fakeapi.Request

// Op is one operation Customer.io accepted: a v2 operation, or a v1 call
// put in the same terms.
type Op struct {
	// Route is the request's method and path, e.g. "POST /api/v2/batch".
	Route string
	// BatchIndex is the operation's index in a v2 batch, 0 otherwise.
	BatchIndex  int
	Type        string // person, object or delivery
	Action      string // identify, event, delete, …
	Name        string // for event, page and screen
	ID          string // the event id Customer.io deduplicates on
	Identifiers map[string]any
	// Attributes are the v2 attributes, a v1 event's data, or a v1
	// identify's body.
	Attributes map[string]any
	// Timestamp is the operation's timestamp in unix seconds, 0 if none.
	Timestamp int64
	// Body is the operation as received.
	Body map[string]any
}

// Server is a fake Customer.io Track API. Its methods are safe for
// concurrent use.
type Server struct {
	*fakeapi.Server

	siteID, apiKey, region string

	mu         sync.Mutex
	seenIDs    map[string]bool
	accepted   []Op
	duplicates []Op
}

// Option configures a Server.
type Option func(*options)

type options struct {
	siteID, apiKey, region string
	latency                time.Duration
}

// WithCredentials sets the Site ID and API key the fake accepts.
func WithCredentials(siteID, apiKey string) Option {
	return func(o *options) { o.siteID, o.apiKey = siteID, apiKey }
}

// WithRegion sets the account's region, "us" (the default) or "eu".
func WithRegion(region string) Option {
	return func(o *options) { o.region = region }
}

// WithLatency delays every answer by d.
func WithLatency(d time.Duration) Option {
	return func(o *options) { o.latency = d }
}

// New starts a fake Track API. If t is not nil the server is closed when
// the test ends; otherwise call Close.
func New(t testing.TB, opts ...Option) *Server {
	o := options{siteID: SiteID, apiKey: APIKey, region: "us"}
	for _, opt := range opts {
		opt(&o)
	}
	s := &Server{siteID: o.siteID, apiKey: o.apiKey, region: o.region, seenIDs: map[string]bool{}}
	s.Server = fakeapi.Start(fakeapi.Config{Latency: o.latency}, s.handle)
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// Credentials returns credentials for the customerio integration that this
// fake accepts.
func (s *Server) Credentials() hookbridge.Credentials {
	return hookbridge.Credentials{"site_id": s.siteID, "api_key": s.apiKey, "region": s.region}
}

// Accepted returns the operations accepted so far, duplicates excluded.
func (s *Server) Accepted() []Op {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Op(nil), s.accepted...)
}

// Duplicates returns the events that were sent again with an id already
// accepted: answered 200, counted once.
func (s *Server) Duplicates() []Op {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Op(nil), s.duplicates...)
}

// accept records operations, sorting out duplicates by event id.
func (s *Server) accept(ops ...Op) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, op := range ops {
		if op.ID != "" && s.seenIDs[op.ID] {
			s.duplicates = append(s.duplicates, op)
			continue
		}
		if op.ID != "" {
			s.seenIDs[op.ID] = true
		}
		s.accepted = append(s.accepted, op)
	}
}

const (
	hostUS = "track.customer.io"
	hostEU = "track-eu.customer.io"
)

// authorized checks the region of the Host header and the credentials.
func (s *Server) authorized(r *http.Request) bool {
	host := strings.ToLower(r.Host)
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	if host == hostEU && s.region != "eu" {
		return false // a US account's credentials are unknown to the EU region
	}
	site, key, ok := r.BasicAuth()
	return ok && site == s.siteID && key == s.apiKey
}
