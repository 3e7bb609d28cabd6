package sqlite

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge/storetest"
)

func TestOpenRejectsUnusablePaths(t *testing.T) {
	tests := []struct {
		name, path, want string
	}{
		{"empty", "", "empty"},
		{"memory", ":memory:", "in-memory"},
		{"memory URI", "file::memory:?cache=shared", "in-memory"},
		{"memory mode", "file:x?mode=memory", "in-memory"},
		{"query", "x.db?_txlock=deferred", "must not contain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(t.Context(), tt.path, storetest.NewTestCipher())
			if err == nil {
				s.Close()
				t.Fatalf("open %q: no error", tt.path)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("open %q: %v, want an error about %q", tt.path, err, tt.want)
			}
		})
	}
	if _, err := Open(t.Context(), filepath.Join(t.TempDir(), "x.db"), nil); err == nil {
		t.Errorf("open without cipher: no error")
	}
}

// TestConnectionSettings checks the pragmas each pool runs with.
func TestConnectionSettings(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "settings.db"), storetest.NewTestCipher())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	pragma := func(pool, name string) string {
		t.Helper()
		db := s.write
		if pool == "read" {
			db = s.read
		}
		var v string
		if err := db.QueryRowContext(t.Context(), "PRAGMA "+name).Scan(&v); err != nil {
			t.Fatalf("%s pragma %s: %v", pool, name, err)
		}
		return v
	}
	tests := []struct{ pool, pragma, want string }{
		{"write", "journal_mode", "wal"},
		{"write", "synchronous", "1"},
		{"write", "foreign_keys", "1"},
		{"write", "busy_timeout", "10000"},
		{"write", "query_only", "0"},
		{"write", "wal_autocheckpoint", "10000"},
		{"read", "journal_mode", "wal"},
		{"read", "foreign_keys", "1"},
		{"read", "busy_timeout", "10000"},
		{"read", "query_only", "1"},
	}
	for _, tt := range tests {
		if got := pragma(tt.pool, tt.pragma); got != tt.want {
			t.Errorf("%s pool: %s = %s, want %s", tt.pool, tt.pragma, got, tt.want)
		}
	}
	if s.write.Stats().MaxOpenConnections != 1 {
		t.Errorf("write pool allows %d connections, want 1", s.write.Stats().MaxOpenConnections)
	}
	if _, err := s.read.ExecContext(t.Context(), "DELETE FROM apps"); err == nil {
		t.Errorf("the read pool accepted a write")
	}
}
