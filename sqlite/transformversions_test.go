package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/migration"
	"github.com/hookbridge/hookbridge/sqlite"
	"github.com/hookbridge/hookbridge/storetest"
)

// TestVersionsMigrationGivesStoredEndpointsVersionOne: an endpoint stored
// before migration 0013 gets its transformation as version 1, saved by
// no one known, when the store opens.
func TestVersionsMigrationGivesStoredEndpointsVersionOne(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hookbridge.db")
	s, err := sqlite.Open(t.Context(), path, storetest.NewTestCipher())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	must(t, s.CreateApp(t.Context(), &hookbridge.App{ID: "acme", Name: "Acme", CreatedAt: now}))
	ep := &hookbridge.Endpoint{ID: hookbridge.NewID("ep"), AppID: "acme", Name: "hook", Integration: "webhook",
		URL: "https://example.com/hook", Transformation: hookbridge.Transformation{Code: "function handler(w) { return w }", Enabled: true},
		Version: 1, CreatedAt: now, UpdatedAt: now}
	must(t, s.CreateEndpoint(t.Context(), ep))
	must(t, s.Close())

	// Undo migration 0013, as if the endpoint had been stored before it.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`DROP TABLE transformation_versions`,
		`ALTER TABLE endpoints DROP COLUMN transformation_template`,
		`ALTER TABLE endpoints DROP COLUMN transformation_version`,
		`ALTER TABLE attempts DROP COLUMN transformation_version`,
		`DELETE FROM ` + migration.Table + ` WHERE version = 13`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	must(t, db.Close())

	s, err = sqlite.Open(t.Context(), path, storetest.NewTestCipher())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	got, err := s.GetEndpoint(t.Context(), "acme", ep.ID)
	must(t, err)
	if got.Transformation.Version != 1 || got.Transformation.Template != "" {
		t.Errorf("migrated endpoint's transformation %+v, want version 1 without a template", got.Transformation)
	}
	v, err := s.GetTransformationVersion(t.Context(), "acme", ep.ID, 1)
	must(t, err)
	if v.Code != ep.Transformation.Code || !v.Enabled || v.SavedBy != "" || !v.CreatedAt.Equal(now) {
		t.Errorf("migrated version 1 = %+v, want the stored code, enabled, saved by no one known at %v", v, now)
	}
}
