package sqlite

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/retention"
	"github.com/hookbridge/hookbridge/storetest"
)

// TestPruneDeletesCustomerIndexRows: a message is indexed under its
// customer id and e-mail address, and pruning it deletes both rows.
func TestPruneDeletesCustomerIndexRows(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "index.db"), storetest.NewTestCipher())
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()
	ctx := t.Context()
	old := time.Now().Add(-100 * retention.Day)
	if err := s.CreateApp(ctx, &hookbridge.App{ID: "acme", Name: "Acme", CreatedAt: old}); err != nil {
		t.Fatal(err)
	}
	m := &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: "acme", EventType: "payment.succeeded",
		Payload:   []byte(`{"data":{"customer":{"customer_id":"cus_1","email":"Jane@Example.com"}}}`),
		CreatedAt: old}
	if _, err := s.CreateMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	if n := countIndexRows(t, s); n != 2 {
		t.Fatalf("message indexed under %d keys, want 2", n)
	}
	if n, err := s.PruneMessages(ctx, "acme", time.Now().Add(-90*retention.Day), 10); err != nil || n != 1 {
		t.Fatalf("prune: %d, %v; want 1 message", n, err)
	}
	if n := countIndexRows(t, s); n != 0 {
		t.Errorf("%d customer index rows outlive their message", n)
	}
}

func countIndexRows(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.write.QueryRowContext(t.Context(), `SELECT count(*) FROM message_customers`).Scan(&n); err != nil {
		t.Fatalf("count index rows: %v", err)
	}
	return n
}
