package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hookbridge/hookbridge"
)

// ReserveSend takes a turn of an endpoint's rate limit (see
// hookbridge.ReserveTurn) in a write transaction, so that every worker of
// every process on this database file shares the limit.
func (s *Store) ReserveSend(ctx context.Context, endpointID string, interval time.Duration, burst int, now time.Time, maxWait time.Duration) (time.Time, bool, error) {
	if interval <= 0 {
		return now, true, nil
	}
	var (
		at time.Time
		ok bool
	)
	err := s.inWriteTx(ctx, func(tx txn) error {
		var tatMicros int64
		err := tx.QueryRowContext(ctx, `SELECT tat FROM endpoint_throttle WHERE endpoint_id = ?`, endpointID).Scan(&tatMicros)
		tat := fromMicros(tatMicros)
		if errors.Is(err, sql.ErrNoRows) {
			tat, err = time.Time{}, nil
		}
		if err != nil {
			return err
		}
		var newTAT time.Time
		at, newTAT, ok = hookbridge.ReserveTurn(tat, now, interval, burst, maxWait)
		if !ok {
			return nil
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO endpoint_throttle (endpoint_id, tat) VALUES (?1, ?2)
			ON CONFLICT (endpoint_id) DO UPDATE SET tat = ?2`, endpointID, toMicros(newTAT))
		return err
	})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("reserve a send to endpoint %s: %w", endpointID, err)
	}
	return at, ok, nil
}
