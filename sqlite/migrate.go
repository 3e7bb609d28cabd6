package sqlite

import (
	"context"
	"errors"
	"fmt"

	"github.com/hookbridge/hookbridge/migration"
)

// Migrate opens (creating it if needed) the database file at path, applies
// the embedded migrations it lacks and returns those this call applied, in
// order. It may run while a hookbridge process uses the file: SQLite's
// write lock serialises the two, and a migration already applied is
// skipped.
func Migrate(ctx context.Context, path string) ([]migration.Migration, error) {
	if err := checkPath(path); err != nil {
		return nil, fmt.Errorf("migrate sqlite %s: %w", path, err)
	}
	write, err := openWriter(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("migrate sqlite %s: %w", path, err)
	}
	applied, err := migration.Apply(ctx, write, Migrations(), migration.SQLite())
	if err != nil {
		err = fmt.Errorf("migrate sqlite %s: %w", path, err)
	}
	if closeErr := write.Close(); closeErr != nil {
		err = errors.Join(err, fmt.Errorf("close sqlite %s: %w", path, closeErr))
	}
	return applied, err
}
