package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hookbridge/hookbridge"
)

// CreateApp stores a new app; ErrConflict if the id is taken.
func (s *Store) CreateApp(ctx context.Context, app *hookbridge.App) error {
	if err := hookbridge.CheckAppStorable(app); err != nil {
		return fmt.Errorf("create app: %w", err)
	}
	schedule, err := encodeSchedule(app.RetrySchedule)
	if err != nil {
		return fmt.Errorf("create app %s: %w", app.ID, err)
	}
	_, err = s.exec(ctx,
		`INSERT INTO apps (`+appColumns+`) VALUES (?, ?, ?, ?, ?)`,
		app.ID, app.Name, toMicros(app.CreatedAt), schedule, int64(app.DisableEndpointAfter))
	if isUniqueViolation(err) {
		return fmt.Errorf("create app %s: %w", app.ID, hookbridge.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create app %s: %w", app.ID, err)
	}
	return nil
}

// GetApp finds an app by id.
func (s *Store) GetApp(ctx context.Context, id string) (*hookbridge.App, error) {
	app, err := scanApp(s.queryRow(ctx,
		`SELECT `+appColumns+` FROM apps WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("get app %s: %w", id, notFound(err))
	}
	return app, nil
}

// ListApps returns every app, by id.
func (s *Store) ListApps(ctx context.Context) ([]*hookbridge.App, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+appColumns+` FROM apps ORDER BY id`)
	apps, err := collect(rows, err, scanApp)
	if err != nil {
		return nil, fmt.Errorf("list apps: %w", err)
	}
	return apps, nil
}

// RenameApp sets an app's display name, leaving its other fields alone.
func (s *Store) RenameApp(ctx context.Context, id, name string) error {
	if err := execOne(ctx, s.write, `UPDATE apps SET name = ? WHERE id = ?`, name, id); err != nil {
		return fmt.Errorf("rename app %s: %w", id, err)
	}
	return nil
}

// UpdateAppDelivery stores an app's retry schedule and the time after
// which a failing endpoint is disabled, leaving its other fields alone.
func (s *Store) UpdateAppDelivery(ctx context.Context, app *hookbridge.App) error {
	schedule, err := encodeSchedule(app.RetrySchedule)
	if err != nil {
		return fmt.Errorf("update app %s: %w", app.ID, err)
	}
	err = execOne(ctx, s.write,
		`UPDATE apps SET retry_schedule = ?, disable_endpoint_after = ? WHERE id = ?`,
		schedule, int64(app.DisableEndpointAfter), app.ID)
	if err != nil {
		return fmt.Errorf("update app %s: %w", app.ID, err)
	}
	return nil
}

// encodeSchedule stores a retry schedule as a JSON array of nanoseconds.
func encodeSchedule(schedule []hookbridge.Duration) (string, error) {
	nanos := make([]int64, len(schedule))
	for i, d := range schedule {
		nanos[i] = int64(d)
	}
	b, err := json.Marshal(nanos)
	if err != nil {
		return "", fmt.Errorf("encode retry schedule: %w", err)
	}
	return string(b), nil
}

func decodeSchedule(text string) ([]hookbridge.Duration, error) {
	nanos, err := fromJSON[[]int64]("retry schedule", text)
	if err != nil || len(nanos) == 0 {
		return nil, err
	}
	out := make([]hookbridge.Duration, len(nanos))
	for i, n := range nanos {
		out[i] = hookbridge.Duration(n)
	}
	return out, nil
}

const appColumns = `id, name, created_at, retry_schedule, disable_endpoint_after`

func scanApp(row scanner) (*hookbridge.App, error) {
	var (
		app          hookbridge.App
		created      int64
		schedule     string
		disableAfter int64
	)
	if err := row.Scan(&app.ID, &app.Name, &created, &schedule, &disableAfter); err != nil {
		return nil, err
	}
	app.CreatedAt = fromMicros(created)
	app.DisableEndpointAfter = hookbridge.Duration(disableAfter)
	var err error
	if app.RetrySchedule, err = decodeSchedule(schedule); err != nil {
		return nil, fmt.Errorf("app %s: %w", app.ID, err)
	}
	return &app, nil
}

const tokenColumns = `id, app_id, name, hash, created_at, expires_at, revoked_at`

// CreateToken stores a token; an empty AppID makes it an admin token.
func (s *Store) CreateToken(ctx context.Context, t *hookbridge.Token) error {
	if err := hookbridge.CheckTokenStorable(t); err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	_, err := s.exec(ctx,
		`INSERT INTO tokens (`+tokenColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		t.ID, nullString(t.AppID), t.Name, t.Hash, toMicros(t.CreatedAt),
		toNullMicros(t.ExpiresAt), toNullMicros(t.RevokedAt))
	if isUniqueViolation(err) {
		return fmt.Errorf("create token %s: %w", t.ID, hookbridge.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create token %s: %w", t.ID, err)
	}
	return nil
}

// TokenByHash finds a token by the SHA-256 of its secret.
func (s *Store) TokenByHash(ctx context.Context, hash []byte) (*hookbridge.Token, error) {
	t, err := scanToken(s.queryRow(ctx,
		`SELECT `+tokenColumns+` FROM tokens WHERE hash = ?`, hash))
	if err != nil {
		return nil, fmt.Errorf("find token by hash: %w", notFound(err))
	}
	return t, nil
}

// ListTokens returns the tokens of an app (the admin tokens for an empty
// appID), oldest first.
func (s *Store) ListTokens(ctx context.Context, appID string) ([]*hookbridge.Token, error) {
	rows, err := s.read.QueryContext(ctx,
		`SELECT `+tokenColumns+` FROM tokens WHERE app_id IS ? ORDER BY created_at, id`, nullString(appID))
	tokens, err := collect(rows, err, scanToken)
	if err != nil {
		return nil, fmt.Errorf("list tokens of app %s: %w", appID, err)
	}
	return tokens, nil
}

// RevokeToken marks a token of an app revoked at the given time.
func (s *Store) RevokeToken(ctx context.Context, appID, id string, at time.Time) error {
	err := execOne(ctx, s.write,
		`UPDATE tokens SET revoked_at = ? WHERE app_id IS ? AND id = ?`,
		toMicros(at), nullString(appID), id)
	if err != nil {
		return fmt.Errorf("revoke token %s: %w", id, err)
	}
	return nil
}

// ConsumeToken revokes a usable token in one conditional statement, so
// that of racing callers only one changes the row.
func (s *Store) ConsumeToken(ctx context.Context, hash []byte, at time.Time) (*hookbridge.Token, error) {
	t, err := scanToken(s.write.QueryRowContext(ctx, `
		UPDATE tokens SET revoked_at = ?
		WHERE hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
		RETURNING `+tokenColumns, toMicros(at), hash, toMicros(at)))
	if err != nil {
		return nil, fmt.Errorf("consume token: %w", notFound(storageError(err)))
	}
	t.RevokedAt = nil
	return t, nil
}

// CountTokens counts every token, admin ones included.
func (s *Store) CountTokens(ctx context.Context) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM tokens`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count tokens: %w", err)
	}
	return n, nil
}

func scanToken(row scanner) (*hookbridge.Token, error) {
	var (
		t                  hookbridge.Token
		appID              sql.NullString
		created            int64
		expires, revokedAt sql.NullInt64
	)
	if err := row.Scan(&t.ID, &appID, &t.Name, &t.Hash, &created, &expires, &revokedAt); err != nil {
		return nil, err
	}
	t.AppID = appID.String
	t.CreatedAt = fromMicros(created)
	t.ExpiresAt = fromNullMicros(expires)
	t.RevokedAt = fromNullMicros(revokedAt)
	return &t, nil
}
