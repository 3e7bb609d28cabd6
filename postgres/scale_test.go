package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/storetest"
)

// The *AtScale benchmarks measure the hot paths on a database that holds
// months of history: storetest.ScaleMessages (10,000 by default) delivered
// messages, each with its delivery and attempt, plus a queue of due
// deliveries. Run them at a million with
//
//	HOOKBRIDGE_BENCH_MESSAGES=1000000 go test ./postgres -run '^$' -bench AtScale -benchtime 2000x -timeout 30m
//
// docs/scaling.md records the numbers and the query plans.

// scaleQueue is how many due deliveries wait while claiming is measured.
const scaleQueue = 1000

// scaleStore returns a store on a fresh database with one app, one
// endpoint, n messages of history and scaleQueue due deliveries.
func scaleStore(b *testing.B) (hookbridge.Store, fixture) {
	b.Helper()
	dbURL := freshDatabase(b)
	s := openStore(b, dbURL)
	f := newFixture(b, s)
	n := storetest.ScaleMessages(b)
	started := time.Now()
	if err := seedHistory(b.Context(), dbURL, f, n, time.Now()); err != nil {
		b.Fatalf("seed %d messages: %v", n, err)
	}
	b.Logf("seeded %d messages of history in %v", n, time.Since(started).Round(time.Millisecond))
	for range scaleQueue {
		m := &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: f.app.ID, EventType: "payment.succeeded",
			Payload: []byte(benchPayload), CreatedAt: time.Now().Add(-time.Minute)}
		if _, err := s.CreateMessage(b.Context(), m); err != nil {
			b.Fatal(err)
		}
	}
	return s, f
}

const benchPayload = `{"business_id":"biz_1","type":"payment.succeeded","timestamp":"2026-01-01T00:00:00Z","data":{"amount":400,"currency":"JPY"}}`

// seedChunk is how many records go into one COPY of each table.
const seedChunk = 20_000

// seedHistory loads n messages of history, each with its delivery and
// attempt, with COPY in one transaction, then vacuums and analyzes the
// database and checkpoints.
func seedHistory(ctx context.Context, dbURL string, f fixture, n int, now time.Time) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.Background())
	var chunk historyChunk
	err = storetest.History(f.app.ID, f.endpoint.ID, n, now, func(r *storetest.HistoryRecord) error {
		chunk.add(r)
		if len(chunk.messages) < seedChunk {
			return nil
		}
		return chunk.copy(ctx, tx)
	})
	if err == nil {
		err = chunk.copy(ctx, tx)
	}
	if err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	// What autovacuum would have done over the months: hint bits set, the
	// visibility map filled, statistics gathered.
	if _, err := conn.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		return err
	}
	// Flush the load now rather than in a checkpoint while measuring. Only
	// a superuser (or pg_checkpoint) may; without it the numbers are noisier.
	if _, err := conn.Exec(ctx, "CHECKPOINT"); err != nil {
		fmt.Fprintf(os.Stderr, "seed history: CHECKPOINT refused (%v); measuring anyway\n", err)
	}
	return nil
}

// historyChunk holds rows for COPY, table by table.
type historyChunk struct {
	messages, deliveries, attempts [][]any
}

func (c *historyChunk) add(r *storetest.HistoryRecord) {
	m, d, a := &r.Message, &r.Delivery, &r.Attempt
	reqHeaders, _ := json.Marshal(a.Request.Headers)
	respHeaders, _ := json.Marshal(a.ResponseHeaders)
	c.messages = append(c.messages, []any{m.ID, m.AppID, m.EventType, m.EventID, "", []byte(m.Payload), m.CreatedAt})
	c.deliveries = append(c.deliveries, []any{d.ID, d.AppID, d.MessageID, d.EndpointID, d.EventType, string(d.Status),
		int32(d.Attempts), d.NextAttemptAt, "", d.CreatedAt, d.UpdatedAt})
	c.attempts = append(c.attempts, []any{a.ID, a.DeliveryID, a.Request.Method, a.Request.URL, string(reqHeaders),
		[]byte(a.Request.Body), int32(a.ResponseStatus), string(respHeaders), []byte(a.ResponseBody), int64(a.Duration), "", a.CreatedAt})
}

func (c *historyChunk) copy(ctx context.Context, tx pgx.Tx) error {
	tables := []struct {
		name    string
		columns []string
		rows    *[][]any
	}{
		{"messages", []string{"id", "app_id", "event_type", "event_id", "source_id", "payload", "created_at"}, &c.messages},
		{"deliveries", []string{"id", "app_id", "message_id", "endpoint_id", "event_type", "status", "attempts",
			"next_attempt_at", "last_error", "created_at", "updated_at"}, &c.deliveries},
		{"attempts", []string{"id", "delivery_id", "request_method", "request_url", "request_headers", "request_body",
			"response_status", "response_headers", "response_body", "duration_ns", "error", "created_at"}, &c.attempts},
	}
	for _, t := range tables {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.columns, pgx.CopyFromRows(*t.rows)); err != nil {
			return fmt.Errorf("copy %s: %w", t.name, err)
		}
		*t.rows = (*t.rows)[:0]
	}
	return nil
}

// BenchmarkClaimAtScale claims batches of 10 due deliveries out of a queue
// of 1000, beside the history, and completes each with an attempt that
// makes it due again (so the queue keeps its size). One op is one batch:
// a worker's claim, and ten outcomes recorded; claim-µs/op is the part
// spent claiming.
func BenchmarkClaimAtScale(b *testing.B) {
	const batch = 10
	s, _ := scaleStore(b)
	ctx := b.Context()
	now := time.Now()
	again := hookbridge.Outcome{Status: hookbridge.DeliveryPending, NextAttemptAt: now, LastError: "503"}
	var claiming time.Duration
	for b.Loop() {
		started := time.Now()
		claims, err := s.ClaimDeliveries(ctx, now, batch, time.Minute)
		claiming += time.Since(started)
		if err != nil || len(claims) != batch {
			b.Fatalf("claimed %d: %v", len(claims), err)
		}
		for _, c := range claims {
			a := &hookbridge.Attempt{ResponseStatus: 503, Duration: time.Millisecond,
				Request: hookbridge.RecordedRequest{Method: "POST", URL: "https://example.com", Body: benchPayload}}
			if err := s.CompleteAttempt(ctx, c, a, again); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "deliveries/s")
	b.ReportMetric(float64(claiming.Microseconds())/float64(b.N), "claim-µs/op")
}

// BenchmarkIngestAtScale stores messages (each with its delivery) on top of
// the history, as POST /messages does. One op is one message.
func BenchmarkIngestAtScale(b *testing.B) {
	s, f := scaleStore(b)
	ctx := b.Context()
	for b.Loop() {
		m := &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: f.app.ID, EventType: "payment.succeeded",
			Payload: []byte(benchPayload), CreatedAt: time.Now()}
		m.EventID = m.ID
		if _, err := s.CreateMessage(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "messages/s")
}
