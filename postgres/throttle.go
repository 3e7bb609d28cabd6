package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
)

// ReserveSend takes a slot of an endpoint's rate limit (see
// hookbridge.ReserveSlot). The endpoint's row is locked for the
// transaction, so that workers on every node take slots one after another.
func (s *Store) ReserveSend(ctx context.Context, endpointID string, interval time.Duration, burst int, now time.Time, maxWait time.Duration) (time.Time, bool, error) {
	if interval <= 0 {
		return now, true, nil
	}
	var (
		at time.Time
		ok bool
	)
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// Make sure the row exists, so that there is something to lock.
		_, err := tx.Exec(ctx, `INSERT INTO endpoint_throttle (endpoint_id, tat) VALUES ($1, to_timestamp(0))
			ON CONFLICT (endpoint_id) DO NOTHING`, endpointID)
		if err != nil {
			return err
		}
		var tat time.Time
		err = tx.QueryRow(ctx, `SELECT tat FROM endpoint_throttle WHERE endpoint_id = $1 FOR UPDATE`, endpointID).Scan(&tat)
		if err != nil {
			return err
		}
		var newTAT time.Time
		at, newTAT, ok = hookbridge.ReserveSlot(tat, utc(now), interval, burst, maxWait)
		if !ok {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE endpoint_throttle SET tat = $2 WHERE endpoint_id = $1`, endpointID, newTAT)
		return err
	})
	if err != nil {
		return time.Time{}, false, dbError("reserve a send", err)
	}
	return at, ok, nil
}
