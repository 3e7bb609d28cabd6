package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// RevokeSession records a dashboard session as ended until it would have
// expired, and forgets revocations whose time is before now.
func (s *Store) RevokeSession(ctx context.Context, id string, until, now time.Time) error {
	_, err := s.pool.Exec(ctx, `
		WITH forgotten AS (DELETE FROM revoked_sessions WHERE expires_at < $3)
		INSERT INTO revoked_sessions (id, expires_at) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET expires_at = GREATEST(revoked_sessions.expires_at, excluded.expires_at)`,
		id, utc(until), utc(now))
	if err != nil {
		return dbError("revoke session", err)
	}
	return nil
}

// SessionRevoked reports whether a dashboard session was revoked.
func (s *Store) SessionRevoked(ctx context.Context, id string) (bool, error) {
	var one int
	err := s.pool.QueryRow(ctx, `SELECT 1 FROM revoked_sessions WHERE id = $1`, id).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, dbError("check session revocation", err)
	}
	return true, nil
}
