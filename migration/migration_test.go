package migration_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/hookbridge/hookbridge/migration"

	_ "modernc.org/sqlite"
)

// openDB opens a new SQLite file the way the sqlite store opens its writer.
func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func newDB(t *testing.T) *sql.DB {
	return openDB(t, filepath.Join(t.TempDir(), "test.db"))
}

func files(sqlByName map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, body := range sqlByName {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return fsys
}

var threeMigrations = files(map[string]string{
	"0001_create_things.sql": "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
	"0002_seed.sql":          "INSERT INTO things (name) VALUES ('a');\nINSERT INTO things (name) VALUES ('b');",
	"0003_add_colour.sql":    "ALTER TABLE things ADD COLUMN colour TEXT NOT NULL DEFAULT 'red';",
	"README.md":              "not a migration",
})

type record struct {
	version   int64
	name      string
	appliedAt string
}

func records(t *testing.T, db *sql.DB) []record {
	t.Helper()
	rows, err := db.Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	defer rows.Close()
	var out []record
	for rows.Next() {
		var r record
		if err := rows.Scan(&r.version, &r.name, &r.appliedAt); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func count(t *testing.T, db *sql.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestRunAppliesInOrderAndRecords(t *testing.T) {
	db := newDB(t)
	before := time.Now().Add(-time.Second)
	applied, err := migration.Run(t.Context(), db, threeMigrations, migration.SQLite())
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if applied != 3 {
		t.Errorf("applied %d, want 3", applied)
	}
	if n := count(t, db, "SELECT count(*) FROM things WHERE colour = 'red'"); n != 2 {
		t.Errorf("things after migrating: %d, want 2 (migrations ran out of order?)", n)
	}
	got := records(t, db)
	wantNames := []string{"create_things", "seed", "add_colour"}
	if len(got) != len(wantNames) {
		t.Fatalf("recorded %d migrations, want %d", len(got), len(wantNames))
	}
	for i, r := range got {
		if r.version != int64(i+1) || r.name != wantNames[i] {
			t.Errorf("record %d = %d %q, want %d %q", i, r.version, r.name, i+1, wantNames[i])
		}
		at, err := time.Parse(time.RFC3339Nano, r.appliedAt)
		if err != nil || at.Before(before) || at.After(time.Now()) {
			t.Errorf("applied_at %q is not the time of the run (%v)", r.appliedAt, err)
		}
	}
}

func TestRunIsIdempotentAndAppliesOnlyNewOnes(t *testing.T) {
	db := newDB(t)
	first := files(map[string]string{"0001_create_things.sql": "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT);"})
	if _, err := migration.Run(t.Context(), db, first, migration.SQLite()); err != nil {
		t.Fatalf("first run: %v", err)
	}
	applied, err := migration.Run(t.Context(), db, threeMigrations, migration.SQLite())
	if err != nil || applied != 2 {
		t.Fatalf("run with two new migrations: applied %d, %v; want 2", applied, err)
	}
	applied, err = migration.Run(t.Context(), db, threeMigrations, migration.SQLite())
	if err != nil || applied != 0 {
		t.Fatalf("run again: applied %d, %v; want 0", applied, err)
	}
	if n := count(t, db, "SELECT count(*) FROM things"); n != 2 {
		t.Errorf("seed ran %d/2 times", n)
	}
}

func TestRunFailedMigrationIsRolledBack(t *testing.T) {
	db := newDB(t)
	fsys := files(map[string]string{
		"0001_create_things.sql": "CREATE TABLE things (id INTEGER PRIMARY KEY);",
		"0002_broken.sql":        "CREATE TABLE half (id INTEGER);\nINSERT INTO no_such_table VALUES (1);",
		"0003_never.sql":         "CREATE TABLE never (id INTEGER);",
	})
	applied, err := migration.Run(t.Context(), db, fsys, migration.SQLite())
	if err == nil || !strings.Contains(err.Error(), "0002_broken.sql") {
		t.Fatalf("run with a broken migration: %v, want an error naming the file", err)
	}
	if applied != 1 {
		t.Errorf("applied %d before the failure, want 1", applied)
	}
	if got := records(t, db); len(got) != 1 {
		t.Errorf("recorded %d migrations, want only the first", len(got))
	}
	if n := count(t, db, "SELECT count(*) FROM sqlite_master WHERE name IN ('half', 'never')"); n != 0 {
		t.Errorf("the failed migration left %d tables behind", n)
	}
}

func TestRunRejectsInconsistentDatabase(t *testing.T) {
	tests := []struct {
		name    string
		applied []int64
		want    string
	}{
		{"version unknown to the program", []int64{1, 2, 3, 4}, "unknown"},
		{"gap in applied versions", []int64{1, 3}, "gap"},
		{"first version missing", []int64{2}, "gap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newDB(t)
			if _, err := migration.Run(t.Context(), db, files(nil), migration.SQLite()); err != nil {
				t.Fatalf("create table: %v", err)
			}
			for _, v := range tt.applied {
				if _, err := db.Exec("INSERT INTO schema_migrations VALUES (?, 'x', '')", v); err != nil {
					t.Fatal(err)
				}
			}
			_, err := migration.Run(t.Context(), db, threeMigrations, migration.SQLite())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("run: %v, want an error about a %s", err, tt.want)
			}
			if _, err := migration.Pending(t.Context(), db, threeMigrations); err == nil {
				t.Errorf("pending: no error")
			}
			if n := count(t, db, "SELECT count(*) FROM sqlite_master WHERE name = 'things'"); n != 0 {
				t.Errorf("migrations ran on an inconsistent database")
			}
		})
	}
}

func TestLoadChecksFiles(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  string // part of the error; empty for none
	}{
		{"in order", []string{"0001_a.sql", "0002_b-c.sql", "notes.txt"}, ""},
		{"none", nil, ""},
		{"gap", []string{"0001_a.sql", "0003_c.sql"}, "expected version 2"},
		{"repeat", []string{"0001_a.sql", "0001_b.sql"}, "expected version 2"},
		{"starts at two", []string{"0002_a.sql"}, "expected version 1"},
		{"no name", []string{"0001.sql"}, "name must look like"},
		{"no version", []string{"init.sql"}, "name must look like"},
		{"space in name", []string{"0001_a b.sql"}, "name must look like"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tt.files {
				fsys[f] = &fstest.MapFile{Data: []byte("SELECT 1;")}
			}
			migrations, err := migration.Load(fsys)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("load: %v", err)
				}
				for i, m := range migrations {
					if m.Version != int64(i+1) {
						t.Errorf("migration %d has version %d", i, m.Version)
					}
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("load: %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestPending(t *testing.T) {
	db := newDB(t)
	if _, err := migration.Pending(t.Context(), db, threeMigrations); err == nil {
		t.Errorf("pending before any run: no error, want one (no table)")
	}
	first := files(map[string]string{"0001_create_things.sql": "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT);"})
	if _, err := migration.Run(t.Context(), db, first, migration.SQLite()); err != nil {
		t.Fatal(err)
	}
	n, err := migration.Pending(t.Context(), db, threeMigrations)
	if err != nil || n != 2 {
		t.Errorf("pending after the first: %d, %v; want 2", n, err)
	}
	if _, err := migration.Run(t.Context(), db, threeMigrations, migration.SQLite()); err != nil {
		t.Fatal(err)
	}
	n, err = migration.Pending(t.Context(), db, threeMigrations)
	if err != nil || n != 0 {
		t.Errorf("pending after all: %d, %v; want 0", n, err)
	}
}

// TestRunConcurrently starts several runners on one database at once, as
// several processes would: each migration must be applied exactly once.
func TestRunConcurrently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	const runners = 4
	dbs := make([]*sql.DB, runners)
	for i := range dbs {
		dbs[i] = openDB(t, path)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total int
	)
	for _, db := range dbs {
		wg.Go(func() {
			applied, err := migration.Run(t.Context(), db, threeMigrations, migration.SQLite())
			if err != nil {
				t.Errorf("run: %v", err)
			}
			mu.Lock()
			total += applied
			mu.Unlock()
		})
	}
	wg.Wait()
	if total != 3 {
		t.Errorf("runners applied %d migrations between them, want 3", total)
	}
	if n := count(t, dbs[0], "SELECT count(*) FROM things"); n != 2 {
		t.Errorf("seed ran %d/2 times", n)
	}
}

// TestLockIsTakenInEveryTransaction checks that a dialect's lock guards
// every transaction the runner opens, before it reads anything.
func TestLockIsTakenInEveryTransaction(t *testing.T) {
	db := newDB(t)
	var locks int
	dialect := migration.SQLite()
	dialect.Lock = func(ctx context.Context, tx *sql.Tx) error {
		locks++
		// Proves the lock runs inside the runner's transaction.
		_, err := tx.ExecContext(ctx, "CREATE TEMP TABLE IF NOT EXISTS lock_probe (n INTEGER)")
		return err
	}
	if _, err := migration.Run(t.Context(), db, threeMigrations, dialect); err != nil {
		t.Fatal(err)
	}
	// One to create schema_migrations, one per migration.
	if locks != 4 {
		t.Errorf("lock taken %d times, want 4", locks)
	}
}

func TestPlaceholders(t *testing.T) {
	if got := migration.Postgres(42).Placeholder(3); got != "$3" {
		t.Errorf("postgres placeholder 3 = %q", got)
	}
	if got := migration.SQLite().Placeholder(3); got != "?" {
		t.Errorf("sqlite placeholder 3 = %q", got)
	}
	if migration.Postgres(42).Lock == nil || migration.SQLite().Lock != nil {
		t.Errorf("postgres must lock, sqlite need not")
	}
}
