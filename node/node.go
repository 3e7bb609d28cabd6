package node

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/admission"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/dashboard"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/httpapi"
	"github.com/hookbridge/hookbridge/integration/builtin"
	"github.com/hookbridge/hookbridge/js"
	"github.com/hookbridge/hookbridge/metrics"
	"github.com/hookbridge/hookbridge/netguard"
	"github.com/hookbridge/hookbridge/retention"
	"github.com/hookbridge/hookbridge/secretbox"
	"github.com/hookbridge/hookbridge/sqlite"
)

// Config is everything a node needs. Zero values mean defaults.
type Config struct {
	// DataDir holds the SQLite database and the generated key file.
	DataDir string
	// DatabaseURL selects PostgreSQL when set.
	DatabaseURL string
	// SecretKey is the key ring (see secretbox.Parse); empty means a key
	// generated into DataDir.
	SecretKey string
	// AdminToken, when set, is accepted as an admin token; otherwise one is
	// generated at first start and written to TokenOut once.
	AdminToken string
	TokenOut   io.Writer

	HostOverrides map[string]*url.URL
	AllowPrivate  bool
	AllowCIDRs    []netip.Prefix
	// LoopbackOnly keeps every delivery on this machine (see
	// netguard.Config.LoopbackOnly): tests set it.
	LoopbackOnly bool

	Workers int
	// CommitDelay is how long the embedded database's writer waits for
	// more transactions when others are writing (default
	// sqlite.DefaultCommitDelay; negative: it never waits).
	CommitDelay time.Duration
	// EndpointConcurrency caps one endpoint's deliveries in flight across
	// all nodes (default three quarters of Workers).
	EndpointConcurrency int
	RequestTimeout      time.Duration
	TransformTimeout    time.Duration
	MaxIngestBytes      int64
	// TransformMaxMemory bounds how far the heap may grow while one
	// transformation runs (default 64 MiB; negative: no limit).
	TransformMaxMemory int64
	// TransformConcurrency, TransformAppConcurrency and
	// TransformTotalMemory bound the transformations running at once: in
	// the process, of one app, and by the memory budgets they reserve
	// (defaults: admission.Limits).
	TransformConcurrency    int
	TransformAppConcurrency int
	TransformTotalMemory    int64
	// MaxEndpointsPerApp bounds the endpoints of one app (default 1000).
	MaxEndpointsPerApp int
	// APIRateLimit bounds management calls per token and second; zero
	// means no limit (hookbridge serve sets one). APIRateBurst is how
	// many may come at once (default twice the rate).
	APIRateLimit float64
	APIRateBurst int
	// DisableMetrics leaves GET /metrics out; MetricsToken, if set, is the
	// bearer token a scrape must send.
	DisableMetrics bool
	MetricsToken   string
	// SlackOAuth is the Slack app behind "Add to Slack"; without a client
	// id and secret the flow is not offered.
	SlackOAuth SlackOAuth
	// Retry overrides the retry policy (tests use short schedules).
	Retry delivery.RetryPolicy
	// PollInterval, Lease and ShutdownGrace tune the dispatcher.
	PollInterval  time.Duration
	Lease         time.Duration
	ShutdownGrace time.Duration
	// Retention tunes the pruning of old messages (default: 90 days per
	// app unless the app sets its own period).
	Retention retention.Config

	Logger *slog.Logger
}

// Node is one running hookbridge process.
type Node struct {
	Store      hookbridge.Store
	Dispatcher *delivery.Dispatcher
	API        *httpapi.Server
	// Metrics are the node's Prometheus metrics; nil when disabled.
	Metrics   *metrics.Metrics
	log       *slog.Logger
	retention retention.Config
	// heartbeat records this node in the store and takes over the leases
	// of nodes that died.
	heartbeat *heartbeat
}

// CommitDelaySetting turns a commit delay as settings give it, where 0s
// means none, into Config.CommitDelay, where zero means the default.
func CommitDelaySetting(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

// Open prepares a node: store opened and migrated, bootstrap done.
func Open(ctx context.Context, cfg Config) (*Node, error) {
	log := withContextAttrs(cfg.Logger)
	ring, err := openKeyring(cfg, log)
	if err != nil {
		return nil, err
	}
	store, err := openStore(ctx, cfg, ring, true, log)
	if err != nil {
		return nil, err
	}
	if err := bootstrap(ctx, store, cfg, log); err != nil {
		store.Close()
		return nil, err
	}
	gate, err := newAdmission(cfg)
	if err != nil {
		store.Close()
		return nil, err
	}
	n := &Node{Store: store, log: log, retention: cfg.Retention}
	n.wire(cfg, ring, gate)
	n.reportTakenBack()
	return n, nil
}

// takingBackStore is a store that, held by this process alone, took back
// the leases a dead predecessor left when it opened (SQLite's).
type takingBackStore interface {
	TakenBack() int
}

func (n *Node) reportTakenBack() {
	s, ok := n.Store.(takingBackStore)
	if !ok || s.TakenBack() == 0 {
		return
	}
	n.log.Info("took back the deliveries a previous process had in flight; they are due at once", "leases", s.TakenBack())
	n.Metrics.LeasesTakenOver(s.TakenBack())
}

// newAdmission makes the gate that admits every transformation run of the
// node, the dispatcher's and the API's alike.
func newAdmission(cfg Config) (*admission.Gate, error) {
	runMemory := cmp.Or(cfg.TransformMaxMemory, js.DefaultMaxMemory)
	gate, err := admission.New(admission.Limits{
		Runs: cfg.TransformConcurrency, RunsPerApp: cfg.TransformAppConcurrency,
		RunMemory: runMemory, Memory: cfg.TransformTotalMemory,
	})
	if err != nil {
		return nil, fmt.Errorf("transformation limits: %w", err)
	}
	return gate, nil
}

func (n *Node) wire(cfg Config, ring *secretbox.Keyring, gate *admission.Gate) {
	integrations := hookbridge.NewIntegrations(builtin.All()...)
	n.Metrics = newMetrics(cfg, n.Store)
	sandbox := &metrics.Transformer{
		Transformer: js.New(js.Options{Timeout: cfg.TransformTimeout, MaxMemory: cfg.TransformMaxMemory}),
		Metrics:     n.Metrics,
	}
	client := netguard.NewClient(netguard.Config{
		AllowPrivate:  cfg.AllowPrivate,
		AllowCIDRs:    cfg.AllowCIDRs,
		HostOverrides: cfg.HostOverrides,
		LoopbackOnly:  cfg.LoopbackOnly,
		// Every worker may be sending to one host (an integration's API):
		// keep a connection for each, or under load those beyond the
		// default are dialled afresh for every request.
		IdleConnsPerHost: cmp.Or(cfg.Workers, delivery.DefaultWorkers),
	})
	sender := &delivery.Sender{Client: client, Timeout: cfg.RequestTimeout, UserAgent: "hookbridge/1"}
	planner := &delivery.Planner{Integrations: integrations, Transformer: sandbox,
		Admission: gate, AdmissionWait: delivery.DefaultAdmissionWait}
	n.heartbeat = newHeartbeat(n.Store, time.Now, func(int) { n.Dispatcher.Notify() }, n.Metrics, n.log)
	n.Dispatcher = delivery.New(n.Store, planner, sender, cfg.Retry, delivery.Config{
		Workers: cfg.Workers, EndpointConcurrency: cfg.EndpointConcurrency,
		PollInterval: cfg.PollInterval, Lease: cfg.Lease, ShutdownGrace: cfg.ShutdownGrace,
		Observer: n.Metrics, Node: n.heartbeat.self.ID,
	}, n.log)
	n.API = httpapi.New(httpapi.Config{
		Store:        n.Store,
		Integrations: integrations,
		EventTypes:   catalog.All(),
		Transformer:  sandbox,
		Admission:    gate,
		Sender:       sender,
		Queued:       n.Dispatcher.Queued,
		Notify:       n.Dispatcher.Notify,
		Logger:       n.log,

		MaxIngestBytes: cfg.MaxIngestBytes,
		Sessions:       ring,
		Dashboard:      dashboard.Handler(),

		Ready:              n.ready,
		MaxEndpointsPerApp: cfg.MaxEndpointsPerApp,
		RateLimit:          cfg.APIRateLimit,
		RateBurst:          cfg.APIRateBurst,
		Observer:           n.Metrics,
		Metrics:            n.Metrics.Handler(),
		MetricsToken:       cfg.MetricsToken,
		SlackOAuth: &httpapi.SlackOAuth{ClientID: cfg.SlackOAuth.ClientID, ClientSecret: cfg.SlackOAuth.ClientSecret,
			RedirectURL: cfg.SlackOAuth.RedirectURL, Client: client.HTTPClient()},
	})
}

// SlackOAuth is the Slack app behind "Add to Slack" (see
// httpapi.SlackOAuth): its client id and secret, and the public callback
// URL ("" derives it from each request). Slack is called through the
// node's outbound client, so host overrides apply.
type SlackOAuth struct {
	ClientID, ClientSecret, RedirectURL string
}

func openKeyring(cfg Config, log *slog.Logger) (*secretbox.Keyring, error) {
	if cfg.SecretKey != "" {
		ring, err := secretbox.Parse(cfg.SecretKey)
		if err != nil {
			return nil, fmt.Errorf("HOOKBRIDGE_SECRET_KEY: %w", err)
		}
		return ring, nil
	}
	path := filepath.Join(cfg.DataDir, "secret.key")
	ring, created, err := secretbox.LoadOrCreateKeyFile(path)
	if err != nil {
		return nil, err
	}
	if created {
		log.Warn("generated a secret key for encrypting credentials; back it up, or set HOOKBRIDGE_SECRET_KEY", "path", path)
	}
	return ring, nil
}

// openStore opens the configured store. exclusive holds an SQLite data
// directory for this process alone (sqlite.Exclusive), as a serving node
// must; PostgreSQL is shared by design, and reports to log what it
// recovers from by itself.
func openStore(ctx context.Context, cfg Config, ring *secretbox.Keyring, exclusive bool, log *slog.Logger) (hookbridge.Store, error) {
	if cfg.DatabaseURL != "" {
		return openPostgres(ctx, cfg.DatabaseURL, ring, log)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	var opts []sqlite.Option
	if cfg.CommitDelay != 0 {
		opts = append(opts, sqlite.WithCommitDelay(cfg.CommitDelay))
	}
	if exclusive {
		opts = append(opts, sqlite.Exclusive())
	}
	store, err := sqlite.Open(ctx, sqlitePath(cfg.DataDir), ring, opts...)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return store, nil
}

// Handler is the node's HTTP handler.
func (n *Node) Handler() http.Handler { return n.API }

// Run serves HTTP on ln and delivers until ctx ends, then shuts both down
// gracefully: the server stops accepting and finishes its requests, the
// dispatcher stops claiming and finishes (or hands back) what is in flight,
// and then the node's row is removed. The node beats from before its
// first claim until its work is done.
func (n *Node) Run(ctx context.Context, ln net.Listener) error {
	if err := n.heartbeat.beat(ctx); err != nil {
		n.log.Warn("first node heartbeat", "err", err)
	}
	beatCtx, stopBeating := context.WithCancel(context.WithoutCancel(ctx))
	beating := make(chan struct{})
	go func() {
		defer close(beating)
		n.heartbeat.run(beatCtx)
	}()
	err := n.serveAndDeliver(ctx, ln)
	stopBeating()
	<-beating
	removeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if rerr := n.heartbeat.remove(removeCtx); rerr != nil {
		n.log.Warn("remove this node from the store's list", "err", rerr)
	}
	return err
}

// serveAndDeliver runs the HTTP server and the dispatcher until ctx ends
// and both have shut down.
func (n *Node) serveAndDeliver(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           n.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(n.log.Handler(), slog.LevelWarn),
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	dispatched := make(chan error, 1)
	go func() { dispatched <- n.Dispatcher.Run(ctx) }()
	pruned := n.startPruner(ctx)
	if wn, ok := n.Store.(hookbridge.WorkNotifier); ok {
		go func() {
			for range wn.WaitForWork(ctx) {
				n.Dispatcher.Notify()
			}
		}()
	}

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve http: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if derr := <-dispatched; derr != nil {
		err = errors.Join(err, derr)
	}
	<-pruned
	return err
}

// Close releases the store.
func (n *Node) Close() error { return n.Store.Close() }
