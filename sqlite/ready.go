package sqlite

import (
	"context"
	"fmt"

	"github.com/hookbridge/hookbridge/migration"
)

// PendingMigrations says how many schema migrations the database lacks,
// for a readiness check; it fails if the database's schema is unknown to
// this program.
func (s *Store) PendingMigrations(ctx context.Context) (int, error) {
	n, err := migration.Pending(ctx, s.read, Migrations())
	if err != nil {
		return 0, fmt.Errorf("check sqlite migrations: %w", err)
	}
	return n, nil
}
