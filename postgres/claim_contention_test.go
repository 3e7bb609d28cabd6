package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestClaimSkipsRowsHeldElsewhere holds the five earliest due deliveries
// locked in another transaction, as a claim in flight on another node
// does, and claims meanwhile: the claim must neither wait for that
// transaction nor take the held rows, but lease the next ones at once. This
// is what keeps the head of the queue from becoming a hot spot that every
// worker of every node queues on.
func TestClaimSkipsRowsHeldElsewhere(t *testing.T) {
	dbURL := freshDatabase(t)
	s := openStore(t, dbURL)
	f := newFixture(t, s)
	for range 20 {
		f.message(t, s, `{}`)
	}

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	rows, _ := tx.Query(ctx, `SELECT id FROM deliveries WHERE status = 'pending'
		ORDER BY next_attempt_at, id LIMIT 5 FOR UPDATE`)
	held, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(held) != 5 {
		t.Fatalf("lock the head of the queue: %d rows, %v", len(held), err)
	}

	claimCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	started := time.Now()
	claims, err := s.ClaimDeliveries(claimCtx, time.Now().Add(time.Second), 10, time.Minute)
	took := time.Since(started)
	if err != nil {
		t.Fatalf("claim while the head of the queue is held: %v (after %v)", err, took)
	}
	if took > 2*time.Second {
		t.Errorf("the claim took %v: it waited for the other transaction", took)
	}
	if len(claims) != 10 {
		t.Errorf("claimed %d deliveries, want 10 of the 15 not held", len(claims))
	}
	for _, c := range claims {
		if slices.Contains(held, c.Delivery.ID) {
			t.Errorf("claimed delivery %s, which another transaction holds", c.Delivery.ID)
		}
	}
}
