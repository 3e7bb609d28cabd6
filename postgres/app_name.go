package postgres

import "context"

// RenameApp sets an app's display name, leaving its other fields alone.
func (s *Store) RenameApp(ctx context.Context, id, name string) error {
	tag, err := s.pool.Exec(ctx, `UPDATE apps SET name = $2 WHERE id = $1`, id, name)
	if err != nil {
		return dbError("rename app", err)
	}
	if tag.RowsAffected() == 0 {
		return notFound("rename app")
	}
	return nil
}
