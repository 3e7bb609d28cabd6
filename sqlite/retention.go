package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/hookbridge/hookbridge/retention"
)

var _ retention.Store = (*Store)(nil)

// AppRetentionDays returns the retention period an app has set, 0 if it
// uses the default.
func (s *Store) AppRetentionDays(ctx context.Context, appID string) (int, error) {
	var days int
	err := s.read.QueryRowContext(ctx, `SELECT retention_days FROM apps WHERE id = ?`, appID).Scan(&days)
	if err != nil {
		return 0, fmt.Errorf("get retention of app %s: %w", appID, notFound(err))
	}
	return days, nil
}

// SetAppRetentionDays sets an app's retention period; 0 restores the
// default.
func (s *Store) SetAppRetentionDays(ctx context.Context, appID string, days int) error {
	if days < 0 {
		return fmt.Errorf("set retention of app %s: negative period %d", appID, days)
	}
	err := execOne(ctx, s.write, `UPDATE apps SET retention_days = ? WHERE id = ?`, days, appID)
	if err != nil {
		return fmt.Errorf("set retention of app %s: %w", appID, err)
	}
	return nil
}

// RetentionDaysByApp returns every app's retention period (0: default).
func (s *Store) RetentionDaysByApp(ctx context.Context) (map[string]int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, retention_days FROM apps`)
	if err != nil {
		return nil, fmt.Errorf("list app retention: %w", err)
	}
	defer rows.Close()
	byApp := map[string]int{}
	for rows.Next() {
		var (
			id   string
			days int
		)
		if err := rows.Scan(&id, &days); err != nil {
			return nil, fmt.Errorf("list app retention: %w", err)
		}
		byApp[id] = days
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list app retention: %w", err)
	}
	return byApp, nil
}

// pruneCandidatesQuery selects up to ? of an app's messages created before
// ?, oldest first, that have no pending delivery. It walks
// messages_by_app_created and probes deliveries_by_message; see
// TestRetentionQueryPlans.
const pruneCandidatesQuery = `
	SELECT m.id FROM messages m
	WHERE m.app_id = ? AND m.created_at < ?
		AND NOT EXISTS (
			SELECT 1 FROM deliveries d
			WHERE d.app_id = m.app_id AND d.message_id = m.id AND d.status = 'pending')
	ORDER BY m.created_at
	LIMIT ?`

// PruneMessages deletes up to limit messages of an app created before
// cutoff that have no pending delivery, with their deliveries and
// attempts, in one write transaction, and says how many messages it
// deleted. The transaction holds SQLite's write lock, so nothing can make
// a chosen message's delivery pending before it is gone; keep limit small
// so that ingest and delivery wait only briefly.
func (s *Store) PruneMessages(ctx context.Context, appID string, cutoff time.Time, limit int) (int, error) {
	if limit <= 0 {
		return 0, nil
	}
	var deleted int
	err := s.inWriteTx(ctx, func(tx txn) error {
		rows, err := tx.QueryContext(ctx, pruneCandidatesQuery, appID, toMicros(cutoff), limit)
		ids, err := collect(rows, err, scanString)
		if err != nil || len(ids) == 0 {
			return err
		}
		deleted = len(ids)
		return deleteMessages(ctx, tx, appID, ids)
	})
	if err != nil {
		return 0, fmt.Errorf("prune messages of app %s: %w", appID, err)
	}
	return deleted, nil
}

func scanString(row scanner) (string, error) {
	var s string
	err := row.Scan(&s)
	return s, err
}

// deleteMessages deletes messages of an app with their deliveries,
// attempts and customer index rows, children first.
func deleteMessages(ctx context.Context, tx txn, appID string, messageIDs []string) error {
	in := `(` + placeholders(len(messageIDs)) + `)`
	args := append([]any{appID}, anySlice(messageIDs)...)
	steps := []struct{ what, sql string }{
		{"attempts", `DELETE FROM attempts WHERE delivery_id IN (
			SELECT id FROM deliveries WHERE app_id = ? AND message_id IN ` + in + `)`},
		{"deliveries", `DELETE FROM deliveries WHERE app_id = ? AND message_id IN ` + in},
		// +app_id: by message_customers_by_message, not every row of the app.
		{"customer index", `DELETE FROM message_customers WHERE +app_id = ? AND message_id IN ` + in},
		{"messages", `DELETE FROM messages WHERE app_id = ? AND id IN ` + in},
	}
	for _, step := range steps {
		if _, err := tx.ExecContext(ctx, step.sql, args...); err != nil {
			return fmt.Errorf("delete %s: %w", step.what, err)
		}
	}
	return nil
}
