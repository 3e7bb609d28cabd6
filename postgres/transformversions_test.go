package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/migration"
)

// TestVersionsMigrationGivesStoredEndpointsVersionOne: an endpoint stored
// before migration 0012 gets its transformation as version 1, saved by
// no one known, when the store opens.
func TestVersionsMigrationGivesStoredEndpointsVersionOne(t *testing.T) {
	dbURL := freshDatabase(t)
	ctx := context.Background()
	s := openStore(t, dbURL)
	now := time.Now().UTC().Truncate(time.Millisecond)
	if err := s.CreateApp(ctx, &hookbridge.App{ID: "acme", Name: "Acme", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	ep := &hookbridge.Endpoint{ID: hookbridge.NewID("ep"), AppID: "acme", Name: "hook", Integration: "webhook",
		URL: "https://example.com/hook", Transformation: hookbridge.Transformation{Code: "function handler(w) { return w }", Enabled: true},
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.CreateEndpoint(ctx, ep); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Undo migration 0012, as if the endpoint had been stored before it.
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	for _, stmt := range []string{
		`DROP TABLE transformation_versions`,
		`ALTER TABLE endpoints DROP COLUMN transformation_template, DROP COLUMN transformation_version`,
		`ALTER TABLE attempts DROP COLUMN transformation_version`,
		`DELETE FROM ` + migration.Table + ` WHERE version = 12`,
	} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	conn.Close(ctx)

	s = openStore(t, dbURL)
	got, err := s.GetEndpoint(ctx, "acme", ep.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Transformation.Version != 1 || got.Transformation.Template != "" {
		t.Errorf("migrated endpoint's transformation %+v, want version 1 without a template", got.Transformation)
	}
	v, err := s.GetTransformationVersion(ctx, "acme", ep.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if v.Code != ep.Transformation.Code || !v.Enabled || v.SavedBy != "" || !v.CreatedAt.Equal(now) {
		t.Errorf("migrated version 1 = %+v, want the stored code, enabled, saved by no one known at %v", v, now)
	}
}
