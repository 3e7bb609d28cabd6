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
	// TriggersCampaigns is set on an event (event, page, screen) that may
	// trigger a campaign: one without a timestamp (Customer.io stamps it on
	// arrival) or timestamped within CampaignTriggerWindow before it
	// arrived. Older events are stored and trigger nothing.
	TriggersCampaigns bool
	// Body is the operation as received.
	Body map[string]any

	// exactAttributes are the attributes with numbers kept as written,
	// for profiles to tell a number from a numeric string.
	exactAttributes map[string]any
}

// CampaignTriggerWindow is how old an event may be and still trigger a
// campaign: "Events timestamped within the past 72 hours can trigger
// campaigns" (Customer.io's Track API).
const CampaignTriggerWindow = 72 * time.Hour

// Server is a fake Customer.io Track API. Its methods are safe for
// concurrent use.
type Server struct {
	*fakeapi.Server

	siteID, apiKey, region string

	now        func() time.Time
	batchOrder func(n int) []int

	mu         sync.Mutex
	seenIDs    map[string]bool
	accepted   []Op
	duplicates []Op
	people     map[string]*person
}

// Option configures a Server.
type Option func(*options)

type options struct {
	siteID, apiKey, region string
	latency                time.Duration
	now                    func() time.Time
	batchOrder             func(n int) []int
}

// WithClock sets the fake's clock: the arrival time of requests, which
// stamps operations sent without a timestamp and measures events' age.
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.now = now }
}

// WithBatchOrder makes the fake apply the valid operations of each v2
// batch in the order order(n) gives (a permutation of 0…n-1), as
// Customer.io may apply a batch's operations in any order. Without it
// they are applied in the order sent.
func WithBatchOrder(order func(n int) []int) Option {
	return func(o *options) { o.batchOrder = order }
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
	o := options{siteID: SiteID, apiKey: APIKey, region: "us", now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	s := &Server{siteID: o.siteID, apiKey: o.apiKey, region: o.region, now: o.now, batchOrder: o.batchOrder,
		seenIDs: map[string]bool{}, people: map[string]*person{}}
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

// accept records operations, sorting out duplicates by event id, and
// applies identifies to people's profiles.
func (s *Server) accept(ops ...Op) {
	arrived := s.now()
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
		if isEvent(op.Action) {
			op.TriggersCampaigns = op.Timestamp == 0 || arrived.Sub(time.Unix(op.Timestamp, 0)) <= CampaignTriggerWindow
		}
		if op.Action == "identify" {
			s.applyIdentify(op, arrived)
		}
		s.accepted = append(s.accepted, op)
	}
}

func isEvent(action string) bool {
	return action == "event" || action == "page" || action == "screen"
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
