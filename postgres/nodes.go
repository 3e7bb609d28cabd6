package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
)

// Heartbeat records that n is alive at n.LastSeenAt, registering it if it
// has no row.
func (s *Store) Heartbeat(ctx context.Context, n *hookbridge.Node) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO nodes (id, hostname, pid, started_at, last_seen_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO UPDATE SET last_seen_at = excluded.last_seen_at`,
		n.ID, cleanText(n.Hostname), n.PID, utc(n.StartedAt), utc(n.LastSeenAt))
	if err != nil {
		return dbError("record node heartbeat", err)
	}
	return nil
}

// takeOverQuery ends the leases of nodes last seen before $1, and of nodes
// with no row (removed or forgotten), in one statement. It reads the small
// partial index of leased deliveries (deliveries_leased), not the table,
// and wakes every node's workers (channel $2) if it ended any.
const takeOverQuery = `
	WITH taken AS (
		UPDATE deliveries d SET lease_id = NULL, lease_expires_at = NULL
		WHERE d.lease_id IS NOT NULL AND d.lease_node IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM nodes n WHERE n.id = d.lease_node AND n.last_seen_at >= $1)
		RETURNING 1
	), woken AS (
		SELECT pg_notify($2, '') FROM (SELECT 1 FROM taken LIMIT 1) AS any_taken)
	SELECT (SELECT count(*) FROM taken), (SELECT count(*) FROM woken)`

// TakeOverLeases ends every lease whose node was last seen before
// staleBefore or has no row, and says how many it ended.
func (s *Store) TakeOverLeases(ctx context.Context, staleBefore time.Time) (int, error) {
	var taken, woken int64
	if err := s.pool.QueryRow(ctx, takeOverQuery, utc(staleBefore), workChannel).Scan(&taken, &woken); err != nil {
		return 0, dbError("take over leases of stale nodes", err)
	}
	return int(taken), nil
}

// RemoveNode deletes a node's row.
func (s *Store) RemoveNode(ctx context.Context, id string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM nodes WHERE id = $1`, id); err != nil {
		return dbError("remove node", err)
	}
	return nil
}

// ForgetNodes deletes the rows of nodes last seen before lastSeenBefore.
func (s *Store) ForgetNodes(ctx context.Context, lastSeenBefore time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM nodes WHERE last_seen_at < $1`, utc(lastSeenBefore))
	if err != nil {
		return 0, dbError("forget nodes", err)
	}
	return int(tag.RowsAffected()), nil
}

// ListNodes returns every node with a row, earliest started first.
func (s *Store) ListNodes(ctx context.Context) ([]*hookbridge.Node, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT id, hostname, pid, started_at, last_seen_at FROM nodes ORDER BY started_at, id`)
	nodes, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*hookbridge.Node, error) {
		var n hookbridge.Node
		err := row.Scan(&n.ID, &n.Hostname, &n.PID, &n.StartedAt, &n.LastSeenAt)
		return &n, err
	})
	if err != nil {
		return nil, dbError("list nodes", err)
	}
	return nodes, nil
}
