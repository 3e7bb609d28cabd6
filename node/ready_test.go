package node

import (
	"database/sql"
	"testing"
)

// TestReadyThroughRollingUpgrade: once a newer version has migrated the
// database, a node of the older version that is still running stays ready,
// so that a rolling upgrade does not take every old node out of the load
// balancer at once.
func TestReadyThroughRollingUpgrade(t *testing.T) {
	dir := t.TempDir()
	n, err := Open(t.Context(), Config{DataDir: dir, AdminToken: "hbk_node-test-admin-token-0123"})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if err := n.ready(t.Context()); err != nil {
		t.Fatalf("ready on a fresh database: %v", err)
	}
	db, err := sql.Open("sqlite", sqlitePath(dir)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var latest int
	if err := db.QueryRow(`SELECT max(version) FROM schema_migrations`).Scan(&latest); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from_the_future', '')`, latest+1); err != nil {
		t.Fatal(err)
	}
	if err := n.ready(t.Context()); err != nil {
		t.Errorf("ready after a newer version migrated the database: %v", err)
	}
}
