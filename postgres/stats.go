package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
)

// EndpointStats summarises the attempts an endpoint of the app made in
// [since, until) (index attempts_by_endpoint) and the deliveries created
// for it then (index deliveries_by_endpoint). It reads one snapshot (a
// read-only repeatable-read transaction), so that the attempts and the
// deliveries' statuses agree.
func (s *Store) EndpointStats(ctx context.Context, appID, id string, since, until time.Time) (*hookbridge.EndpointStats, error) {
	if _, err := s.GetEndpoint(ctx, appID, id); err != nil {
		return nil, err
	}
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, dbError("endpoint stats", err)
	}
	defer tx.Rollback(context.Background()) //nolint:errcheck // read-only; nothing to undo
	st := &hookbridge.EndpointStats{Since: since, Until: until, DeliveriesByStatus: map[hookbridge.DeliveryStatus]int{}}
	from, to := utc(since), utc(until)
	err = tx.QueryRow(ctx, `
		SELECT count(*), count(*) FILTER (WHERE response_status BETWEEN 200 AND 299 AND error = '')
		FROM attempts WHERE endpoint_id = $1 AND created_at >= $2 AND created_at < $3`,
		id, from, to).Scan(&st.Attempts, &st.Succeeded)
	if err != nil {
		return nil, dbError("count attempts", err)
	}
	rows, _ := tx.Query(ctx, `
		SELECT duration_ns FROM attempts
		WHERE endpoint_id = $1 AND created_at >= $2 AND created_at < $3 AND duration_ns > 0
		ORDER BY created_at DESC LIMIT $4`, id, from, to, hookbridge.MaxStatsLatencies)
	st.Latencies, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (time.Duration, error) {
		var ns int64
		err := row.Scan(&ns)
		return time.Duration(ns), err
	})
	if err != nil {
		return nil, dbError("attempt latencies", err)
	}
	if err := countByStatus(ctx, tx, id, from, to, st); err != nil {
		return nil, err
	}
	return st, lastOutcomes(ctx, tx, id, st)
}

func countByStatus(ctx context.Context, q querier, id string, from, to time.Time, st *hookbridge.EndpointStats) error {
	var (
		status string
		n      int
	)
	rows, _ := q.Query(ctx, `
		SELECT status, count(*) FROM deliveries
		WHERE endpoint_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY status`, id, from, to)
	_, err := pgx.ForEachRow(rows, []any{&status, &n}, func() error {
		st.DeliveriesByStatus[hookbridge.DeliveryStatus(status)] = n
		return nil
	})
	if err != nil {
		return dbError("count deliveries", err)
	}
	return nil
}

// lastOutcomes finds the latest failed and the latest successful attempt
// of the endpoint, whenever they were.
func lastOutcomes(ctx context.Context, q querier, id string, st *hookbridge.EndpointStats) error {
	var at time.Time
	err := q.QueryRow(ctx, `
		SELECT error, created_at FROM attempts
		WHERE endpoint_id = $1 AND error <> '' ORDER BY created_at DESC LIMIT 1`, id).Scan(&st.LastError, &at)
	switch {
	case err == nil:
		st.LastErrorAt = &at
	case !errors.Is(err, pgx.ErrNoRows):
		return dbError("last error", err)
	}
	var ok time.Time
	err = q.QueryRow(ctx, `
		SELECT created_at FROM attempts
		WHERE endpoint_id = $1 AND error = '' AND response_status BETWEEN 200 AND 299
		ORDER BY created_at DESC LIMIT 1`, id).Scan(&ok)
	switch {
	case err == nil:
		st.LastSuccessAt = &ok
	case !errors.Is(err, pgx.ErrNoRows):
		return dbError("last success", err)
	}
	return nil
}
