package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/hookbridge/hookbridge/migration"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLockKey is the advisory lock that serialises migrations of
// processes starting at once ("hookbrid" in ASCII). Nothing else in
// hookbridge takes advisory locks.
const migrationLockKey int64 = 0x686f6f6b62726964

// Migrate connects to the database at databaseURL, applies the embedded
// migrations it lacks and returns those this call applied, in order. Like
// Open, it is safe when several processes migrate or open the same
// database at once: each migration is applied by exactly one of them, and
// the others wait for it and then report nothing to do.
func Migrate(ctx context.Context, databaseURL string) ([]migration.Migration, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		// The parse error quotes the URL, which may hold a password.
		return nil, errors.New("migrate postgres: the database URL cannot be parsed")
	}
	cfg.MaxConns = 1
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("migrate postgres: %w", err)
	}
	defer pool.Close()
	applied, err := migrate(ctx, pool)
	if err != nil {
		return applied, fmt.Errorf("migrate postgres: %w", err)
	}
	return applied, nil
}

// migrate applies the embedded migrations that the database lacks and
// returns those it applied.
func migrate(ctx context.Context, pool *pgxpool.Pool) ([]migration.Migration, error) {
	files, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	applied, err := migration.Apply(ctx, db, files, migration.Postgres(migrationLockKey))
	if err != nil {
		return applied, fmt.Errorf("migrate: %w", err)
	}
	return applied, nil
}
