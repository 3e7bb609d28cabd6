package delivery_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/builtin"
	"github.com/hookbridge/hookbridge/integration/webhook/webhooktest"
	"github.com/hookbridge/hookbridge/js"
	"github.com/hookbridge/hookbridge/netguard"
	"github.com/hookbridge/hookbridge/postgres"
	"github.com/hookbridge/hookbridge/postgres/pgtest"
	"github.com/hookbridge/hookbridge/sqlite"
	"github.com/hookbridge/hookbridge/storetest"
)

// This file measures delivery on time with the real clock, at the
// receiver: rate limits kept at their set rate, retries sent when due. The
// tests hold loose bounds; the benchmarks (run with -benchtime=1x) print
// the numbers docs/benchmarks.md keeps ("Delivery on time").

// nodes is a database and the stores of the dispatchers that share it: one
// on SQLite; three on PostgreSQL, as three nodes would (each store its own
// pool), in one process.
type nodes struct {
	name   string
	stores []hookbridge.Store
}

func sqliteNodes(tb testing.TB) nodes {
	tb.Helper()
	s, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "hookbridge.db"), storetest.NewTestCipher())
	if err != nil {
		tb.Fatalf("open sqlite: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return nodes{name: "sqlite", stores: []hookbridge.Store{s}}
}

func postgresNodes(tb testing.TB) nodes {
	tb.Helper()
	url := pgtest.FreshDatabase(tb)
	n := nodes{name: "postgres-3-nodes"}
	for range 3 {
		s, err := postgres.Open(tb.Context(), url, storetest.NewTestCipher())
		if err != nil {
			tb.Fatalf("open postgres: %v", err)
		}
		tb.Cleanup(func() { s.Close() })
		n.stores = append(n.stores, s)
	}
	return n
}

// realDispatcher is a dispatcher with default settings on the real clock.
func realDispatcher(s hookbridge.Store, retry delivery.RetryPolicy) *delivery.Dispatcher {
	sender := &delivery.Sender{Client: netguard.NewClient(netguard.Config{AllowPrivate: true}), Timeout: 5 * time.Second}
	planner := &delivery.Planner{Integrations: hookbridge.NewIntegrations(builtin.All()...), Transformer: js.New(js.Options{})}
	return delivery.New(s, planner, sender, retry, delivery.Config{}, nil)
}

// queue stores an app, a webhook endpoint to `to` tuned by tune, and n
// messages at once, and returns the endpoint.
func queue(tb testing.TB, s hookbridge.Store, to *webhooktest.Server, n int, tune func(*hookbridge.Endpoint)) *hookbridge.Endpoint {
	tb.Helper()
	ctx, now := tb.Context(), time.Now()
	if err := s.CreateApp(ctx, &hookbridge.App{ID: "acme", Name: "Acme", CreatedAt: now}); err != nil {
		tb.Fatalf("create app: %v", err)
	}
	e := &hookbridge.Endpoint{ID: hookbridge.NewID("ep"), AppID: "acme", Name: "receiver", Integration: "webhook",
		URL: to.URL + "/hooks", Credentials: to.Credentials(), Version: 1, CreatedAt: now, UpdatedAt: now}
	tune(e)
	if err := s.CreateEndpoint(ctx, e); err != nil {
		tb.Fatalf("create endpoint: %v", err)
	}
	payload := []byte(`{"type":"payment.succeeded","data":{"id":"pay_1"}}`)
	for range n {
		m := &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: "acme", EventType: "payment.succeeded",
			Payload: payload, CreatedAt: time.Now()}
		if _, err := s.CreateMessage(ctx, m); err != nil {
			tb.Fatalf("create message: %v", err)
		}
	}
	return e
}

// runAll runs a dispatcher on each store until the returned stop is
// called.
func runAll(n nodes, retry delivery.RetryPolicy) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, s := range n.stores {
		d := realDispatcher(s, retry)
		wg.Go(func() { _ = d.Run(ctx) })
	}
	return func() { cancel(); wg.Wait() }
}

// rateStats is what the receiver saw of a rate-limited backlog.
type rateStats struct {
	received int
	// rate is requests per second from the first arrival to the last.
	rate float64
	// mostInASecond is the most arrivals in any window of one second
	// (sliding, starting at an arrival).
	mostInASecond int
}

func (s rateStats) String() string {
	return fmt.Sprintf("%d received at %.2f/s, at most %d in any 1 s window", s.received, s.rate, s.mostInASecond)
}

// measureRate queues a backlog of n events to an endpoint limited to
// limit per second, runs a dispatcher on every store, and measures at the
// receiver what arrived within twice the time the backlog needs, and ten
// seconds more.
func measureRate(tb testing.TB, n nodes, limit, backlog int) rateStats {
	tb.Helper()
	to := webhooktest.New(tb)
	queue(tb, n.stores[0], to, backlog, func(e *hookbridge.Endpoint) { e.RateLimit = limit })
	stop := runAll(n, delivery.RetryPolicy{})
	deadline := time.Now().Add(time.Minute) // without a limit
	if limit > 0 {
		deadline = time.Now().Add(time.Duration(backlog/limit)*2*time.Second + 10*time.Second)
	}
	for len(to.Requests()) < backlog && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	var arrivals []time.Time
	for _, r := range to.Requests() {
		arrivals = append(arrivals, r.Received)
	}
	if len(arrivals) < 2 {
		tb.Fatalf("%d of %d requests arrived", len(arrivals), backlog)
	}
	return rateOf(arrivals)
}

func rateOf(arrivals []time.Time) rateStats {
	slices.SortFunc(arrivals, time.Time.Compare)
	s := rateStats{received: len(arrivals)}
	if span := arrivals[len(arrivals)-1].Sub(arrivals[0]); span > 0 {
		s.rate = float64(len(arrivals)-1) / span.Seconds()
	}
	end := 0
	for i, first := range arrivals {
		for end < len(arrivals) && arrivals[end].Sub(first) < time.Second {
			end++
		}
		s.mostInASecond = max(s.mostInASecond, end-i)
	}
	return s
}

// TestRateLimitsHoldAtTheReceiver: a backlog to a rate-limited endpoint
// arrives at close to its limit and never much above it, on SQLite and on
// PostgreSQL with three dispatchers sharing the limit.
func TestRateLimitsHoldAtTheReceiver(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("runs for about 30 s, and measures rates the race detector's slowness would spoil")
	}
	for _, open := range []func(testing.TB) nodes{sqliteNodes, postgresNodes} {
		for _, c := range []struct{ limit, backlog int }{{1, 6}, {20, 60}, {100, 300}} {
			t.Run(fmt.Sprintf("%d", c.limit), func(t *testing.T) {
				n := open(t)
				got := measureRate(t, n, c.limit, c.backlog)
				if got.received != c.backlog {
					t.Fatalf("%s: %d of %d requests arrived", n.name, got.received, c.backlog)
				}
				t.Logf("%s, limit %d/s: %v", n.name, c.limit, got)
				limit := float64(c.limit)
				if got.rate < 0.85*limit || got.rate > 1.1*limit {
					t.Errorf("%s: %v; want a rate within 85–110 %% of the limit %d/s", n.name, got, c.limit)
				}
				if most := c.limit + c.limit/10; got.mostInASecond > most {
					t.Errorf("%s: %v; want at most %d in any second", n.name, got, most)
				}
			})
		}
	}
}

// BenchmarkRateLimitAccuracy measures rate-limited backlogs of ten
// seconds (five at 1/s) at the receiver, and the backlog of 1,000/s
// without a limit (limit 0: what the machine delivers at all). Run with
// -benchtime=1x; with -short (as CI runs benchmarks once) only the limit
// of 20/s.
func BenchmarkRateLimitAccuracy(b *testing.B) {
	limits := []int{1, 20, 100, 1000, 0}
	if testing.Short() {
		limits = []int{20}
	}
	for _, open := range []func(testing.TB) nodes{sqliteNodes, postgresNodes} {
		for _, limit := range limits {
			b.Run(fmt.Sprintf("%d", limit), func(b *testing.B) {
				for range b.N {
					n := open(b)
					backlog := max(limit*10, 6)
					switch limit {
					case 0:
						backlog = 10000
					case 1:
						backlog = 6
					}
					got := measureRate(b, n, limit, backlog)
					b.Logf("%s, limit %d/s, backlog %d: %v (%.1f %% of the limit)", n.name, limit, backlog, got, 100*got.rate/float64(max(limit, 1)))
					b.ReportMetric(got.rate, "delivered/s")
					b.ReportMetric(float64(got.mostInASecond), "most-in-1s")
				}
			})
		}
	}
}

// BenchmarkRetryPunctuality queues 1,000 (and 100) deliveries due 1–10 s after
// the dispatchers start, as retries recorded earlier are (the dispatchers
// learn their times from the store, Store.NextDue, as they do a retry
// recorded by another node or before a restart), and measures how far from
// its due time each was sent. Run with -benchtime=1x; with -short only the
// 100.
func BenchmarkRetryPunctuality(b *testing.B) {
	counts := []int{1000, 100}
	if testing.Short() {
		counts = []int{100}
	}
	for _, open := range []func(testing.TB) nodes{sqliteNodes, postgresNodes} {
		for _, count := range counts {
			b.Run(fmt.Sprint(count), func(b *testing.B) {
				for range b.N {
					n := open(b)
					to := webhooktest.New(b)
					start := time.Now().Add(20 * time.Second) // after the queueing
					e := queueDue(b, n.stores[0], to, count, start)
					if late := time.Since(start); late > 0 {
						b.Fatalf("queueing took %v too long", late)
					}
					time.Sleep(time.Until(start))
					stop := runAll(n, delivery.RetryPolicy{})
					deadline := time.Now().Add(time.Minute)
					for len(to.Requests()) < count && time.Now().Before(deadline) {
						time.Sleep(50 * time.Millisecond)
					}
					stop()
					offs := dueOffsets(b, n.stores[0], e)
					p := func(q float64) time.Duration { return offs[int(q*float64(len(offs)-1))] }
					b.Logf("%s: %d deliveries due 1–10 s out, |sent − due| p50 %v, p95 %v, p99 %v, max %v", n.name, len(offs),
						p(0.5).Round(100*time.Microsecond), p(0.95).Round(100*time.Microsecond), p(0.99).Round(100*time.Microsecond), offs[len(offs)-1].Round(100*time.Microsecond))
					b.ReportMetric(float64(p(0.95).Microseconds())/1000, "p95-ms")
				}
			})
		}
	}
}

// queueDue stores an app, a webhook endpoint to `to` and n messages, each
// due at a random time 1–10 s after start, and returns the endpoint.
func queueDue(tb testing.TB, s hookbridge.Store, to *webhooktest.Server, n int, start time.Time) *hookbridge.Endpoint {
	tb.Helper()
	e := queue(tb, s, to, 0, func(*hookbridge.Endpoint) {})
	payload := []byte(`{"type":"payment.succeeded","data":{"id":"pay_1"}}`)
	for range n {
		due := start.Add(time.Second + rand.N(9*time.Second))
		m := &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: "acme", EventType: "payment.succeeded",
			Payload: payload, CreatedAt: due}
		if _, err := s.CreateMessage(tb.Context(), m); err != nil {
			tb.Fatalf("create message: %v", err)
		}
	}
	return e
}

// dueOffsets returns, sorted, how far from its due time the first attempt
// of each of e's deliveries started.
func dueOffsets(tb testing.TB, s hookbridge.Store, e *hookbridge.Endpoint) []time.Duration {
	tb.Helper()
	ds, err := s.ListDeliveries(tb.Context(), "acme", hookbridge.DeliveryFilter{EndpointID: e.ID, Limit: 10000})
	if err != nil {
		tb.Fatalf("list deliveries: %v", err)
	}
	var offs []time.Duration
	for _, d := range ds {
		as, err := s.ListAttempts(tb.Context(), "acme", d.ID)
		if err != nil {
			tb.Fatalf("list attempts: %v", err)
		}
		if len(as) != 1 || d.Status != hookbridge.DeliverySucceeded {
			tb.Fatalf("delivery %s: %s after %d attempts, want succeeded at the first", d.ID, d.Status, len(as))
		}
		offs = append(offs, as[0].CreatedAt.Sub(d.NextAttemptAt).Abs())
	}
	slices.Sort(offs)
	return offs
}
