package sqlite

import (
	"context"
	"fmt"

	"github.com/hookbridge/hookbridge"
)

// CustomerTimeline returns the messages of an app about a customer, newest
// first, with their deliveries and each delivery's last attempt, read in
// one snapshot. Each of the customer's keys is read along its primary key,
// so a page costs the same however many messages the customer has.
func (s *Store) CustomerTimeline(ctx context.Context, appID string, f hookbridge.TimelineFilter) ([]*hookbridge.TimelineEntry, error) {
	keys := hookbridge.CustomerLookupKeys(f.Customer)
	if len(keys) == 0 {
		return []*hookbridge.TimelineEntry{}, nil
	}
	tx, end, err := s.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("customer timeline: %w", err)
	}
	defer end()
	entries, err := readTimeline(ctx, tx, appID, keys, f)
	if err != nil {
		return nil, fmt.Errorf("customer timeline of app %s: %w", appID, err)
	}
	return entries, nil
}

func readTimeline(ctx context.Context, tx txn, appID string, keys []string, f hookbridge.TimelineFilter) ([]*hookbridge.TimelineEntry, error) {
	ids, err := customerMessageIDs(ctx, tx, appID, keys, f)
	if err != nil || len(ids) == 0 {
		return []*hookbridge.TimelineEntry{}, err
	}
	list := jsonList(ids)
	rows, err := tx.QueryContext(ctx,
		`SELECT `+messageColumns+` FROM messages WHERE app_id = ? AND id IN `+idList, appID, list)
	messages, err := collect(rows, err, scanMessage)
	if err != nil {
		return nil, fmt.Errorf("read messages: %w", err)
	}
	rows, err = tx.QueryContext(ctx, deliveriesOfMessagesQuery, list, appID)
	deliveries, err := collect(rows, err, scanDelivery)
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
func customerMessageIDs(ctx context.Context, tx txn, appID string, keys []string, f hookbridge.TimelineFilter) ([]string, error) {
	lists := make([][]string, 0, len(keys))
	for _, key := range keys {
		var c conditions
		c.add("app_id = ?", appID)
		c.add("customer_key = ?", key)
		c.addIfSet("message_id < ?", f.Before)
		rows, err := tx.QueryContext(ctx, `SELECT message_id FROM message_customers`+c.where()+
			` ORDER BY message_id DESC LIMIT ?`, append(c.args, sqlLimit(f.Limit))...)
		ids, err := collect(rows, err, scanString)
		if err != nil {
			return nil, fmt.Errorf("read customer index: %w", err)
		}
		lists = append(lists, ids)
	}
	return hookbridge.NewestIDs(f.Limit, lists...), nil
}

// deliveriesOfMessagesQuery reads the deliveries of an app's messages whose
// ids the JSON array ?1 lists, newest first. CROSS JOIN makes SQLite walk
// the list and probe deliveries_by_message for each id, rather than read
// every delivery of the app.
// Its columns are deliveryColumns, of d.
const deliveriesOfMessagesQuery = `SELECT d.id, d.app_id, d.message_id, d.endpoint_id, d.event_type, d.status,
		d.attempts, d.next_attempt_at, d.last_error, d.created_at, d.updated_at, d.ordering_key
	FROM json_each(?1) AS m
	CROSS JOIN deliveries AS d ON d.app_id = ?2 AND d.message_id = m.value
	ORDER BY d.id DESC`

// lastAttemptsQuery reads the newest attempt of each delivery whose id the
// JSON array ? lists, along attempts_by_delivery.
const lastAttemptsQuery = `SELECT ` + attemptColumns + ` FROM attempts WHERE id IN (
	SELECT (SELECT a.id FROM attempts a WHERE a.delivery_id = d.value ORDER BY a.created_at DESC, a.id DESC LIMIT 1)
	FROM json_each(?) d)`

func lastAttempts(ctx context.Context, tx txn, deliveries []*hookbridge.Delivery) ([]*hookbridge.Attempt, error) {
	if len(deliveries) == 0 {
		return nil, nil
	}
	ids := make([]string, len(deliveries))
	for i, d := range deliveries {
		ids[i] = d.ID
	}
	rows, err := tx.QueryContext(ctx, lastAttemptsQuery, jsonList(ids))
	attempts, err := collect(rows, err, scanAttempt)
	if err != nil {
		return nil, fmt.Errorf("read last attempts: %w", err)
	}
	return attempts, nil
}
