package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
)

// reserveQuery takes the next turn of endpoint $1's rate limit at $2, one
// request every $3 with a burst tolerance of $4, if it comes within $5 of
// $2: hookbridge.ReserveTurn in one statement, so that the endpoint's row
// is locked only while it runs (workers on every node take turns one after
// another). It returns the new theoretical arrival time, or no row when the
// turn is further away than $5 (then nothing is taken).
const reserveQuery = `
	INSERT INTO endpoint_throttle AS t (endpoint_id, tat) VALUES ($1, $2::timestamptz + $3::interval)
	ON CONFLICT (endpoint_id) DO UPDATE SET tat = GREATEST(t.tat, $2) + $3::interval
		WHERE GREATEST(t.tat, $2) - $4::interval - $2 <= $5::interval
	RETURNING tat`

// ReserveSend takes a turn of an endpoint's rate limit (see
// hookbridge.ReserveTurn) with reserveQuery. When it is refused, when to
// ask again is computed from the row as it is then.
func (s *Store) ReserveSend(ctx context.Context, endpointID string, interval time.Duration, burst int, now time.Time, maxWait time.Duration) (time.Time, bool, error) {
	if interval <= 0 {
		return now, true, nil
	}
	now = utc(now)
	tolerance := time.Duration(max(burst, 1)-1) * interval
	var newTAT time.Time
	err := s.pool.QueryRow(ctx, reserveQuery, endpointID, now, interval, tolerance, maxWait).Scan(&newTAT)
	if err == nil {
		at := newTAT.Add(-interval - tolerance)
		if at.Before(now) {
			at = now
		}
		return at, true, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, false, dbError("reserve a send", err)
	}
	var tat time.Time
	err = s.pool.QueryRow(ctx, `SELECT tat FROM endpoint_throttle WHERE endpoint_id = $1`, endpointID).Scan(&tat)
	if err != nil {
		return time.Time{}, false, dbError("reserve a send", err)
	}
	at, _, _ := hookbridge.ReserveTurn(tat, now, interval, burst, maxWait)
	return at, false, nil
}
