package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
)

// CreateApp stores a new app; hookbridge.ErrConflict if the id is taken.
func (s *Store) CreateApp(ctx context.Context, app *hookbridge.App) error {
	if err := hookbridge.CheckAppStorable(app); err != nil {
		return fmt.Errorf("create app: %w", err)
	}
	_, err := s.pool.Exec(ctx,
		`INSERT INTO apps (`+appColumns+`) VALUES ($1, $2, $3, $4, $5)`,
		app.ID, app.Name, utc(app.CreatedAt), scheduleNanos(app.RetrySchedule), int64(app.DisableEndpointAfter))
	if err != nil {
		return dbError("create app", err)
	}
	return nil
}

// GetApp finds an app by id.
func (s *Store) GetApp(ctx context.Context, id string) (*hookbridge.App, error) {
	return queryOne(ctx, s.pool, "get app", scanApp, `SELECT `+appColumns+` FROM apps WHERE id = $1`, id)
}

// ListApps returns every app, by id.
func (s *Store) ListApps(ctx context.Context) ([]*hookbridge.App, error) {
	return queryAll(ctx, s.pool, "list apps", scanApp, `SELECT `+appColumns+` FROM apps ORDER BY id`)
}

// RenameApp sets an app's display name, leaving its other fields alone.
func (s *Store) RenameApp(ctx context.Context, id, name string) error {
	return execOne(ctx, s.pool, "rename app", `UPDATE apps SET name = $2 WHERE id = $1`, id, name)
}

// UpdateAppDelivery stores an app's retry schedule and the time after
// which a failing endpoint is disabled, leaving its other fields alone.
func (s *Store) UpdateAppDelivery(ctx context.Context, app *hookbridge.App) error {
	return execOne(ctx, s.pool, "update app",
		`UPDATE apps SET retry_schedule = $2, disable_endpoint_after = $3 WHERE id = $1`,
		app.ID, scheduleNanos(app.RetrySchedule), int64(app.DisableEndpointAfter))
}

// scheduleNanos stores a retry schedule as nanoseconds (never nil: the
// column is NOT NULL).
func scheduleNanos(schedule []hookbridge.Duration) []int64 {
	out := make([]int64, len(schedule))
	for i, d := range schedule {
		out[i] = int64(d)
	}
	return out
}

func scheduleOf(nanos []int64) []hookbridge.Duration {
	if len(nanos) == 0 {
		return nil
	}
	out := make([]hookbridge.Duration, len(nanos))
	for i, n := range nanos {
		out[i] = hookbridge.Duration(n)
	}
	return out
}

// appColumns are the columns scanApp reads, in order.
const appColumns = `id, name, created_at, retry_schedule, disable_endpoint_after`

func scanApp(row pgx.CollectableRow) (*hookbridge.App, error) {
	var (
		a            hookbridge.App
		schedule     []int64
		disableAfter int64
	)
	err := row.Scan(&a.ID, &a.Name, &a.CreatedAt, &schedule, &disableAfter)
	a.RetrySchedule = scheduleOf(schedule)
	a.DisableEndpointAfter = hookbridge.Duration(disableAfter)
	return &a, err
}

// tokenColumns are the columns scanToken reads, in order.
const tokenColumns = `id, COALESCE(app_id, ''), name, hash, created_at, expires_at, revoked_at`

// CreateToken stores an API token; an empty AppID stores an admin token.
func (s *Store) CreateToken(ctx context.Context, t *hookbridge.Token) error {
	if err := hookbridge.CheckTokenStorable(t); err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO tokens (id, app_id, name, hash, created_at, expires_at, revoked_at)
		VALUES ($1, NULLIF($2, ''), $3, $4, $5, $6, $7)`,
		t.ID, t.AppID, t.Name, t.Hash, utc(t.CreatedAt), utcPtr(t.ExpiresAt), utcPtr(t.RevokedAt))
	if err != nil {
		return dbError("create token", err)
	}
	return nil
}

// TokenByHash finds a token by the SHA-256 of its secret, whether or not it
// is still usable.
func (s *Store) TokenByHash(ctx context.Context, hash []byte) (*hookbridge.Token, error) {
	return queryOne(ctx, s.pool, "find token", scanToken, `SELECT `+tokenColumns+` FROM tokens WHERE hash = $1`, hash)
}

// ListTokens returns the tokens of an app (the admin tokens for an empty
// appID), oldest first.
func (s *Store) ListTokens(ctx context.Context, appID string) ([]*hookbridge.Token, error) {
	return queryAll(ctx, s.pool, "list tokens", scanToken, `
		SELECT `+tokenColumns+` FROM tokens
		WHERE app_id IS NOT DISTINCT FROM NULLIF($1, '')
		ORDER BY created_at, id`, appID)
}

// RevokeToken marks a token of an app (an admin token for an empty appID)
// revoked at the given time. Revoking twice keeps the first time.
func (s *Store) RevokeToken(ctx context.Context, appID, id string, at time.Time) error {
	return execOne(ctx, s.pool, "revoke token", `
		UPDATE tokens SET revoked_at = COALESCE(revoked_at, $3)
		WHERE id = $2 AND app_id IS NOT DISTINCT FROM NULLIF($1, '')`,
		appID, id, utc(at))
}

// ConsumeToken revokes a usable token in one conditional statement, so
// that of racing callers only one changes the row.
func (s *Store) ConsumeToken(ctx context.Context, hash []byte, at time.Time) (*hookbridge.Token, error) {
	rows, _ := s.pool.Query(ctx, `
		UPDATE tokens SET revoked_at = $2
		WHERE hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)
		RETURNING `+tokenColumns, hash, utc(at))
	t, err := pgx.CollectExactlyOneRow(rows, scanToken)
	if err != nil {
		return nil, dbError("consume token", err)
	}
	t.RevokedAt = nil
	return t, nil
}

// CountTokens counts tokens of every app, admin ones included.
func (s *Store) CountTokens(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM tokens`).Scan(&n); err != nil {
		return 0, dbError("count tokens", err)
	}
	return n, nil
}

func scanToken(row pgx.CollectableRow) (*hookbridge.Token, error) {
	var t hookbridge.Token
	err := row.Scan(&t.ID, &t.AppID, &t.Name, &t.Hash, &t.CreatedAt, &t.ExpiresAt, &t.RevokedAt)
	return &t, err
}
