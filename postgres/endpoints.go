package postgres

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
)

// endpointColumns are the columns scanEndpoint reads, in order.
const endpointColumns = `id, app_id, name, integration, url, sealed_credentials, event_types,
	transformation_code, transformation_enabled, headers, rate_limit, disabled,
	version, created_at, updated_at, burst, timeout_seconds, batching, ordering_enabled,
	ordering_key_path, operational, failing_since, paused_until, disabled_at, disabled_reason,
	rate_limit_period_ms, sealed_headers, transformation_template, transformation_version`

// CreateEndpoint stores an endpoint, its credentials sealed, and in the
// same transaction version 1 of its transformation. A zero Version is
// stored as 1, and e is updated to match.
func (s *Store) CreateEndpoint(ctx context.Context, e *hookbridge.Endpoint) error {
	if err := hookbridge.CheckEndpointStorable(e); err != nil {
		return fmt.Errorf("create endpoint: %w", err)
	}
	creds, headers, sealedHeaders, err := s.encodeEndpoint(e)
	if err != nil {
		return fmt.Errorf("create endpoint: %w", err)
	}
	e.Version = cmp.Or(e.Version, 1)
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO endpoints (`+endpointColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
				$16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, 1)`,
			e.ID, e.AppID, e.Name, e.Integration, e.URL, creds, nonNil(e.EventTypes),
			e.Transformation.Code, e.Transformation.Enabled, headers, e.RateLimit, e.Disabled,
			e.Version, utc(e.CreatedAt), updatedAt(e.CreatedAt, e.UpdatedAt),
			e.Burst, e.TimeoutSeconds, e.Batching, e.Ordering.Enabled, e.Ordering.KeyPath,
			e.Operational, utcPtr(e.FailingSince), utcPtr(e.PausedUntil), utcPtr(e.DisabledAt),
			cleanText(e.DisabledReason), time.Duration(e.RateLimitPeriod).Milliseconds(), sealedHeaders,
			e.Transformation.Template)
		if err != nil {
			return err
		}
		return insertVersion(ctx, tx, e, 1, updatedAt(e.CreatedAt, e.UpdatedAt))
	})
	if err != nil {
		return dbError("create endpoint", err)
	}
	e.Transformation.Version = 1
	return nil
}

// GetEndpoint finds an endpoint of an app.
func (s *Store) GetEndpoint(ctx context.Context, appID, id string) (*hookbridge.Endpoint, error) {
	return queryOne(ctx, s.pool, "get endpoint", s.scanEndpoint,
		`SELECT `+endpointColumns+` FROM endpoints WHERE app_id = $1 AND id = $2`, appID, id)
}

// ListEndpoints returns the endpoints of an app, oldest first.
func (s *Store) ListEndpoints(ctx context.Context, appID string) ([]*hookbridge.Endpoint, error) {
	return queryAll(ctx, s.pool, "list endpoints", s.scanEndpoint,
		`SELECT `+endpointColumns+` FROM endpoints WHERE app_id = $1 ORDER BY created_at, id`, appID)
}

// UpdateEndpoint replaces every field of an endpoint but its id, app and
// creation time, and increments Version. e is updated to the stored Version
// (and UpdatedAt, set to the current time if zero). In the same
// transaction it records a version of the transformation if that changed
// (see hookbridge.TransformationStore).
func (s *Store) UpdateEndpoint(ctx context.Context, e *hookbridge.Endpoint) error {
	if err := hookbridge.CheckEndpointStorable(e); err != nil {
		return fmt.Errorf("update endpoint: %w", err)
	}
	creds, headers, sealedHeaders, err := s.encodeEndpoint(e)
	if err != nil {
		return fmt.Errorf("update endpoint: %w", err)
	}
	e.UpdatedAt = orNow(e.UpdatedAt)
	stored := *e
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		number, err := nextVersion(ctx, tx, e)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			UPDATE endpoints SET name = $3, integration = $4, url = $5, sealed_credentials = $6,
				event_types = $7, transformation_code = $8, transformation_enabled = $9,
				headers = $10, rate_limit = $11, disabled = $12, version = version + 1,
				updated_at = $13, burst = $14, timeout_seconds = $15, batching = $16,
				ordering_enabled = $17, ordering_key_path = $18, rate_limit_period_ms = $19, sealed_headers = $20,
				failing_since = CASE WHEN disabled AND NOT $12 THEN NULL ELSE failing_since END,
				paused_until = CASE WHEN disabled AND NOT $12 THEN NULL ELSE paused_until END,
				disabled_reason = CASE WHEN $12 THEN disabled_reason ELSE '' END,
				disabled_at = CASE WHEN $12 THEN COALESCE(disabled_at, $13) END,
				transformation_template = $21,
				transformation_version = CASE WHEN $22::integer > 0 THEN $22::integer ELSE transformation_version END
			WHERE app_id = $1 AND id = $2
			RETURNING version, created_at, operational, failing_since, paused_until, disabled_at, disabled_reason,
				transformation_version`,
			e.AppID, e.ID, e.Name, e.Integration, e.URL, creds, nonNil(e.EventTypes),
			e.Transformation.Code, e.Transformation.Enabled, headers, e.RateLimit, e.Disabled,
			e.UpdatedAt, e.Burst, e.TimeoutSeconds, e.Batching, e.Ordering.Enabled, e.Ordering.KeyPath,
			time.Duration(e.RateLimitPeriod).Milliseconds(), sealedHeaders, e.Transformation.Template, number,
		).Scan(&stored.Version, &stored.CreatedAt, &stored.Operational, &stored.FailingSince, &stored.PausedUntil,
			&stored.DisabledAt, &stored.DisabledReason, &stored.Transformation.Version)
		if err != nil || number == 0 {
			return err
		}
		return insertVersion(ctx, tx, e, number, e.UpdatedAt)
	})
	if err != nil {
		return dbError("update endpoint", err)
	}
	*e = stored
	return nil
}

// DeleteEndpoint removes an endpoint and, in the same transaction, cancels
// its pending deliveries. A delivery a worker holds right now is cancelled
// too; the worker's CompleteAttempt still records what it sent.
func (s *Store) DeleteEndpoint(ctx context.Context, appID, id string) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM endpoints WHERE app_id = $1 AND id = $2`, appID, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return pgx.ErrNoRows
		}
		_, err = tx.Exec(ctx, `
			UPDATE deliveries SET status = 'cancelled', last_error = 'the endpoint was deleted',
				updated_at = $2
			WHERE endpoint_id = $1 AND status = 'pending'`, id, time.Now().UTC())
		return err
	})
	if err != nil {
		return dbError("delete endpoint", err)
	}
	return nil
}

// encodeEndpoint returns the sealed credentials, the JSON of the headers
// that are not secrets, and the secret headers sealed (nil when there are
// none).
func (s *Store) encodeEndpoint(e *hookbridge.Endpoint) (creds []byte, headers string, sealedHeaders []byte, err error) {
	if creds, err = hookbridge.SealJSON(s.cipher, "credentials", e.Credentials); err != nil {
		return nil, "", nil, err
	}
	headers, sealedHeaders, err = e.SealHeaders(s.cipher)
	return creds, headers, sealedHeaders, err
}

func (s *Store) scanEndpoint(row pgx.CollectableRow) (*hookbridge.Endpoint, error) {
	var (
		e             hookbridge.Endpoint
		creds         []byte
		headers       string
		periodMillis  int64
		sealedHeaders []byte
	)
	err := row.Scan(&e.ID, &e.AppID, &e.Name, &e.Integration, &e.URL, &creds, &e.EventTypes,
		&e.Transformation.Code, &e.Transformation.Enabled, &headers, &e.RateLimit, &e.Disabled,
		&e.Version, &e.CreatedAt, &e.UpdatedAt, &e.Burst, &e.TimeoutSeconds, &e.Batching,
		&e.Ordering.Enabled, &e.Ordering.KeyPath, &e.Operational, &e.FailingSince, &e.PausedUntil,
		&e.DisabledAt, &e.DisabledReason, &periodMillis, &sealedHeaders,
		&e.Transformation.Template, &e.Transformation.Version)
	if err != nil {
		return nil, err
	}
	e.RateLimitPeriod = hookbridge.Duration(time.Duration(periodMillis) * time.Millisecond)
	if err := e.OpenHeaders(s.cipher, headers, sealedHeaders); err != nil {
		return nil, fmt.Errorf("endpoint %s headers: %w", e.ID, err)
	}
	if err := hookbridge.OpenJSON(s.cipher, "credentials", creds, &e.Credentials); err != nil {
		return nil, fmt.Errorf("endpoint %s credentials: %w", e.ID, err)
	}
	return &e, nil
}

// nonNil returns list, or an empty list for nil (event_types is NOT NULL).
func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
