package postgres

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge/postgres/pgtest"
	"github.com/hookbridge/hookbridge/storetest"
)

// TestClaimPlanUsesTheIndexes explains the claim on a table with a large
// backlog behind one endpoint and checks that PostgreSQL reads each
// endpoint's due deliveries, the leased ones and the ordering check from
// their indexes rather than scanning the deliveries table.
func TestClaimPlanUsesTheIndexes(t *testing.T) {
	dbURL := pgtest.FreshDatabase(t)
	ctx := context.Background()
	s, err := Open(ctx, dbURL, storetest.NewTestCipher())
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()
	seed := []string{
		`INSERT INTO apps (id, name, created_at) VALUES ('acme', 'Acme', now())`,
		`INSERT INTO endpoints (id, app_id, name, integration, url, sealed_credentials, event_types,
			transformation_code, transformation_enabled, headers, rate_limit, disabled, version, created_at, updated_at)
		SELECT 'ep_' || i, 'acme', 'e', 'webhook', 'https://example.com', '', '{}', '', false, '{}', 0, false, 1, now(), now()
		FROM generate_series(1, 50) i`,
		`INSERT INTO messages (id, app_id, event_type, event_id, source_id, payload, created_at)
		VALUES ('msg_1', 'acme', 'payment.succeeded', 'evt_1', '', '{}', now())`,
		// A backlog of 50,000 behind ep_1, and a few for each other endpoint;
		// some ordered, some leased, some finished.
		`INSERT INTO deliveries (id, app_id, message_id, endpoint_id, event_type, status, attempts,
			next_attempt_at, last_error, created_at, updated_at, ordering_key, lease_id, lease_expires_at)
		SELECT 'dlv_' || i, 'acme', 'msg_1', CASE WHEN i <= 50000 THEN 'ep_1' ELSE 'ep_' || (i % 50 + 1) END,
			'payment.succeeded', CASE WHEN i % 10 = 0 THEN 'succeeded' ELSE 'pending' END, 0,
			now() - interval '1 hour' + i * interval '1 millisecond', '', now(), now(),
			CASE WHEN i % 3 = 0 THEN 'cus_' || (i % 97) ELSE '' END,
			CASE WHEN i % 500 = 0 THEN 'lease' END, CASE WHEN i % 500 = 0 THEN now() + interval '1 minute' END
		FROM generate_series(1, 52000) i`,
		`ANALYZE`,
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, q := range seed {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("seed: %v\n%s", err, q)
		}
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // EXPLAIN ANALYZE leases rows; undo it
	now := time.Now().UTC()
	text := explain(t, tx, "EXPLAIN (ANALYZE, COSTS OFF) "+claimQuery,
		now, now.Add(time.Minute), 16, 12, "", orphanWindow, "node", int64(250*time.Millisecond))
	for _, want := range []string{"deliveries_due_by_endpoint", "deliveries_leased", "deliveries_ordered"} {
		if !strings.Contains(text, want) {
			t.Errorf("the claim's plan does not use %s:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Seq Scan on deliveries") {
		t.Errorf("the claim scans the deliveries table:\n%s", text)
	}
	checkListedClaimPlan(t, tx, now)
	checkTakeOverPlan(t, conn)
}

// checkListedClaimPlan: a claim of listed deliveries looks them up by key
// (deliveries_pkey), however many others are due.
func checkListedClaimPlan(t *testing.T, tx pgx.Tx, now time.Time) {
	t.Helper()
	text := explain(t, tx, "EXPLAIN (ANALYZE, COSTS OFF) "+claimListedQuery,
		now, now.Add(time.Minute), 16, 12, "node", int64(250*time.Millisecond), []string{"dlv_7", "dlv_50001"})
	if !strings.Contains(text, "deliveries_pkey") || strings.Contains(text, "Seq Scan on deliveries") {
		t.Errorf("the listed claim does not look its deliveries up by key:\n%s", text)
	}
}

// checkTakeOverPlan: taking over a stale node's leases reads the partial
// index of leased deliveries, not the deliveries table.
func checkTakeOverPlan(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	text := explain(t, conn, "EXPLAIN (COSTS OFF) "+takeOverQuery, time.Now().UTC(), workChannel)
	if !strings.Contains(text, "deliveries_leased") || strings.Contains(text, "Seq Scan on deliveries") {
		t.Errorf("the takeover does not read deliveries_leased alone:\n%s", text)
	}
}

// explain runs an EXPLAIN statement on db and returns the plan's lines.
func explain(t *testing.T, db interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}, statement string, args ...any) string {
	t.Helper()
	rows, err := db.Query(context.Background(), statement, args...)
	if err != nil {
		t.Fatalf("explain: %v", err)
	}
	plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("explain: %v", err)
	}
	return strings.Join(plan, "\n")
}
