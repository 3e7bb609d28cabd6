package sqlite

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/storetest"
)

// TestAFullDatabaseRefusesWritesAsStorageFull: a database that cannot grow
// (here held at its size by max_page_count, as a full disk would) refuses
// writes with hookbridge.ErrStorageFull, whether through the writer or
// directly on the write connection.
func TestAFullDatabaseRefusesWritesAsStorageFull(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "full.db"), storetest.NewTestCipher())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now().UTC()
	if err := s.CreateApp(ctx, &hookbridge.App{ID: "acme", Name: "Acme", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	var pages int
	if err := s.write.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.write.ExecContext(ctx, `PRAGMA max_page_count = `+itoa(pages)); err != nil {
		t.Fatal(err)
	}

	big := []byte(`{"data":"` + strings.Repeat("x", 256<<10) + `"}`)
	msg := &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: "acme", EventType: "payment.succeeded", Payload: big, CreatedAt: now}
	if _, err := s.CreateMessage(ctx, msg); !errors.Is(err, hookbridge.ErrStorageFull) {
		t.Errorf("create message in a full database: %v, want ErrStorageFull", err)
	}
	app := &hookbridge.App{ID: "globex", Name: strings.Repeat("g", 200), CreatedAt: now}
	for i := 0; i < 200 && err == nil; i++ {
		app.ID = "globex-" + itoa(i)
		err = s.CreateApp(ctx, app)
	}
	if !errors.Is(err, hookbridge.ErrStorageFull) {
		t.Errorf("create apps until the database is full: %v, want ErrStorageFull", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
