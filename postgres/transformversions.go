package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
)

const versionColumns = `endpoint_id, number, code, enabled, template, saved_by, restored_from, created_at`

// nextVersion returns the number of the transformation version that
// updating the stored endpoint to e records, or 0 if the update records
// none (the transformation is unchanged and the save is no restore). It
// locks the endpoint's row until tx ends, so that concurrent saves number
// their versions one after the other.
func nextVersion(ctx context.Context, tx pgx.Tx, e *hookbridge.Endpoint) (int, error) {
	var current hookbridge.Transformation
	err := tx.QueryRow(ctx, `SELECT transformation_code, transformation_enabled, transformation_template, transformation_version
		FROM endpoints WHERE app_id = $1 AND id = $2 FOR UPDATE`, e.AppID, e.ID).
		Scan(&current.Code, &current.Enabled, &current.Template, &current.Version)
	if err != nil {
		return 0, err
	}
	if current.SameAs(e.Transformation) && e.Save.RestoredFrom <= 0 {
		return 0, nil
	}
	return current.Version + 1, nil
}

// insertVersion records e's transformation as version number, saved at
// the given time, and forgets the versions that fall out of the newest
// hookbridge.MaxTransformationVersions.
func insertVersion(ctx context.Context, tx pgx.Tx, e *hookbridge.Endpoint, number int, at time.Time) error {
	t := e.Transformation
	_, err := tx.Exec(ctx, `INSERT INTO transformation_versions (`+versionColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		e.ID, number, t.Code, t.Enabled, t.Template, e.Save.By, max(e.Save.RestoredFrom, 0), orNow(at))
	if err != nil {
		return fmt.Errorf("record transformation version %d: %w", number, err)
	}
	_, err = tx.Exec(ctx, `DELETE FROM transformation_versions WHERE endpoint_id = $1 AND number <= $2`,
		e.ID, number-hookbridge.MaxTransformationVersions)
	if err != nil {
		return fmt.Errorf("forget old transformation versions: %w", err)
	}
	return nil
}

// ListTransformationVersions returns the kept versions of an endpoint's
// transformation, newest first.
func (s *Store) ListTransformationVersions(ctx context.Context, appID, endpointID string) ([]*hookbridge.TransformationVersion, error) {
	var versions []*hookbridge.TransformationVersion
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM endpoints WHERE app_id = $1 AND id = $2`, appID, endpointID).Scan(&one)
		if err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT `+versionColumns+` FROM transformation_versions
			WHERE endpoint_id = $1 ORDER BY number DESC`, endpointID)
		versions, err = pgx.CollectRows(rows, scanVersion)
		return err
	})
	if err != nil {
		return nil, dbError("list transformation versions", err)
	}
	return versions, nil
}

// GetTransformationVersion returns one version of an endpoint's
// transformation.
func (s *Store) GetTransformationVersion(ctx context.Context, appID, endpointID string, number int) (*hookbridge.TransformationVersion, error) {
	return queryOne(ctx, s.pool, "get transformation version", scanVersion, `SELECT `+versionColumns+` FROM transformation_versions
		WHERE endpoint_id = $1 AND number = $2
			AND EXISTS (SELECT 1 FROM endpoints WHERE app_id = $3 AND id = $1)`, endpointID, number, appID)
}

func scanVersion(row pgx.CollectableRow) (*hookbridge.TransformationVersion, error) {
	var v hookbridge.TransformationVersion
	err := row.Scan(&v.EndpointID, &v.Number, &v.Code, &v.Enabled, &v.Template, &v.SavedBy, &v.RestoredFrom, &v.CreatedAt)
	return &v, err
}
