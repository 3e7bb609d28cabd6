package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/retention"
)

// TestPruneDeletesCustomerIndexRows: a message is indexed under its
// customer id and e-mail address, and pruning it deletes both rows.
func TestPruneDeletesCustomerIndexRows(t *testing.T) {
	dbURL := freshDatabase(t)
	s := openStore(t, dbURL)
	f := newFixture(t, s)
	ctx := context.Background()
	m := &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: f.app.ID, EventType: "payment.succeeded",
		Payload:   []byte(`{"data":{"customer":{"customer_id":"cus_1","email":"Jane@Example.com"}}}`),
		CreatedAt: time.Now().Add(-100 * retention.Day)}
	if _, err := s.CreateMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	if n := countIndexRows(t, dbURL); n != 2 {
		t.Fatalf("message indexed under %d keys, want 2", n)
	}
	settleAll(t, s, hookbridge.DeliverySucceeded)
	if n, err := s.PruneMessages(ctx, f.app.ID, time.Now().Add(-90*retention.Day), 10); err != nil || n != 1 {
		t.Fatalf("prune: %d, %v; want 1 message", n, err)
	}
	if n := countIndexRows(t, dbURL); n != 0 {
		t.Errorf("%d customer index rows outlive their message", n)
	}
}

func countIndexRows(t *testing.T, dbURL string) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM message_customers`).Scan(&n); err != nil {
		t.Fatalf("count index rows: %v", err)
	}
	return n
}
