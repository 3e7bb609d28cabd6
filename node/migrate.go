package node

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hookbridge/hookbridge/migration"
	"github.com/hookbridge/hookbridge/postgres"
	"github.com/hookbridge/hookbridge/sqlite"
)

// sqliteFile is the name of the embedded database inside the data
// directory.
const sqliteFile = "hookbridge.db"

func sqlitePath(dataDir string) string { return filepath.Join(dataDir, sqliteFile) }

// Migrate brings the schema of the configured database (PostgreSQL if
// cfg.DatabaseURL is set, otherwise the SQLite file in cfg.DataDir) up to
// date without opening a node, and returns the migrations this call
// applied and what it migrated ("PostgreSQL", or the SQLite file's path;
// never the URL, which may hold a password). Several processes may migrate
// one PostgreSQL database at once, also while nodes open it: each
// migration is applied once.
func Migrate(ctx context.Context, cfg Config) (applied []migration.Migration, database string, err error) {
	if cfg.DatabaseURL != "" {
		applied, err = postgres.Migrate(ctx, cfg.DatabaseURL)
		return applied, "PostgreSQL", err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, "", fmt.Errorf("create data directory: %w", err)
	}
	path := sqlitePath(cfg.DataDir)
	applied, err = sqlite.Migrate(ctx, path)
	return applied, path, err
}
