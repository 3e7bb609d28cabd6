package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// nextDueQuery finds the earliest of, after ?1: a pending delivery's due
// time (index deliveries_due), a valid lease's expiry (index
// deliveries_leased: the rows in flight) and the end of an enabled
// endpoint's pause.
const nextDueQuery = `SELECT min(t) FROM (
		SELECT min(next_attempt_at) AS t FROM deliveries
		WHERE status = 'pending' AND next_attempt_at > ?1
		UNION ALL
		SELECT min(lease_expires_at) FROM deliveries
		WHERE lease_id IS NOT NULL AND status = 'pending' AND lease_expires_at > ?1
		UNION ALL
		SELECT min(paused_until) FROM endpoints WHERE disabled = 0 AND paused_until > ?1)`

// NextDue returns the earliest time after now at which time alone may
// make a delivery claimable (see hookbridge.DeliveryStore), zero if none.
func (s *Store) NextDue(ctx context.Context, now time.Time) (time.Time, error) {
	var next sql.NullInt64
	if err := s.read.QueryRowContext(ctx, nextDueQuery, toMicros(now)).Scan(&next); err != nil {
		return time.Time{}, fmt.Errorf("next due time: %w", err)
	}
	if !next.Valid {
		return time.Time{}, nil
	}
	return fromMicros(next.Int64), nil
}
