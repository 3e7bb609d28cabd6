package postgres

import (
	"context"
	"time"
)

// nextDueQuery finds the earliest of, after $1: a pending delivery's due
// time (index deliveries_due), a valid lease's expiry (index
// deliveries_leased: the rows in flight) and the end of an enabled
// endpoint's pause.
const nextDueQuery = `SELECT LEAST(
	(SELECT min(next_attempt_at) FROM deliveries WHERE status = 'pending' AND next_attempt_at > $1),
	(SELECT min(lease_expires_at) FROM deliveries
	 WHERE lease_id IS NOT NULL AND status = 'pending' AND lease_expires_at > $1),
	(SELECT min(paused_until) FROM endpoints WHERE NOT disabled AND paused_until > $1))`

// NextDue returns the earliest time after now at which time alone may
// make a delivery claimable (see hookbridge.DeliveryStore), zero if none.
func (s *Store) NextDue(ctx context.Context, now time.Time) (time.Time, error) {
	var next *time.Time
	if err := s.pool.QueryRow(ctx, nextDueQuery, utc(now)).Scan(&next); err != nil {
		return time.Time{}, dbError("next due time", err)
	}
	if next == nil {
		return time.Time{}, nil
	}
	return *next, nil
}
