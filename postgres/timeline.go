package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
)

// CustomerTimeline returns the messages of an app about a customer, newest
// first, with their deliveries and each delivery's last attempt, read in
// one snapshot (a read-only repeatable-read transaction). Each of the
// customer's keys is read along the primary key of message_customers, so
// a page costs the same however many messages the customer has.
func (s *Store) CustomerTimeline(ctx context.Context, appID string, f hookbridge.TimelineFilter) ([]*hookbridge.TimelineEntry, error) {
	keys := hookbridge.CustomerLookupKeys(f.Customer)
	if len(keys) == 0 {
		return []*hookbridge.TimelineEntry{}, nil
	}
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, dbError("customer timeline", err)
	}
	defer tx.Rollback(context.Background()) //nolint:errcheck // read-only; nothing to undo
	entries, err := readTimeline(ctx, tx, appID, keys, f)
	if err != nil {
		return nil, dbError("customer timeline", err)
	}
	return entries, nil
}

func readTimeline(ctx context.Context, tx pgx.Tx, appID string, keys []string, f hookbridge.TimelineFilter) ([]*hookbridge.TimelineEntry, error) {
	ids, err := customerMessageIDs(ctx, tx, appID, keys, f)
	if err != nil || len(ids) == 0 {
		return []*hookbridge.TimelineEntry{}, err
	}
	rows, _ := tx.Query(ctx,
		`SELECT `+messageColumns+` FROM messages WHERE app_id = $1 AND id = ANY ($2)`, appID, ids)
	messages, err := pgx.CollectRows(rows, scanMessage)
	if err != nil {
		return nil, fmt.Errorf("read messages: %w", err)
	}
	rows, _ = tx.Query(ctx, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE message_id = ANY ($2) AND app_id = $1 ORDER BY id DESC`, appID, ids)
	deliveries, err := pgx.CollectRows(rows, scanDelivery)
	if err != nil {
		return nil, fmt.Errorf("read deliveries: %w", err)
	}
	attempts, err := lastAttempts(ctx, tx, deliveries)
	if err != nil {
		return nil, err
	}
	return hookbridge.AssembleTimeline(ids, messages, deliveries, attempts), nil
}

// customerMessageIDs returns the ids of the messages indexed under any of
// keys, newest first, as f pages them.
func customerMessageIDs(ctx context.Context, tx pgx.Tx, appID string, keys []string, f hookbridge.TimelineFilter) ([]string, error) {
	lists := make([][]string, 0, len(keys))
	for _, key := range keys {
		w := where{}
		w.add("app_id = ?", appID)
		w.add("customer_key = ?", cleanText(key))
		w.addIfSet("message_id < ?", f.Before)
		rows, _ := tx.Query(ctx, `SELECT message_id FROM message_customers WHERE `+w.sql()+
			` ORDER BY message_id DESC`+limitClause(f.Limit), w.args...)
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, fmt.Errorf("read customer index: %w", err)
		}
		lists = append(lists, ids)
	}
	return hookbridge.NewestIDs(f.Limit, lists...), nil
}

// lastAttempts reads the newest attempt of each of the deliveries, along
// attempts_by_delivery.
func lastAttempts(ctx context.Context, tx pgx.Tx, deliveries []*hookbridge.Delivery) ([]*hookbridge.Attempt, error) {
	if len(deliveries) == 0 {
		return nil, nil
	}
	ids := make([]string, len(deliveries))
	for i, d := range deliveries {
		ids[i] = d.ID
	}
	rows, _ := tx.Query(ctx, `SELECT DISTINCT ON (delivery_id) `+attemptColumns+` FROM attempts
		WHERE delivery_id = ANY ($1) ORDER BY delivery_id, created_at DESC, id DESC`, ids)
	attempts, err := pgx.CollectRows(rows, scanAttempt)
	if err != nil {
		return nil, fmt.Errorf("read last attempts: %w", err)
	}
	return attempts, nil
}
