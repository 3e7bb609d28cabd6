package sqlite

import (
	"context"
	"fmt"
)

// RenameApp sets an app's display name, leaving its other fields alone.
func (s *Store) RenameApp(ctx context.Context, id, name string) error {
	if err := execOne(ctx, s.write, `UPDATE apps SET name = ? WHERE id = ?`, name, id); err != nil {
		return fmt.Errorf("rename app %s: %w", id, err)
	}
	return nil
}
