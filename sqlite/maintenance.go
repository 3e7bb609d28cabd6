package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hookbridge/hookbridge"
)

// QueueStats counts the pending deliveries of every app, and how long the
// oldest have waited, as of now. It reads the partial index of pending
// deliveries only.
func (s *Store) QueueStats(ctx context.Context, now time.Time) (*hookbridge.QueueStats, error) {
	var (
		stats                 hookbridge.QueueStats
		oldestCreated, oldest sql.NullInt64
	)
	err := s.read.QueryRowContext(ctx, `SELECT
			count(*),
			count(*) FILTER (WHERE next_attempt_at <= ?),
			min(created_at),
			min(next_attempt_at) FILTER (WHERE next_attempt_at <= ?)
		FROM deliveries WHERE status = 'pending'`, toMicros(now), toMicros(now)).
		Scan(&stats.Pending, &stats.Due, &oldestCreated, &oldest)
	if err != nil {
		return nil, fmt.Errorf("queue stats: %w", err)
	}
	if oldestCreated.Valid {
		stats.OldestPendingCreatedAt = fromMicros(oldestCreated.Int64)
	}
	if oldest.Valid {
		stats.OldestDueAt = fromMicros(oldest.Int64)
	}
	return &stats, nil
}

// sealedColumn is a table column that holds values sealed by the cipher.
type sealedColumn struct {
	table, column string
}

func sealedColumns() []sealedColumn {
	return []sealedColumn{
		{"endpoints", "sealed_credentials"},
		{"endpoints", "sealed_headers"},
		{"sources", "sealed_secrets"},
	}
}

// ResealSecrets opens and seals again every sealed value for which stale
// returns true (after a key rotation, say), and says how many it resealed.
// Each row is re-read and rewritten in its own short transaction; a row
// that changed in between is left to whoever changed it.
func (s *Store) ResealSecrets(ctx context.Context, stale func(sealed []byte) bool) (int, error) {
	resealed := 0
	for _, col := range sealedColumns() {
		ids, err := s.rowIDs(ctx, col.table)
		if err != nil {
			return resealed, fmt.Errorf("reseal %s: %w", col.table, err)
		}
		for _, id := range ids {
			done, err := s.resealRow(ctx, col, id, stale)
			if err != nil {
				return resealed, fmt.Errorf("reseal %s %s: %w", col.table, id, err)
			}
			if done {
				resealed++
			}
		}
	}
	return resealed, nil
}

func (s *Store) rowIDs(ctx context.Context, table string) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id FROM `+table+` ORDER BY id`)
	return collect(rows, err, scanString)
}

// resealRow reseals one value if it is stale, and reports whether it did.
func (s *Store) resealRow(ctx context.Context, col sealedColumn, id string, stale func([]byte) bool) (bool, error) {
	resealed := false
	err := s.inWriteTx(ctx, func(tx txn) error {
		var sealed []byte
		err := tx.QueryRowContext(ctx, `SELECT `+col.column+` FROM `+col.table+` WHERE id = ?`, id).Scan(&sealed)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (sealed == nil || !stale(sealed))) {
			return nil // deleted meanwhile, nothing sealed (NULL), or nothing to do
		}
		if err != nil {
			return err
		}
		fresh, err := hookbridge.Reseal(s.cipher, sealed)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE `+col.table+` SET `+col.column+` = ? WHERE id = ?`, fresh, id)
		resealed = err == nil
		return err
	})
	return resealed, err
}
