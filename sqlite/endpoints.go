package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/hookbridge/hookbridge"
)

const endpointColumns = `id, app_id, name, integration, url, sealed_credentials, event_types,
	transformation_code, transformation_enabled, headers, rate_limit, disabled, version,
	created_at, updated_at, burst, timeout_seconds, batching, ordering_enabled, ordering_key_path,
	operational, failing_since, paused_until, disabled_at, disabled_reason, rate_limit_period_ms, sealed_headers,
	transformation_template, transformation_version`

// endpointRow holds the encoded columns of an endpoint that are not plain
// values.
type endpointRow struct {
	credentials []byte
	eventTypes  string
	// headers are those that are not secrets, in JSON; sealedHeaders the
	// secret ones, sealed (nil when there are none).
	headers       string
	sealedHeaders []byte
}

func (s *Store) encodeEndpoint(e *hookbridge.Endpoint) (endpointRow, error) {
	var (
		row endpointRow
		err error
	)
	if row.credentials, err = hookbridge.SealJSON(s.cipher, "credentials", e.Credentials); err != nil {
		return row, err
	}
	if row.eventTypes, err = toJSON(e.EventTypes, "[]"); err != nil {
		return row, fmt.Errorf("encode event types: %w", err)
	}
	row.headers, row.sealedHeaders, err = e.SealHeaders(s.cipher)
	return row, err
}

// CreateEndpoint stores an endpoint with its credentials sealed and, in
// the same transaction, version 1 of its transformation.
func (s *Store) CreateEndpoint(ctx context.Context, e *hookbridge.Endpoint) error {
	if err := hookbridge.CheckEndpointStorable(e); err != nil {
		return fmt.Errorf("create endpoint: %w", err)
	}
	row, err := s.encodeEndpoint(e)
	if err != nil {
		return fmt.Errorf("create endpoint %s: %w", e.ID, err)
	}
	err = s.inWriteTx(ctx, func(tx txn) error {
		_, err := tx.ExecContext(ctx,
			`INSERT INTO endpoints (`+endpointColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
			e.ID, e.AppID, e.Name, e.Integration, e.URL, row.credentials, row.eventTypes,
			e.Transformation.Code, boolInt(e.Transformation.Enabled), row.headers, e.RateLimit,
			boolInt(e.Disabled), e.Version, toMicros(e.CreatedAt), toMicros(e.UpdatedAt),
			e.Burst, e.TimeoutSeconds, boolInt(e.Batching), boolInt(e.Ordering.Enabled), e.Ordering.KeyPath,
			boolInt(e.Operational), toNullMicros(e.FailingSince), toNullMicros(e.PausedUntil),
			toNullMicros(e.DisabledAt), e.DisabledReason, time.Duration(e.RateLimitPeriod).Milliseconds(), row.sealedHeaders,
			e.Transformation.Template)
		if err != nil {
			return err
		}
		tx.endpointsChanged()
		return insertVersion(ctx, tx, e, 1, e.UpdatedAt)
	})
	if isUniqueViolation(err) {
		return fmt.Errorf("create endpoint %s: %w", e.ID, hookbridge.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create endpoint %s: %w", e.ID, err)
	}
	e.Transformation.Version = 1
	return nil
}

// GetEndpoint finds an endpoint of an app.
func (s *Store) GetEndpoint(ctx context.Context, appID, id string) (*hookbridge.Endpoint, error) {
	e, err := s.scanEndpoint(s.read.QueryRowContext(ctx,
		`SELECT `+endpointColumns+` FROM endpoints WHERE app_id = ? AND id = ?`, appID, id))
	if err != nil {
		return nil, fmt.Errorf("get endpoint %s: %w", id, notFound(err))
	}
	return e, nil
}

// ListEndpoints returns the endpoints of an app, oldest first.
func (s *Store) ListEndpoints(ctx context.Context, appID string) ([]*hookbridge.Endpoint, error) {
	rows, err := s.read.QueryContext(ctx,
		`SELECT `+endpointColumns+` FROM endpoints WHERE app_id = ? ORDER BY created_at, id`, appID)
	endpoints, err := collect(rows, err, s.scanEndpoint)
	if err != nil {
		return nil, fmt.Errorf("list endpoints of app %s: %w", appID, err)
	}
	return endpoints, nil
}

// UpdateEndpoint replaces every field but CreatedAt and increments Version;
// e is updated to the stored version and creation time. In the same
// transaction it records a version of the transformation if that changed
// (see hookbridge.TransformationStore).
func (s *Store) UpdateEndpoint(ctx context.Context, e *hookbridge.Endpoint) error {
	if err := hookbridge.CheckEndpointStorable(e); err != nil {
		return fmt.Errorf("update endpoint: %w", err)
	}
	row, err := s.encodeEndpoint(e)
	if err != nil {
		return fmt.Errorf("update endpoint %s: %w", e.ID, err)
	}
	var stored hookbridge.Endpoint
	err = s.inWriteTx(ctx, func(tx txn) error {
		stored = *e
		number, err := nextVersion(ctx, tx, e)
		if err != nil {
			return err
		}
		if err := updateEndpointRow(ctx, tx, &stored, row, number); err != nil {
			return err
		}
		tx.endpointsChanged()
		if number == 0 {
			return nil
		}
		return insertVersion(ctx, tx, e, number, e.UpdatedAt)
	})
	if err != nil {
		return fmt.Errorf("update endpoint %s: %w", e.ID, notFound(err))
	}
	*e = stored
	return nil
}

// nextVersion returns the number of the transformation version that
// updating the stored endpoint to e records, or 0 if the update records
// none (the transformation is unchanged and the save is no restore).
func nextVersion(ctx context.Context, tx txn, e *hookbridge.Endpoint) (int, error) {
	var (
		current hookbridge.Transformation
		enabled int
	)
	err := tx.QueryRowContext(ctx, `SELECT transformation_code, transformation_enabled, transformation_template, transformation_version
		FROM endpoints WHERE app_id = ? AND id = ?`, e.AppID, e.ID).
		Scan(&current.Code, &enabled, &current.Template, &current.Version)
	if err != nil {
		return 0, err
	}
	current.Enabled = enabled != 0
	if current.SameAs(e.Transformation) && e.Save.RestoredFrom <= 0 {
		return 0, nil
	}
	return current.Version + 1, nil
}

// updateEndpointRow writes e over the stored row, and its transformation
// version number if number is positive, and sets on e what the store
// keeps: version, creation time, health and the transformation's version.
func updateEndpointRow(ctx context.Context, tx txn, e *hookbridge.Endpoint, row endpointRow, number int) error {
	var (
		version, operational        int
		created                     int64
		failing, paused, disabledAt sql.NullInt64
	)
	disabled := boolInt(e.Disabled)
	err := tx.QueryRowContext(ctx, `UPDATE endpoints SET
			name = ?, integration = ?, url = ?, sealed_credentials = ?, event_types = ?,
			transformation_code = ?, transformation_enabled = ?, headers = ?, sealed_headers = ?, rate_limit = ?,
			rate_limit_period_ms = ?, burst = ?, timeout_seconds = ?, batching = ?, ordering_enabled = ?, ordering_key_path = ?,
			updated_at = ?, version = version + 1,
			failing_since = CASE WHEN disabled = 1 AND ? = 0 THEN NULL ELSE failing_since END,
			paused_until = CASE WHEN disabled = 1 AND ? = 0 THEN NULL ELSE paused_until END,
			disabled_reason = CASE WHEN ? = 0 THEN '' ELSE disabled_reason END,
			disabled_at = CASE WHEN ? = 0 THEN NULL ELSE coalesce(disabled_at, ?) END,
			disabled = ?,
			transformation_template = ?,
			transformation_version = CASE WHEN ? > 0 THEN ? ELSE transformation_version END
		WHERE app_id = ? AND id = ?
		RETURNING version, created_at, operational, failing_since, paused_until, disabled_at, disabled_reason, transformation_version`,
		e.Name, e.Integration, e.URL, row.credentials, row.eventTypes,
		e.Transformation.Code, boolInt(e.Transformation.Enabled), row.headers, row.sealedHeaders, e.RateLimit,
		time.Duration(e.RateLimitPeriod).Milliseconds(),
		e.Burst, e.TimeoutSeconds, boolInt(e.Batching), boolInt(e.Ordering.Enabled), e.Ordering.KeyPath,
		toMicros(e.UpdatedAt), disabled, disabled, disabled, disabled, toMicros(e.UpdatedAt), disabled,
		e.Transformation.Template, number, number,
		e.AppID, e.ID,
	).Scan(&version, &created, &operational, &failing, &paused, &disabledAt, &e.DisabledReason, &e.Transformation.Version)
	if err != nil {
		return storageError(err)
	}
	e.Version = version
	e.CreatedAt = fromMicros(created)
	e.Operational = operational != 0
	e.FailingSince, e.PausedUntil, e.DisabledAt = fromNullMicros(failing), fromNullMicros(paused), fromNullMicros(disabledAt)
	return nil
}

// cancelPendingQuery cancels, at ?1, the pending deliveries of app ?2's
// endpoint ?3, found through the endpoint's pending deliveries (the unary
// plus keeps the planner from reading all its deliveries by app instead).
const cancelPendingQuery = `UPDATE deliveries
	SET status = 'cancelled', last_error = 'endpoint deleted', updated_at = ?1
	WHERE endpoint_id = ?3 AND status = 'pending' AND +app_id = ?2`

// DeleteEndpoint removes an endpoint and cancels its pending deliveries.
// A delivery that a worker holds keeps its lease, so the worker can still
// record the attempt it is making.
func (s *Store) DeleteEndpoint(ctx context.Context, appID, id string) error {
	err := s.inWriteTx(ctx, func(tx txn) error {
		if err := execOne(ctx, tx, `DELETE FROM endpoints WHERE app_id = ? AND id = ?`, appID, id); err != nil {
			return err
		}
		tx.endpointsChanged()
		_, err := tx.ExecContext(ctx, cancelPendingQuery, toMicros(time.Now()), appID, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete endpoint %s: %w", id, err)
	}
	return nil
}

func (s *Store) scanEndpoint(row scanner) (*hookbridge.Endpoint, error) {
	var (
		e                              hookbridge.Endpoint
		enc                            endpointRow
		transform, disabled            int
		batching, ordered, operational int
		created, updated, periodMillis int64
		failing, paused, disabledAt    sql.NullInt64
	)
	err := row.Scan(&e.ID, &e.AppID, &e.Name, &e.Integration, &e.URL, &enc.credentials, &enc.eventTypes,
		&e.Transformation.Code, &transform, &enc.headers, &e.RateLimit, &disabled, &e.Version,
		&created, &updated, &e.Burst, &e.TimeoutSeconds, &batching, &ordered, &e.Ordering.KeyPath,
		&operational, &failing, &paused, &disabledAt, &e.DisabledReason, &periodMillis, &enc.sealedHeaders,
		&e.Transformation.Template, &e.Transformation.Version)
	if err != nil {
		return nil, err
	}
	e.RateLimitPeriod = hookbridge.Duration(time.Duration(periodMillis) * time.Millisecond)
	e.Transformation.Enabled = transform != 0
	e.Disabled = disabled != 0
	e.Batching, e.Ordering.Enabled, e.Operational = batching != 0, ordered != 0, operational != 0
	e.FailingSince, e.PausedUntil, e.DisabledAt = fromNullMicros(failing), fromNullMicros(paused), fromNullMicros(disabledAt)
	e.CreatedAt = fromMicros(created)
	e.UpdatedAt = fromMicros(updated)
	if err := hookbridge.OpenJSON(s.cipher, "credentials", enc.credentials, &e.Credentials); err != nil {
		return nil, fmt.Errorf("endpoint %s: %w", e.ID, err)
	}
	if e.EventTypes, err = fromJSON[[]string]("event types", enc.eventTypes); err != nil {
		return nil, fmt.Errorf("endpoint %s: %w", e.ID, err)
	}
	if err := e.OpenHeaders(s.cipher, enc.headers, enc.sealedHeaders); err != nil {
		return nil, fmt.Errorf("endpoint %s: %w", e.ID, err)
	}
	return &e, nil
}
