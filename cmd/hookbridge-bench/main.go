package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/hookbridge/hookbridge/node"
	"github.com/hookbridge/hookbridge/sqlite"
)

// config is the command line.
type config struct {
	Scenario     string
	DatabaseURL  string
	Target       string
	Token        string
	SinkAddr     string
	Rate         int
	Concurrency  int
	Duration     time.Duration
	MaxEvents    int
	DrainTimeout time.Duration
	Backlog      int
	Workers      int
	CommitDelay  time.Duration
	CPUProfile   string
	JSON         bool
	// GCPercent is the garbage collector's target main set (for the report).
	GCPercent int
}

// Bounds that keep a run finite.
const (
	maxDuration  = 10 * time.Minute
	maxEvents    = 2_000_000
	maxBacklog   = 1_000_000
	setupTimeout = 30 * time.Second
)

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hookbridge-bench:", err)
		os.Exit(2)
	}
	// The in-process hookbridge runs as `hookbridge serve` would.
	cfg.GCPercent = node.TuneRuntime(os.Getenv, slog.New(slog.DiscardHandler)).GCPercent
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "hookbridge-bench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, errOut io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("hookbridge-bench", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.Usage = func() {
		fmt.Fprint(errOut, `hookbridge-bench measures hookbridge under load, on this machine only.

It starts a hookbridge in this process (SQLite in a temporary directory, or
--database-url) or uses a running one (--target, --token), runs a sink on
127.0.0.1 that answers like the destination, posts payment.succeeded events
for --duration, waits for their delivery and reports accepted events/s,
ingest latency, delivered vs accepted, delivery lag (sink arrival minus
the start of the event's ingest request), the CPU time used per delivery and,
on SQLite, what its single writer did. With --backlog N it queues N events
while the dispatcher is held back, then starts it and times the drain.

Flags:
`)
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.Scenario, "scenario", scenarioSegmentDoc, "what to deliver: webhook (plain URL), segment-doc (Segment, source-document handler) or fanout10 (ten webhook endpoints)")
	fs.StringVar(&cfg.DatabaseURL, "database-url", "", "PostgreSQL URL for the in-process hookbridge (default: SQLite in a temporary directory)")
	fs.StringVar(&cfg.Target, "target", "", "base URL of a running hookbridge to load instead of starting one (it must reach the sink: see --sink)")
	fs.StringVar(&cfg.Token, "token", "", "admin API token of --target")
	fs.StringVar(&cfg.SinkAddr, "sink", "127.0.0.1:0", "address of the sink; with --target, a fixed one that the target's HOOKBRIDGE_HOST_OVERRIDES (api.segment.io=http://ADDR) points at")
	fs.IntVar(&cfg.Rate, "rate", 0, "events per second; 0 posts as fast as --concurrency allows")
	fs.IntVar(&cfg.Concurrency, "concurrency", 32, "ingest requests in flight at once")
	fs.DurationVar(&cfg.Duration, "duration", 10*time.Second, "how long to post events (at most 10m)")
	fs.IntVar(&cfg.MaxEvents, "max-events", 1_000_000, "most events to post")
	fs.DurationVar(&cfg.DrainTimeout, "drain-timeout", time.Minute, "how long to wait for deliveries after the last event")
	fs.IntVar(&cfg.Backlog, "backlog", 0, "queue this many events with the dispatcher held back, then time the drain (in-process only)")
	fs.IntVar(&cfg.Workers, "workers", 0, "delivery workers of the in-process hookbridge (0: its default)")
	fs.DurationVar(&cfg.CommitDelay, "sqlite-commit-delay", sqlite.DefaultCommitDelay, "group commit delay of the in-process hookbridge's SQLite store, as HOOKBRIDGE_SQLITE_COMMIT_DELAY (0s: none)")
	fs.StringVar(&cfg.CPUProfile, "cpuprofile", "", "write a CPU profile of the whole run (hookbridge, load and sink) to this file")
	fs.BoolVar(&cfg.JSON, "json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %v", fs.Args())
	}
	return cfg, cfg.check()
}

func (c config) check() error {
	switch {
	case !slices.Contains(scenarios, c.Scenario):
		return fmt.Errorf("--scenario must be one of %v", scenarios)
	case c.Rate < 0:
		return errors.New("--rate must not be negative")
	case c.CommitDelay < 0:
		return errors.New("--sqlite-commit-delay must not be negative")
	case c.Concurrency < 1 || c.Concurrency > 1024:
		return errors.New("--concurrency must be 1 to 1024")
	case c.Duration <= 0 || c.Duration > maxDuration:
		return fmt.Errorf("--duration must be more than 0 and at most %v", maxDuration)
	case c.MaxEvents < 1 || c.MaxEvents > maxEvents:
		return fmt.Errorf("--max-events must be 1 to %d", maxEvents)
	case c.Backlog < 0 || c.Backlog > maxBacklog:
		return fmt.Errorf("--backlog must be 0 to %d", maxBacklog)
	case c.DrainTimeout <= 0 || c.DrainTimeout > maxDuration:
		return fmt.Errorf("--drain-timeout must be more than 0 and at most %v", maxDuration)
	case c.Target != "" && c.Token == "":
		return errors.New("--target needs --token")
	case c.Target != "" && c.Backlog > 0:
		return errors.New("--backlog needs the in-process hookbridge (it holds the dispatcher back)")
	case c.Target != "" && c.DatabaseURL != "":
		return errors.New("--database-url is for the in-process hookbridge; a target has its own")
	}
	if c.Target != "" {
		if u, err := url.Parse(c.Target); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return errors.New("--target must be an http:// or https:// URL")
		}
	}
	return nil
}

// run does one measurement and prints its report to out.
func run(ctx context.Context, cfg config, out io.Writer) error {
	if cfg.CPUProfile != "" {
		stopProfile, err := startCPUProfile(cfg.CPUProfile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	rep, err := measure(ctx, cfg)
	if err != nil {
		return err
	}
	if cfg.JSON {
		return rep.writeJSON(out)
	}
	return rep.print(out)
}

// measure sets up, loads, waits and tears down.
func measure(ctx context.Context, cfg config) (rep *report, err error) {
	runID := randomHex(4)
	s, err := startSink(cfg.SinkAddr, runID)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, s.close(context.Background())) }()

	hb, err := openHookbridge(ctx, cfg, s.URL())
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, hb.stop()) }()

	setupCtx, cancel := context.WithTimeout(ctx, setupTimeout)
	defer cancel()
	app, endpoints, err := setUpScenario(setupCtx, hb.api, cfg.Scenario, runID, s.URL())
	if err != nil {
		return nil, err
	}
	defer func() {
		cleanupCtx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		err = errors.Join(err, tearDownScenario(cleanupCtx, hb.api, app, endpoints))
	}()
	bodies, err := newEventBodies(runID)
	if err != nil {
		return nil, err
	}

	rep = &report{Scenario: cfg.Scenario, Database: databaseName(cfg), Mode: modeName(cfg), CPUs: runtime.GOMAXPROCS(0),
		GCPercent: cfg.GCPercent,
		Rate:      cfg.Rate, Concurrency: cfg.Concurrency, Endpoints: len(endpoints)}
	plan := loadPlan{rate: cfg.Rate, concurrency: cfg.Concurrency, duration: cfg.Duration, count: cfg.MaxEvents}
	if cfg.Backlog > 0 {
		plan = loadPlan{concurrency: cfg.Concurrency, count: cfg.Backlog}
		rep.Rate = 0
	}
	work := startWorkMeter(hb.writerStats)
	load := postEvents(ctx, hb.api, app, bodies, plan)
	rep.addLoad(load)
	var drainStart time.Time
	if hb.startDelivery != nil {
		drainStart = time.Now()
		hb.startDelivery()
	}
	waitForDeliveries(ctx, s, rep.ExpectedDeliveries, cfg.DrainTimeout)
	arrivals, dups, unknown := s.snapshot()
	rep.addDeliveries(load, arrivals, dups, unknown)
	if hb.startDelivery != nil {
		rep.addDrain(load.accepted, drainStart, arrivals)
	}
	rep.addWork(work.read(), len(arrivals))
	return rep, ctx.Err()
}

func openHookbridge(ctx context.Context, cfg config, sinkURL string) (*hookbridgeUnderTest, error) {
	if cfg.Target != "" {
		return useTarget(cfg.Target, cfg.Token, cfg.Concurrency), nil
	}
	return startInProcess(ctx, cfg, sinkURL, cfg.Backlog > 0)
}

func databaseName(cfg config) string {
	switch {
	case cfg.Target != "":
		return "the target's database"
	case cfg.DatabaseURL != "":
		return "PostgreSQL"
	}
	return "SQLite"
}

func modeName(cfg config) string {
	if cfg.Target != "" {
		return "target " + cfg.Target
	}
	return "in-process"
}

func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
