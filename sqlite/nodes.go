package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/hookbridge/hookbridge"
)

// Heartbeat records that n is alive at n.LastSeenAt, registering it if it
// has no row.
func (s *Store) Heartbeat(ctx context.Context, n *hookbridge.Node) error {
	err := s.inWriteTx(ctx, func(tx txn) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO nodes (id, hostname, pid, started_at, last_seen_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET last_seen_at = excluded.last_seen_at`,
			n.ID, n.Hostname, n.PID, toMicros(n.StartedAt), toMicros(n.LastSeenAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("record node heartbeat: %w", err)
	}
	return nil
}

// takeOverQuery ends the leases of nodes last seen before ?1, and of nodes
// with no row (removed or forgotten). It reads the small partial index of
// leased deliveries (deliveries_leased), not the table.
const takeOverQuery = `UPDATE deliveries SET lease_id = NULL, lease_expires_at = NULL
	WHERE lease_id IS NOT NULL AND lease_node IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM nodes n WHERE n.id = deliveries.lease_node AND n.last_seen_at >= ?1)`

// TakeOverLeases ends every lease whose node was last seen before
// staleBefore or has no row, and says how many it ended. Deliveries of
// one process on one file are leased to that process; the leases of a
// process that died are taken back when the next one opens the file (see
// Exclusive).
func (s *Store) TakeOverLeases(ctx context.Context, staleBefore time.Time) (int, error) {
	var taken int
	err := s.inWriteTx(ctx, func(tx txn) (err error) {
		taken, err = affected(tx.ExecContext(ctx, takeOverQuery, toMicros(staleBefore)))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("take over leases of stale nodes: %w", err)
	}
	return taken, nil
}

// RemoveNode deletes a node's row.
func (s *Store) RemoveNode(ctx context.Context, id string) error {
	err := s.inWriteTx(ctx, func(tx txn) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM nodes WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("remove node %s: %w", id, err)
	}
	return nil
}

// ForgetNodes deletes the rows of nodes last seen before lastSeenBefore.
func (s *Store) ForgetNodes(ctx context.Context, lastSeenBefore time.Time) (int, error) {
	var forgotten int
	err := s.inWriteTx(ctx, func(tx txn) (err error) {
		forgotten, err = affected(tx.ExecContext(ctx, `DELETE FROM nodes WHERE last_seen_at < ?`, toMicros(lastSeenBefore)))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("forget nodes: %w", err)
	}
	return forgotten, nil
}

// ListNodes returns every node with a row, earliest started first.
func (s *Store) ListNodes(ctx context.Context) ([]*hookbridge.Node, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT id, hostname, pid, started_at, last_seen_at FROM nodes ORDER BY started_at, id`)
	nodes, err := collect(rows, err, func(r scanner) (*hookbridge.Node, error) {
		var (
			n                 hookbridge.Node
			started, lastSeen int64
		)
		err := r.Scan(&n.ID, &n.Hostname, &n.PID, &started, &lastSeen)
		n.StartedAt, n.LastSeenAt = fromMicros(started), fromMicros(lastSeen)
		return &n, err
	})
	if err != nil {
		return nil, fmt.Errorf("list nodes: %w", err)
	}
	return nodes, nil
}

// takeBackAll ends every lease and forgets every node, on the write
// connection before the writer starts: what a process that held the file
// alone and died left behind.
func takeBackAll(ctx context.Context, write *sql.DB) (int, error) {
	tx, err := write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("take back leases: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	taken, err := affected(tx.ExecContext(ctx, `UPDATE deliveries SET lease_id = NULL, lease_expires_at = NULL
		WHERE lease_id IS NOT NULL`))
	if err != nil {
		return 0, fmt.Errorf("take back leases: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM nodes`); err != nil {
		return 0, fmt.Errorf("forget the nodes of earlier processes: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("take back leases: %w", err)
	}
	return taken, nil
}
