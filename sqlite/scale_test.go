package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/storetest"
)

// The *AtScale benchmarks measure the hot paths on a database that holds
// months of history: storetest.ScaleMessages (10,000 by default) delivered
// messages, each with its delivery and attempt, plus a queue of due
// deliveries. Run them at a million with
//
//	HOOKBRIDGE_BENCH_MESSAGES=1000000 go test ./sqlite -run '^$' -bench AtScale -benchtime 2000x -timeout 30m
//
// docs/scaling.md records the numbers and the query plans.

// scaleQueue is how many due deliveries wait while claiming is measured.
const scaleQueue = 1000

// scaleStore returns a store with one app ("bench"), one endpoint, n
// messages of history and scaleQueue due deliveries.
func scaleStore(b *testing.B) (hookbridge.Store, *hookbridge.Endpoint) {
	b.Helper()
	s, path := openTestStore(b)
	ctx := b.Context()
	now := time.Now()
	if err := s.CreateApp(ctx, &hookbridge.App{ID: "bench", Name: "Bench", CreatedAt: now.Add(-365 * 24 * time.Hour)}); err != nil {
		b.Fatal(err)
	}
	ep := &hookbridge.Endpoint{ID: hookbridge.NewID("ep"), AppID: "bench", Name: "Segment", Integration: "webhook",
		URL: "https://example.com/hooks", Credentials: hookbridge.Credentials{"signing_secret": "whsec_x"},
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.CreateEndpoint(ctx, ep); err != nil {
		b.Fatal(err)
	}
	n := storetest.ScaleMessages(b)
	started := time.Now()
	if err := seedHistory(ctx, path, ep.ID, n, now); err != nil {
		b.Fatalf("seed %d messages: %v", n, err)
	}
	b.Logf("seeded %d messages of history in %v", n, time.Since(started).Round(time.Millisecond))
	for range scaleQueue {
		if _, err := s.CreateMessage(ctx, benchMessage(now.Add(-time.Minute))); err != nil {
			b.Fatal(err)
		}
	}
	return s, ep
}

// seedHistory loads n messages of history, each with its delivery and
// attempt, in one transaction of multi-row inserts through a connection of
// its own, then refreshes the planner's statistics and checkpoints the
// write-ahead log.
func seedHistory(ctx context.Context, path, endpointID string, n int, now time.Time) error {
	db, err := sql.Open("sqlite", path+"?_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	inserts := []*bulkInsert{
		{table: "messages", columns: "id, app_id, event_type, event_id, source_id, payload, created_at"},
		{table: "deliveries", columns: "id, app_id, message_id, endpoint_id, event_type, status, attempts, next_attempt_at, last_error, created_at, updated_at"},
		{table: "attempts", columns: "id, delivery_id, request_method, request_url, request_headers, request_body, response_status, response_headers, response_body, duration_ns, error, created_at"},
	}
	err = storetest.History("bench", endpointID, n, now, func(r *storetest.HistoryRecord) error {
		m, d, a := &r.Message, &r.Delivery, &r.Attempt
		reqHeaders, _ := json.Marshal(a.Request.Headers)
		respHeaders, _ := json.Marshal(a.ResponseHeaders)
		rows := [][]any{
			{m.ID, m.AppID, m.EventType, m.EventID, "", string(m.Payload), m.CreatedAt.UnixMicro()},
			{d.ID, d.AppID, d.MessageID, d.EndpointID, d.EventType, string(d.Status), d.Attempts,
				d.NextAttemptAt.UnixMicro(), "", d.CreatedAt.UnixMicro(), d.UpdatedAt.UnixMicro()},
			{a.ID, a.DeliveryID, a.Request.Method, a.Request.URL, string(reqHeaders), a.Request.Body,
				a.ResponseStatus, string(respHeaders), a.ResponseBody, int64(a.Duration), "", a.CreatedAt.UnixMicro()},
		}
		for i, ins := range inserts {
			if err := ins.add(ctx, tx, rows[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, ins := range inserts {
		if err := ins.flush(ctx, tx); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		return err
	}
	// Move the load from the write-ahead log into the database file, as
	// checkpoints would have over the months.
	_, err = db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return err
}

// bulkInsert gathers rows into multi-row INSERT statements of up to
// bulkRows rows.
type bulkInsert struct {
	table, columns string
	rows           int
	args           []any
}

const bulkRows = 400

func (b *bulkInsert) add(ctx context.Context, tx *sql.Tx, row []any) error {
	b.args = append(b.args, row...)
	b.rows++
	if b.rows < bulkRows {
		return nil
	}
	return b.flush(ctx, tx)
}

func (b *bulkInsert) flush(ctx context.Context, tx *sql.Tx) error {
	if b.rows == 0 {
		return nil
	}
	width := len(b.args) / b.rows
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	query := fmt.Sprintf("INSERT INTO %s (%s) VALUES %s", b.table, b.columns,
		strings.TrimSuffix(strings.Repeat(row+", ", b.rows), ", "))
	if _, err := tx.ExecContext(ctx, query, b.args...); err != nil {
		return fmt.Errorf("insert into %s: %w", b.table, err)
	}
	b.rows, b.args = 0, b.args[:0]
	return nil
}

// BenchmarkClaimAtScale claims batches of 10 due deliveries out of a queue
// of 1000, beside the history, and completes each with an attempt that
// makes it due again (so the queue keeps its size). One op is one batch:
// a worker's claim, and ten outcomes recorded; claim-µs/op is the part
// spent claiming.
func BenchmarkClaimAtScale(b *testing.B) {
	const batch = 10
	s, ep := scaleStore(b)
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
				Request: hookbridge.RecordedRequest{Method: "POST", URL: ep.URL, Body: benchPayload}}
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
	s, _ := scaleStore(b)
	ctx := b.Context()
	for b.Loop() {
		if _, err := s.CreateMessage(ctx, benchMessage(time.Now())); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "messages/s")
}
