package sqlite_test

import (
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
)

// benchStore returns a store with one app and two endpoints that accept
// every event type.
func benchStore(b *testing.B) hookbridge.Store {
	b.Helper()
	s, _ := openTestStore(b)
	ctx := b.Context()
	now := time.Now()
	if err := s.CreateApp(ctx, &hookbridge.App{ID: "bench", Name: "Bench", CreatedAt: now}); err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"one", "two"} {
		e := &hookbridge.Endpoint{ID: hookbridge.NewID("ep"), AppID: "bench", Name: name, Integration: "webhook",
			URL: "https://example.com/" + name, Credentials: hookbridge.Credentials{"signing_secret": "whsec_x"},
			Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := s.CreateEndpoint(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

const benchPayload = `{"business_id":"biz_1","type":"payment.succeeded","timestamp":"2026-11-01T12:00:00Z",` +
	`"data":{"id":"pay_123","amount":1999,"currency":"EUR","customer":{"id":"cus_42","email":"alice@example.com"}}}`

func benchMessage(at time.Time) *hookbridge.Message {
	id := hookbridge.NewID("msg")
	return &hookbridge.Message{ID: id, AppID: "bench", EventType: "payment.succeeded", EventID: id,
		Payload: []byte(benchPayload), CreatedAt: at}
}

// BenchmarkCreateMessage stores messages that fan out to two endpoints:
// one message and two deliveries per transaction.
func BenchmarkCreateMessage(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	now := time.Now()
	for b.Loop() {
		if _, err := s.CreateMessage(ctx, benchMessage(now)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreateMessageConcurrent stores messages from 32 goroutines at
// once, as concurrent ingest requests do: the writer commits the
// transactions that wait together in one commit.
func BenchmarkCreateMessageConcurrent(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	now := time.Now()
	b.SetParallelism(32 / max(1, runtime.GOMAXPROCS(0)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.CreateMessage(ctx, benchMessage(now)); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkClaim claims batches of 10 due deliveries from a queue of 2000
// and completes each with an attempt that makes it due again, so the
// queue stays the same size. One op is one batch.
func BenchmarkClaim(b *testing.B) {
	const batch = 10
	s := benchStore(b)
	ctx := b.Context()
	now := time.Now()
	for range 1000 {
		if _, err := s.CreateMessage(ctx, benchMessage(now.Add(-time.Hour))); err != nil {
			b.Fatal(err)
		}
	}
	again := hookbridge.Outcome{Status: hookbridge.DeliveryPending, NextAttemptAt: now, LastError: "503"}
	for b.Loop() {
		claims, err := s.ClaimDeliveries(ctx, now, batch, time.Minute)
		if err != nil || len(claims) != batch {
			b.Fatalf("claimed %d: %v", len(claims), err)
		}
		for _, c := range claims {
			a := &hookbridge.Attempt{DeliveryID: c.Delivery.ID, ResponseStatus: 503, Duration: time.Millisecond,
				Request: hookbridge.RecordedRequest{Method: "POST", URL: c.Endpoint.URL, Body: benchPayload}}
			if err := s.CompleteAttempt(ctx, c, a, again); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "deliveries/s")
}

// BenchmarkClaimListed claims 20 fresh deliveries by their ids, as the
// dispatcher claims what ingest queued, while 10,000 others are due (a
// backlog): the claim looks its deliveries up by key, so its cost does not
// grow with the backlog. The leases are given back between ops, untimed.
func BenchmarkClaimListed(b *testing.B) {
	const listed = 20
	s := benchStore(b)
	ctx := b.Context()
	now := time.Now()
	ids := queueForBench(b, s, 5000, now.Add(-time.Hour))
	q := hookbridge.ClaimQuery{Now: now, Limit: listed, Lease: time.Minute, PerEndpoint: len(ids)}
	next := 0
	for b.Loop() {
		q.IDs = ids[next : next+listed]
		next = (next + listed) % (len(ids) - listed)
		claims, err := s.Claim(ctx, q)
		if err != nil || len(claims) != listed {
			b.Fatalf("claimed %d: %v", len(claims), err)
		}
		b.StopTimer()
		for _, c := range claims {
			if err := s.ReleaseClaim(ctx, c); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
	}
}

// queueForBench stores n messages created at the given time from 16
// goroutines at once and returns the ids of the deliveries they queued.
func queueForBench(b *testing.B, s hookbridge.Store, n int, at time.Time) []string {
	b.Helper()
	var (
		mu   sync.Mutex
		ids  []string
		errs []error
		wg   sync.WaitGroup
	)
	for range 16 {
		wg.Go(func() {
			for range n / 16 {
				ingested, err := s.CreateMessage(b.Context(), benchMessage(at))
				mu.Lock()
				errs = append(errs, err)
				for _, d := range ingested.Queued {
					ids = append(ids, d.ID)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		b.Fatal(err)
	}
	return ids
}

// BenchmarkCreateMessageSample stores the catalogue's payment.succeeded
// sample (about 1.5 KB, naming its customer by id and e-mail), fanned out
// to two endpoints: ingest as it is, customer index included.
func BenchmarkCreateMessageSample(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	now := time.Now()
	sample, _ := catalog.Lookup("payment.succeeded")
	for b.Loop() {
		m := benchMessage(now)
		m.Payload = sample.Sample
		if _, err := s.CreateMessage(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
}
