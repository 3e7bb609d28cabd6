package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/migration"
)

// QueueStats counts the pending deliveries of every app.
func (s *Store) QueueStats(ctx context.Context, now time.Time) (*hookbridge.QueueStats, error) {
	var (
		st                hookbridge.QueueStats
		oldest, oldestDue *time.Time
	)
	err := s.pool.QueryRow(ctx, `
		SELECT count(*), min(created_at),
		       count(*) FILTER (WHERE next_attempt_at <= $1),
		       min(next_attempt_at) FILTER (WHERE next_attempt_at <= $1)
		FROM deliveries WHERE status = 'pending'`, utc(now)).Scan(&st.Pending, &oldest, &st.Due, &oldestDue)
	if err != nil {
		return nil, dbError("queue stats", err)
	}
	if oldest != nil {
		st.OldestPendingCreatedAt = *oldest
	}
	if oldestDue != nil {
		st.OldestDueAt = *oldestDue
	}
	return &st, nil
}

// sealedColumns are the columns that hold values sealed by the Cipher.
var sealedColumns = []struct{ table, column string }{
	{"sources", "sealed_secrets"},
	{"endpoints", "sealed_credentials"},
	{"endpoints", "sealed_headers"},
}

// resealPage is how many rows ResealSecrets reads at a time.
const resealPage = 100

// ResealSecrets seals again every sealed value that stale picks, one row
// per transaction (which locks that row only), so that serving goes on
// meanwhile, on this node and on others.
func (s *Store) ResealSecrets(ctx context.Context, stale func(sealed []byte) bool) (int, error) {
	total := 0
	for _, col := range sealedColumns {
		n, err := s.resealColumn(ctx, col.table, col.column, stale)
		total += n
		if err != nil {
			return total, fmt.Errorf("reseal %s.%s: %w", col.table, col.column, err)
		}
	}
	return total, nil
}

func (s *Store) resealColumn(ctx context.Context, table, column string, stale func([]byte) bool) (int, error) {
	resealed, after := 0, ""
	for {
		ids, last, err := s.staleRows(ctx, table, column, after, stale)
		if err != nil {
			return resealed, err
		}
		for _, id := range ids {
			done, err := s.resealRow(ctx, table, column, id, stale)
			if err != nil {
				return resealed, err
			}
			if done {
				resealed++
			}
		}
		if last == "" {
			return resealed, nil
		}
		after = last
	}
}

// staleRows reads the next page of rows after the id after and returns the
// ids whose value is stale, and the last id read ("" at the end).
func (s *Store) staleRows(ctx context.Context, table, column, after string, stale func([]byte) bool) (ids []string, last string, err error) {
	rows, _ := s.pool.Query(ctx,
		`SELECT id, `+column+` FROM `+table+` WHERE id > $1 ORDER BY id LIMIT $2`, after, resealPage)
	type row struct {
		ID     string
		Sealed []byte
	}
	page, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
	if err != nil {
		return nil, "", dbError("read sealed values", err)
	}
	for _, r := range page {
		if r.Sealed != nil && stale(r.Sealed) { // NULL: nothing sealed
			ids = append(ids, r.ID)
		}
	}
	if len(page) == resealPage {
		last = page[len(page)-1].ID
	}
	return ids, last, nil
}

// resealRow locks one row and seals its value again if it is still stale.
// It reports whether it did.
func (s *Store) resealRow(ctx context.Context, table, column, id string, stale func([]byte) bool) (bool, error) {
	resealed := false
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var sealed []byte
		err := tx.QueryRow(ctx, `SELECT `+column+` FROM `+table+` WHERE id = $1 FOR UPDATE`, id).Scan(&sealed)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && (sealed == nil || !stale(sealed))) {
			return nil // deleted or rewritten meanwhile
		}
		if err != nil {
			return dbError("lock sealed value", err)
		}
		again, err := hookbridge.Reseal(s.cipher, sealed)
		if err != nil {
			return fmt.Errorf("%s %s: %w", table, id, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE `+table+` SET `+column+` = $1 WHERE id = $2`, again, id); err != nil {
			return dbError("write resealed value", err)
		}
		resealed = true
		return nil
	})
	return resealed, err
}

// PendingMigrations says how many schema migrations the database lacks,
// for a readiness check; it fails if the database's schema is unknown to
// this program.
func (s *Store) PendingMigrations(ctx context.Context) (int, error) {
	files, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	n, err := migration.Pending(ctx, db, files)
	if err != nil {
		return 0, fmt.Errorf("check postgres migrations: %w", err)
	}
	return n, nil
}
