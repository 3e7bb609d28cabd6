package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/retention"
)

var _ retention.Store = (*Store)(nil)

// AppRetentionDays returns the retention period an app has set, 0 if it
// uses the default.
func (s *Store) AppRetentionDays(ctx context.Context, appID string) (int, error) {
	var days int
	err := s.pool.QueryRow(ctx, `SELECT retention_days FROM apps WHERE id = $1`, appID).Scan(&days)
	if err != nil {
		return 0, dbError("get app retention", err)
	}
	return days, nil
}

// SetAppRetentionDays sets an app's retention period; 0 restores the
// default.
func (s *Store) SetAppRetentionDays(ctx context.Context, appID string, days int) error {
	if days < 0 {
		return fmt.Errorf("set app retention: negative period %d", days)
	}
	return execOne(ctx, s.pool, "set app retention", `UPDATE apps SET retention_days = $2 WHERE id = $1`, appID, days)
}

// RetentionDaysByApp returns every app's retention period (0: default).
func (s *Store) RetentionDaysByApp(ctx context.Context) (map[string]int, error) {
	rows, _ := s.pool.Query(ctx, `SELECT id, retention_days FROM apps`)
	byApp := map[string]int{}
	var (
		id   string
		days int
	)
	_, err := pgx.ForEachRow(rows, []any{&id, &days}, func() error {
		byApp[id] = days
		return nil
	})
	if err != nil {
		return nil, dbError("list app retention", err)
	}
	return byApp, nil
}

// pruneCandidatesQuery locks up to $3 of an app's messages created before
// $2, oldest first, that have no pending delivery. SKIP LOCKED leaves rows
// that another pruner (on another node) or a writer holds to a later
// batch. It walks messages_by_app_created and probes deliveries_by_message.
const pruneCandidatesQuery = `
	SELECT m.id FROM messages m
	WHERE m.app_id = $1 AND m.created_at < $2
		AND NOT EXISTS (
			SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.status = 'pending')
	ORDER BY m.created_at
	LIMIT $3
	FOR UPDATE OF m SKIP LOCKED`

// PruneMessages deletes up to limit messages of an app created before
// cutoff that have no pending delivery, with their deliveries and
// attempts, in one transaction, and says how many messages it deleted.
//
// The messages are locked first, which stops a resend (CreateDelivery)
// from adding a delivery to them meanwhile; then their deliveries are
// locked and read again, and a message whose delivery became pending in
// between (a retry, a recovery) is kept.
func (s *Store) PruneMessages(ctx context.Context, appID string, cutoff time.Time, limit int) (int, error) {
	if limit <= 0 {
		return 0, nil
	}
	var deleted int
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, pruneCandidatesQuery, appID, utc(cutoff), limit)
		candidates, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil || len(candidates) == 0 {
			return err
		}
		doomed, err := withoutPendingDeliveries(ctx, tx, candidates)
		if err != nil || len(doomed) == 0 {
			return err
		}
		deleted = len(doomed)
		return deleteMessages(ctx, tx, doomed)
	})
	if err != nil {
		return 0, dbError("prune messages", err)
	}
	return deleted, nil
}

// withoutPendingDeliveries locks every delivery of the given messages and
// returns the messages none of whose deliveries is pending. The status is
// read under the lock, not filtered on: FOR UPDATE waits for a transaction
// that is making a delivery pending (a retry) and then returns the row as
// that transaction left it, whereas a filter on the status would be judged
// on the row as it was before and let the retry slip through.
func withoutPendingDeliveries(ctx context.Context, tx pgx.Tx, messageIDs []string) ([]string, error) {
	rows, _ := tx.Query(ctx, `
		SELECT message_id, status FROM deliveries
		WHERE message_id = ANY ($1)
		FOR UPDATE`, messageIDs)
	keep := map[string]bool{}
	var messageID, status string
	_, err := pgx.ForEachRow(rows, []any{&messageID, &status}, func() error {
		if status == string(hookbridge.DeliveryPending) {
			keep[messageID] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("lock deliveries: %w", err)
	}
	doomed := make([]string, 0, len(messageIDs))
	for _, id := range messageIDs {
		if !keep[id] {
			doomed = append(doomed, id)
		}
	}
	return doomed, nil
}

// deleteMessages deletes messages with their deliveries, attempts and
// customer index rows, children first.
func deleteMessages(ctx context.Context, tx pgx.Tx, messageIDs []string) error {
	steps := []struct{ what, sql string }{
		{"attempts", `DELETE FROM attempts WHERE delivery_id IN (
			SELECT id FROM deliveries WHERE message_id = ANY ($1))`},
		{"deliveries", `DELETE FROM deliveries WHERE message_id = ANY ($1)`},
		{"customer index", `DELETE FROM message_customers WHERE message_id = ANY ($1)`},
		{"messages", `DELETE FROM messages WHERE id = ANY ($1)`},
	}
	for _, step := range steps {
		if _, err := tx.Exec(ctx, step.sql, messageIDs); err != nil {
			return fmt.Errorf("delete %s: %w", step.what, err)
		}
	}
	return nil
}
