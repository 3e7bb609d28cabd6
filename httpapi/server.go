package httpapi

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/admission"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/logctx"
)

// Config wires a Server to the rest of hookbridge.
type Config struct {
	Store        hookbridge.Store
	Integrations *hookbridge.Integrations
	EventTypes   []hookbridge.EventType
	Transformer  hookbridge.Transformer
	// Admission admits every transformation run of the API (tests, code
	// checks) as the app's; nil admits all at once. A run waits at most
	// AdmissionWait (default DefaultAdmissionWait), then the call is
	// answered 429 (the app's own runs hold it back) or 503.
	Admission     *admission.Gate
	AdmissionWait time.Duration
	// Sender sends test requests when a caller asks for send: true.
	Sender *delivery.Sender
	// Queued tells the dispatcher of the deliveries an ingest queued
	// (delivery.Dispatcher.Queued); may be nil.
	Queued func([]*hookbridge.Delivery)
	// Notify tells the dispatcher that deliveries it was not told of are
	// due (retried, resent, recovered); may be nil.
	Notify func()

	Logger *slog.Logger
	// MaxBodyBytes bounds management request bodies (default 1 MiB).
	MaxBodyBytes int64
	// MaxIngestBytes bounds ingested webhook bodies (default 1 MiB).
	MaxIngestBytes int64
	// Dashboard serves everything outside the API (the web UI); may be nil.
	Dashboard http.Handler
	// Sessions seals dashboard session cookies; nil disables sign-in.
	Sessions hookbridge.Cipher
	// SlackOAuth enables "Add to Slack" (see slackoauth.go); nil, or no
	// client id and secret, disables it. It needs Sessions.
	SlackOAuth *SlackOAuth
	// Ready reports whether the server can take traffic (database
	// reachable, migrations applied); nil means a store ping.
	Ready func(ctx context.Context) error

	// MaxEndpointsPerApp bounds how many endpoints one app may have
	// (default 1000).
	MaxEndpointsPerApp int
	// RateLimit bounds management calls per token and second; 0 means no
	// limit. RateBurst is how many may come at once (default 2×RateLimit).
	RateLimit float64
	RateBurst int
	// Observer is told about requests and ingested messages, for metrics;
	// may be nil.
	Observer Observer
	// Metrics serves GET /metrics; nil leaves the route out. With
	// MetricsToken set, scrapes must send it as a bearer token.
	Metrics      http.Handler
	MetricsToken string

	// CacheTTL is how long API tokens (by the hash of their secret) and
	// apps read from the store are kept in memory, so that an API call
	// need not read them again (see cache.go). Zero means DefaultCacheTTL
	// (2 s); a negative value disables the caches. A token revoked or an
	// app changed through this server is seen at once; a change made by
	// another node sharing the database is seen here within CacheTTL.
	CacheTTL time.Duration
}

// Server is the HTTP face of hookbridge.
type Server struct {
	store        hookbridge.Store
	integrations *hookbridge.Integrations
	eventTypes   []hookbridge.EventType
	eventByName  map[string]hookbridge.EventType
	planner      *delivery.Planner
	sender       *delivery.Sender
	transformer  hookbridge.Transformer
	queued       func([]*hookbridge.Delivery)
	notify       func()
	log          *slog.Logger
	maxBody      int64
	maxIngest    int64
	ready        func(ctx context.Context) error
	sessions     hookbridge.Cipher
	dashboard    http.Handler
	now          func() time.Time
	mux          *http.ServeMux

	maxEndpoints int
	limiter      *tokenLimiter
	signIns      *tokenLimiter
	observer     Observer
	metrics      http.Handler
	metricsToken string
	routeList    []Route
	slackOAuth   *slackOAuthFlow

	// writes tells /readyz whether the store refused the last write.
	writes writeHealth
	// admission admits code checks, waiting at most admissionWait; the
	// planner admits test runs likewise.
	admission     *admission.Gate
	admissionWait time.Duration

	// tokens and apps cache what the store found (nil when disabled).
	tokens *ttlCache[tokenHash, hookbridge.Token]
	apps   *ttlCache[string, hookbridge.App]
}

// New makes a Server.
func New(cfg Config) *Server {
	s := &Server{
		store:        cfg.Store,
		integrations: cfg.Integrations,
		eventTypes:   cfg.EventTypes,
		eventByName:  map[string]hookbridge.EventType{},
		planner:      &delivery.Planner{Integrations: cfg.Integrations, Transformer: cfg.Transformer},
		sender:       cfg.Sender,
		transformer:  cfg.Transformer,
		queued:       cfg.Queued,
		notify:       cfg.Notify,
		log:          cfg.Logger,
		maxBody:      cfg.MaxBodyBytes,
		maxIngest:    cfg.MaxIngestBytes,
		ready:        cfg.Ready,
		sessions:     cfg.Sessions,
		dashboard:    cfg.Dashboard,
		now:          time.Now,
		mux:          http.NewServeMux(),
		maxEndpoints: cfg.MaxEndpointsPerApp,
		limiter:      newTokenLimiter(cfg.RateLimit, cfg.RateBurst),
		signIns:      newTokenLimiter(failedSignInRate, failedSignInBurst),
		observer:     cfg.Observer,
		metrics:      cfg.Metrics,
		metricsToken: cfg.MetricsToken,
		slackOAuth:   newSlackOAuthFlow(cfg.SlackOAuth),
	}
	s.admission, s.admissionWait = cfg.Admission, cmp.Or(cfg.AdmissionWait, DefaultAdmissionWait)
	s.planner.Admission, s.planner.AdmissionWait = s.admission, s.admissionWait
	ttl := cmp.Or(cfg.CacheTTL, DefaultCacheTTL)
	s.tokens = newTTLCache[tokenHash, hookbridge.Token](ttl, maxCacheEntries)
	s.apps = newTTLCache[string, hookbridge.App](ttl, maxCacheEntries)
	for _, et := range cfg.EventTypes {
		s.eventByName[et.Name] = et
	}
	s.log = cmp.Or(s.log, slog.New(slog.DiscardHandler))
	s.log = slog.New(logctx.Handler(s.log.Handler()))
	if s.maxEndpoints <= 0 {
		s.maxEndpoints = DefaultMaxEndpointsPerApp
	}
	if s.observer == nil {
		s.observer = noObserver{}
	}
	if s.maxBody <= 0 {
		s.maxBody = 1 << 20
	}
	if s.maxIngest <= 0 {
		s.maxIngest = 1 << 20
	}
	if s.notify == nil {
		s.notify = func() {}
	}
	if s.queued == nil {
		s.queued = func([]*hookbridge.Delivery) {}
	}
	if s.ready == nil {
		s.ready = s.store.Ping
	}
	s.routes()
	return s
}

// ServeHTTP makes Server an http.Handler. Every request gets a request id
// (see observe.go), is measured and logged.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.observe(w, r) }

// handlerFunc is a handler that returns its error for writeError.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// loading adapts the handler of a route about one resource of the path:
// load finds it (the {app}, or one of its endpoints or sources, which the
// caller's token must be able to see) and h runs with it; if load fails,
// its error is the answer.
func loading[T any](load func(*http.Request) (T, error), h func(http.ResponseWriter, *http.Request, T) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := load(r)
		if err != nil {
			return err
		}
		return h(w, r, v)
	}
}

// authenticated wraps a handler: bearer (or session) authentication, the
// per-token rate limit if limited, then the handler, error answering and
// the audit record.
func (s *Server) authenticated(h handlerFunc, limited bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, err := s.authenticate(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if limited {
			if err := s.checkRate(w, tok); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		ctx := logctx.With(withToken(r.Context(), tok), "token_id", tok.ID)
		r = r.WithContext(ctx)
		aw := s.auditWriter(w, r)
		err = h(aw, r)
		s.writes.observe(r, err, s.now())
		if err != nil {
			s.writeError(aw, r, err)
		}
		s.recordAudit(r, tok, aw)
	})
}

// public wraps a handler that needs no token.
func (s *Server) public(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		s.writes.observe(r, err, s.now())
		if err != nil {
			s.writeError(w, r, err)
		}
	})
}

var errUnauthorized = errorf(http.StatusUnauthorized, "unauthorized",
	"send an API token as: Authorization: Bearer <token>")

// authenticate finds the caller's token: a bearer token, or a dashboard
// session cookie.
func (s *Server) authenticate(r *http.Request) (*hookbridge.Token, error) {
	if r.Header.Get("Authorization") == "" {
		if tok, err := s.sessionToken(r); tok != nil || err != nil {
			return tok, err
		}
	}
	scheme, secret, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	secret = strings.TrimSpace(secret)
	if !ok || !strings.EqualFold(scheme, "Bearer") || secret == "" {
		return nil, errUnauthorized
	}
	if isPortalSecret(secret) {
		return nil, errorf(http.StatusUnauthorized, "unauthorized", "a portal sign-in link is not an API token; open it in a browser")
	}
	tok, err := s.cachedToken(r.Context(), tokenHash(HashToken(secret)))
	if errors.Is(err, hookbridge.ErrNotFound) || (err == nil && !tok.Usable(s.now())) {
		return nil, errorf(http.StatusUnauthorized, "unauthorized", "the API token is unknown, revoked or expired")
	}
	return tok, err
}

type tokenKey struct{}

func withToken(ctx context.Context, t *hookbridge.Token) context.Context {
	return context.WithValue(ctx, tokenKey{}, t)
}

func tokenFrom(ctx context.Context) *hookbridge.Token {
	t, _ := ctx.Value(tokenKey{}).(*hookbridge.Token)
	return t
}

// appFor loads the {app} of the path, if the caller's token may see it.
// Another app is answered as not found, so its existence is not revealed.
func (s *Server) appFor(r *http.Request) (*hookbridge.App, error) {
	id := r.PathValue("app")
	if tok := tokenFrom(r.Context()); tok == nil || !tok.CanAccess(id) {
		return nil, errNotFound
	}
	return s.loadApp(r.Context(), id)
}

func requireAdmin(r *http.Request) error {
	if tok := tokenFrom(r.Context()); tok == nil || !tok.IsAdmin() {
		return errorf(http.StatusForbidden, "forbidden", "this call needs an admin token")
	}
	return nil
}

// NewToken makes a token secret and its stored form.
func NewToken(appID, name string, now time.Time) (secret string, tok *hookbridge.Token, err error) {
	return mintToken(apiTokenPrefix, appID, name, now)
}

// The prefixes of generated secrets: API tokens, and portal sign-in links
// (which are refused as bearer tokens).
const (
	apiTokenPrefix    = "hbk_"
	portalTokenPrefix = "hbp_"
)

// mintToken makes a secret of 256 random bits with prefix, and its stored
// form.
func mintToken(prefix, appID, name string, now time.Time) (secret string, tok *hookbridge.Token, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	tok = &hookbridge.Token{ID: hookbridge.NewID("tok"), AppID: appID, Name: name, Hash: HashToken(secret), CreatedAt: now}
	return secret, tok, nil
}

// HashToken is how token secrets are stored: SHA-256 (the secrets are 256
// random bits, so a slow hash adds nothing).
func HashToken(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}
