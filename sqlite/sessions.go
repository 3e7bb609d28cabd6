package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// RevokeSession records a dashboard session as ended until it would have
// expired, and forgets revocations whose time is before now.
func (s *Store) RevokeSession(ctx context.Context, id string, until, now time.Time) error {
	if _, err := s.write.ExecContext(ctx,
		`INSERT INTO revoked_sessions (id, expires_at) VALUES (?, ?)
		 ON CONFLICT (id) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)`,
		id, toMicros(until)); err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	if _, err := s.write.ExecContext(ctx,
		`DELETE FROM revoked_sessions WHERE expires_at < ?`, toMicros(now)); err != nil {
		return fmt.Errorf("forget ended session revocations: %w", err)
	}
	return nil
}

// SessionRevoked reports whether a dashboard session was revoked.
func (s *Store) SessionRevoked(ctx context.Context, id string) (bool, error) {
	var one int
	err := s.read.QueryRowContext(ctx, `SELECT 1 FROM revoked_sessions WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check session revocation: %w", err)
	}
	return true, nil
}
