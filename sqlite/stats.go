package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hookbridge/hookbridge"
)

// EndpointStats summarises the attempts an endpoint of the app made in
// [since, until) (index attempts_by_endpoint) and the deliveries created
// for it then (index deliveries_by_endpoint_created). It reads one
// snapshot, so that the attempts and the deliveries' statuses agree: an
// outcome committed between two separate reads would show a delivery as
// succeeded without its attempt.
func (s *Store) EndpointStats(ctx context.Context, appID, id string, since, until time.Time) (*hookbridge.EndpointStats, error) {
	if _, err := s.GetEndpoint(ctx, appID, id); err != nil {
		return nil, fmt.Errorf("endpoint stats: %w", err)
	}
	tx, end, err := s.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("endpoint stats: %w", err)
	}
	defer end()
	st := &hookbridge.EndpointStats{Since: since, Until: until, DeliveriesByStatus: map[hookbridge.DeliveryStatus]int{}}
	from, to := toMicros(since), toMicros(until)
	err = tx.QueryRowContext(ctx, `SELECT count(*),
			coalesce(sum(response_status BETWEEN 200 AND 299 AND error = ''), 0)
		FROM attempts WHERE endpoint_id = ? AND created_at >= ? AND created_at < ?`,
		id, from, to).Scan(&st.Attempts, &st.Succeeded)
	if err != nil {
		return nil, fmt.Errorf("count attempts of endpoint %s: %w", id, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT duration_ns FROM attempts
		WHERE endpoint_id = ? AND created_at >= ? AND created_at < ? AND duration_ns > 0
		ORDER BY created_at DESC LIMIT ?`, id, from, to, hookbridge.MaxStatsLatencies)
	st.Latencies, err = collect(rows, err, func(r scanner) (time.Duration, error) {
		var ns int64
		err := r.Scan(&ns)
		return time.Duration(ns), err
	})
	if err != nil {
		return nil, fmt.Errorf("attempt latencies of endpoint %s: %w", id, err)
	}
	if err := countDeliveriesByStatus(ctx, tx, appID, id, from, to, st); err != nil {
		return nil, err
	}
	if err := lastOutcomes(ctx, tx, id, st); err != nil {
		return nil, err
	}
	return st, nil
}

func countDeliveriesByStatus(ctx context.Context, tx txn, appID, id string, from, to int64, st *hookbridge.EndpointStats) error {
	rows, err := tx.QueryContext(ctx, `SELECT status, count(*) FROM deliveries
		WHERE app_id = ? AND endpoint_id = ? AND created_at >= ? AND created_at < ? GROUP BY status`,
		appID, id, from, to)
	if err != nil {
		return fmt.Errorf("count deliveries of endpoint %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			status string
			n      int
		)
		if err := rows.Scan(&status, &n); err != nil {
			return fmt.Errorf("count deliveries of endpoint %s: %w", id, err)
		}
		st.DeliveriesByStatus[hookbridge.DeliveryStatus(status)] = n
	}
	return rows.Err()
}

// lastOutcomes finds the latest failed and the latest successful attempt
// of the endpoint, whenever they were.
func lastOutcomes(ctx context.Context, tx txn, id string, st *hookbridge.EndpointStats) error {
	var at int64
	err := tx.QueryRowContext(ctx, `SELECT error, created_at FROM attempts
		WHERE endpoint_id = ? AND error <> '' ORDER BY created_at DESC LIMIT 1`, id).Scan(&st.LastError, &at)
	switch {
	case err == nil:
		st.LastErrorAt = ptrTime(fromMicros(at))
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("last error of endpoint %s: %w", id, err)
	}
	err = tx.QueryRowContext(ctx, `SELECT created_at FROM attempts
		WHERE endpoint_id = ? AND error = '' AND response_status BETWEEN 200 AND 299
		ORDER BY created_at DESC LIMIT 1`, id).Scan(&at)
	switch {
	case err == nil:
		st.LastSuccessAt = ptrTime(fromMicros(at))
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("last success of endpoint %s: %w", id, err)
	}
	return nil
}

func ptrTime(t time.Time) *time.Time { return &t }
