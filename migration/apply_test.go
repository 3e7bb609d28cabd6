package migration_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/hookbridge/hookbridge/migration"
)

// TestApplyReportsWhatItRan checks that Apply names exactly the migrations
// it applied: all of them on an empty database, only the new ones after an
// older program migrated, and none when everything is in place.
func TestApplyReportsWhatItRan(t *testing.T) {
	db := newDB(t)
	first := files(map[string]string{"0001_create_things.sql": "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"})
	ran, err := migration.Apply(t.Context(), db, first, migration.SQLite())
	if err != nil {
		t.Fatalf("apply first: %v", err)
	}
	if got := fileNames(ran); !slices.Equal(got, []string{"0001_create_things.sql"}) {
		t.Errorf("first apply ran %v", got)
	}

	ran, err = migration.Apply(t.Context(), db, threeMigrations, migration.SQLite())
	if err != nil {
		t.Fatalf("apply all: %v", err)
	}
	if got := fileNames(ran); !slices.Equal(got, []string{"0002_seed.sql", "0003_add_colour.sql"}) {
		t.Errorf("second apply ran %v, want the two new migrations in order", got)
	}
	if ran[0].Version != 2 || ran[0].Name != "seed" {
		t.Errorf("migration reported as version %d name %q", ran[0].Version, ran[0].Name)
	}

	ran, err = migration.Apply(t.Context(), db, threeMigrations, migration.SQLite())
	if err != nil || len(ran) != 0 {
		t.Errorf("apply on an up-to-date database ran %v, %v; want nothing", fileNames(ran), err)
	}
}

// TestApplyReturnsWhatRanBeforeAFailure: the migrations applied before a
// broken one are committed and reported.
func TestApplyReturnsWhatRanBeforeAFailure(t *testing.T) {
	db := newDB(t)
	fsys := files(map[string]string{
		"0001_create_things.sql": "CREATE TABLE things (id INTEGER PRIMARY KEY);",
		"0002_broken.sql":        "CREATE TABLE oops (;",
	})
	ran, err := migration.Apply(t.Context(), db, fsys, migration.SQLite())
	if err == nil {
		t.Fatal("a broken migration applied without error")
	}
	if got := fileNames(ran); !slices.Equal(got, []string{"0001_create_things.sql"}) {
		t.Errorf("reported %v as applied, want only the first", got)
	}
}

func fileNames(ms []migration.Migration) []string {
	var names []string
	for _, m := range ms {
		names = append(names, m.File)
	}
	return names
}

// TestNewerSchemaIsRecognisable: a database migrated by a newer program is
// refused with ErrNewerSchema, which callers tell apart from other
// failures (a node that is already running keeps serving through a
// rolling upgrade).
func TestNewerSchemaIsRecognisable(t *testing.T) {
	db := newDB(t)
	if _, err := migration.Run(t.Context(), db, threeMigrations, migration.SQLite()); err != nil {
		t.Fatal(err)
	}
	older := files(map[string]string{"0001_create_things.sql": "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"})
	if _, err := migration.Run(t.Context(), db, older, migration.SQLite()); !errors.Is(err, migration.ErrNewerSchema) {
		t.Errorf("Run by an older program: %v, want ErrNewerSchema", err)
	}
	if _, err := migration.Pending(t.Context(), db, older); !errors.Is(err, migration.ErrNewerSchema) {
		t.Errorf("Pending by an older program: %v, want ErrNewerSchema", err)
	}
	gap := files(map[string]string{
		"0001_create_things.sql": "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
		"0002_seed.sql":          "SELECT 1;",
		"0003_add_colour.sql":    "SELECT 1;",
		"0004_more.sql":          "SELECT 1;",
	})
	if _, err := migration.Pending(t.Context(), db, gap); err != nil {
		t.Errorf("Pending by a newer program: %v", err)
	}
}
