package pgtest

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/jackc/pgx/v5"
)

// outcome records whether a test would have been skipped or failed.
type outcome struct {
	testing.TB
	skipped, failed bool
}

func (o *outcome) Helper()               {}
func (o *outcome) Skip(...any)           { o.skipped = true; runtime.Goexit() }
func (o *outcome) Fatal(...any)          { o.failed = true; runtime.Goexit() }
func (o *outcome) Fatalf(string, ...any) { o.failed = true; runtime.Goexit() }

func missing(tb testing.TB) *outcome {
	o := &outcome{TB: tb}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Missing(o, errors.New("connection refused"))
	}()
	<-done
	return o
}

func TestMissingServerSkipsUnlessRequired(t *testing.T) {
	t.Setenv(RequireEnv, "")
	if o := missing(t); !o.skipped || o.failed {
		t.Errorf("without %s: skipped %v, failed %v; want a skip", RequireEnv, o.skipped, o.failed)
	}
	t.Setenv(RequireEnv, "1")
	if o := missing(t); o.skipped || !o.failed {
		t.Errorf("with %s=1: skipped %v, failed %v; want a failure", RequireEnv, o.skipped, o.failed)
	}
}

func TestWithDatabase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://u@h:5432/postgres?sslmode=disable", "postgres://u@h:5432/other?sslmode=disable"},
		{"host=h user=u", "host=h user=u dbname=other"},
	}
	for _, tt := range tests {
		if got := WithDatabase(t, tt.in, "other"); got != tt.want {
			t.Errorf("WithDatabase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFreshDatabaseIsEmptyAndDropped(t *testing.T) {
	var name string
	t.Run("use", func(t *testing.T) {
		dbURL := FreshDatabase(t)
		conn, err := pgx.Connect(context.Background(), dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		var tables int
		err = conn.QueryRow(context.Background(),
			`SELECT current_database(), (SELECT count(*) FROM pg_tables WHERE schemaname = 'public')`).Scan(&name, &tables)
		if err != nil || tables != 0 {
			t.Fatalf("fresh database holds %d tables (%v)", tables, err)
		}
	})
	if name == "" {
		t.Skip("no server")
	}
	conn, err := pgx.Connect(context.Background(), ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var exists bool
	if err := conn.QueryRow(context.Background(),
		`SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Errorf("database %s still exists after its test ended", name)
	}
}
