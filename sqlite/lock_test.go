package sqlite_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/sqlite"
	"github.com/hookbridge/hookbridge/storetest"
)

func openExclusive(t *testing.T, path string) (*sqlite.Store, error) {
	t.Helper()
	s, err := sqlite.Open(t.Context(), path, storetest.NewTestCipher(), sqlite.Exclusive())
	if err == nil {
		t.Cleanup(func() { s.Close() })
	}
	return s, err
}

// TestExclusiveRefusesSecondOpen: while one store holds the file, a second
// exclusive open fails naming the holder's pid; after Close it succeeds.
func TestExclusiveRefusesSecondOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hookbridge.db")
	first, err := openExclusive(t, path)
	if err != nil {
		t.Fatalf("first open: %v", err)
	}
	_, err = openExclusive(t, path)
	var locked *sqlite.LockedError
	if !errors.As(err, &locked) || !errors.Is(err, sqlite.ErrLocked) {
		t.Fatalf("second open: %v, want a LockedError", err)
	}
	if locked.PID != os.Getpid() || !strings.Contains(err.Error(), "process "+strconv.Itoa(os.Getpid())) {
		t.Errorf("second open's error %q does not name pid %d", err, os.Getpid())
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := openExclusive(t, path); err != nil {
		t.Errorf("open after the holder closed: %v", err)
	}
}

// TestExclusiveTakesBackLeases: a process that dies leaves leases and its
// node row; the next exclusive open ends the leases at once and forgets the
// node, while an open without the lock leaves them.
func TestExclusiveTakesBackLeases(t *testing.T) {
	s, path := openTestStore(t)
	ctx := t.Context()
	now := time.Now()
	must(t, s.CreateApp(ctx, &hookbridge.App{ID: "acme", Name: "Acme", CreatedAt: now}))
	e := &hookbridge.Endpoint{ID: hookbridge.NewID("ep"), AppID: "acme", Integration: "webhook", URL: "https://example.com/hook",
		Version: 1, CreatedAt: now, UpdatedAt: now}
	must(t, s.CreateEndpoint(ctx, e))
	for range 3 {
		m := &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: "acme", EventType: "payment.succeeded",
			Payload: []byte(`{}`), CreatedAt: now}
		_, err := s.CreateMessage(ctx, m)
		must(t, err)
	}
	must(t, s.Heartbeat(ctx, &hookbridge.Node{ID: "node_dead", StartedAt: now, LastSeenAt: now}))
	claims, err := s.Claim(ctx, hookbridge.ClaimQuery{Now: now, Limit: 10, Lease: time.Hour, Node: "node_dead"})
	must(t, err)
	if len(claims) != 3 {
		t.Fatalf("claimed %d deliveries, want 3", len(claims))
	}
	must(t, s.Close())

	shared, err := sqlite.Open(ctx, path, storetest.NewTestCipher())
	must(t, err)
	if again, _ := shared.ClaimDeliveries(ctx, now, 10, time.Hour); len(again) != 0 {
		t.Errorf("an open without the lock made %d leased deliveries claimable", len(again))
	}
	must(t, shared.Close())

	restarted, err := openExclusive(t, path)
	must(t, err)
	if got := restarted.TakenBack(); got != 3 {
		t.Errorf("TakenBack = %d, want 3", got)
	}
	again, err := restarted.ClaimDeliveries(ctx, now.Add(time.Second), 10, time.Hour)
	must(t, err)
	if len(again) != 3 {
		t.Errorf("claimed %d deliveries after the restart, want all 3 at once", len(again))
	}
	nodes, err := restarted.ListNodes(ctx)
	must(t, err)
	if len(nodes) != 0 {
		t.Errorf("the dead process's node is still listed: %+v", nodes[0])
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
