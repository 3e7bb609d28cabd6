package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/migration"
	"github.com/hookbridge/hookbridge/sqlite"
	"github.com/hookbridge/hookbridge/storetest"
)

// openTestStore opens a store on a new file in a temporary directory.
func openTestStore(t testing.TB) (*sqlite.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hookbridge.db")
	s, err := sqlite.Open(t.Context(), path, storetest.NewTestCipher())
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return s, path
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) hookbridge.Store {
		s, _ := openTestStore(t)
		return s
	})
}

// TestReopenKeepsData opens the same file twice: migrations are not run
// again and what was written is still there.
func TestReopenKeepsData(t *testing.T) {
	s, path := openTestStore(t)
	app := &hookbridge.App{ID: "acme", Name: "Acme", CreatedAt: time.Now()}
	if err := s.CreateApp(t.Context(), app); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := sqlite.Open(t.Context(), path, storetest.NewTestCipher())
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer again.Close()
	if _, err := again.GetApp(t.Context(), "acme"); err != nil {
		t.Errorf("app after reopening: %v", err)
	}
	pending, err := migration.Pending(t.Context(), rawDB(t, path), sqlite.Migrations())
	if err != nil || pending != 0 {
		t.Errorf("pending migrations after open: %d, %v", pending, err)
	}
}

// TestReadsDuringWrites has readers and writers work at once: WAL and the
// single writer must keep every call from failing with SQLITE_BUSY.
func TestReadsDuringWrites(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := t.Context()
	now := time.Now()
	if err := s.CreateApp(ctx, &hookbridge.App{ID: "acme", Name: "Acme", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	e := &hookbridge.Endpoint{ID: hookbridge.NewID("ep"), AppID: "acme", Integration: "webhook", Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.CreateEndpoint(ctx, e); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			for range 50 {
				id := hookbridge.NewID("msg")
				m := &hookbridge.Message{ID: id, AppID: "acme", EventType: "payment.succeeded", EventID: id,
					Payload: []byte(`{}`), CreatedAt: now}
				if _, err := s.CreateMessage(ctx, m); err != nil {
					t.Errorf("write: %v", err)
					return
				}
			}
		})
		wg.Go(func() {
			for range 50 {
				if _, err := s.ListDeliveries(ctx, "acme", hookbridge.DeliveryFilter{Limit: 20}); err != nil {
					t.Errorf("read: %v", err)
					return
				}
				if _, err := s.ClaimDeliveries(ctx, now, 5, time.Minute); err != nil {
					t.Errorf("claim: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	ds, err := s.ListDeliveries(ctx, "acme", hookbridge.DeliveryFilter{})
	if err != nil || len(ds) != 150 {
		t.Errorf("deliveries after the run: %d, %v; want 150", len(ds), err)
	}
}

func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
