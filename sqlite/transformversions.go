package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/hookbridge/hookbridge"
)

const versionColumns = `endpoint_id, number, code, enabled, template, saved_by, restored_from, created_at`

// insertVersion records e's transformation as version number, saved at
// the given time, and forgets the versions that fall out of the newest
// hookbridge.MaxTransformationVersions.
func insertVersion(ctx context.Context, tx txn, e *hookbridge.Endpoint, number int, at time.Time) error {
	t := e.Transformation
	if at.IsZero() {
		at = time.Now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO transformation_versions (`+versionColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, number, t.Code, boolInt(t.Enabled), t.Template, e.Save.By, max(e.Save.RestoredFrom, 0), toMicros(at))
	if err != nil {
		return fmt.Errorf("record transformation version %d: %w", number, err)
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM transformation_versions WHERE endpoint_id = ? AND number <= ?`,
		e.ID, number-hookbridge.MaxTransformationVersions)
	if err != nil {
		return fmt.Errorf("forget old transformation versions: %w", err)
	}
	return nil
}

// ListTransformationVersions returns the kept versions of an endpoint's
// transformation, newest first.
func (s *Store) ListTransformationVersions(ctx context.Context, appID, endpointID string) ([]*hookbridge.TransformationVersion, error) {
	tx, end, err := s.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("list transformation versions of endpoint %s: %w", endpointID, err)
	}
	defer end()
	if err := endpointExists(ctx, tx, appID, endpointID); err != nil {
		return nil, fmt.Errorf("list transformation versions of endpoint %s: %w", endpointID, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+versionColumns+` FROM transformation_versions
		WHERE endpoint_id = ? ORDER BY number DESC`, endpointID)
	versions, err := collect(rows, err, scanVersion)
	if err != nil {
		return nil, fmt.Errorf("list transformation versions of endpoint %s: %w", endpointID, err)
	}
	return versions, nil
}

// GetTransformationVersion returns one version of an endpoint's
// transformation.
func (s *Store) GetTransformationVersion(ctx context.Context, appID, endpointID string, number int) (*hookbridge.TransformationVersion, error) {
	v, err := scanVersion(s.read.QueryRowContext(ctx, `SELECT `+versionColumns+` FROM transformation_versions
		WHERE endpoint_id = ? AND number = ?
			AND EXISTS (SELECT 1 FROM endpoints WHERE app_id = ? AND id = ?)`, endpointID, number, appID, endpointID))
	if err != nil {
		return nil, fmt.Errorf("get transformation version %d of endpoint %s: %w", number, endpointID, notFound(err))
	}
	return v, nil
}

// endpointExists is ErrNotFound unless the app has the endpoint.
func endpointExists(ctx context.Context, tx txn, appID, id string) error {
	var one int
	return notFound(tx.QueryRowContext(ctx, `SELECT 1 FROM endpoints WHERE app_id = ? AND id = ?`, appID, id).Scan(&one))
}

func scanVersion(row scanner) (*hookbridge.TransformationVersion, error) {
	var (
		v       hookbridge.TransformationVersion
		enabled int
		created int64
	)
	err := row.Scan(&v.EndpointID, &v.Number, &v.Code, &enabled, &v.Template, &v.SavedBy, &v.RestoredFrom, &created)
	if err != nil {
		return nil, err
	}
	v.Enabled = enabled != 0
	v.CreatedAt = fromMicros(created)
	return &v, nil
}
