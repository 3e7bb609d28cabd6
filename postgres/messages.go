package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
)

// messageColumns are the columns scanMessage reads, in order.
const messageColumns = `id, app_id, event_type, event_id, source_id, payload, created_at`

// CreateMessage stores m and, atomically with it, one pending delivery
// (due at m.CreatedAt) for every enabled endpoint of the app that accepts
// its event type, and wakes the workers waiting in WaitForWork. If the app
// already holds a message with the same EventID, nothing is written and the
// stored message is returned with created false. An empty EventID is taken
// to be the message id.
//
// Messages that concurrent calls bring at once are stored together
// (newIngestGroup). Storing takes two round trips, not a transaction of
// several: the apps' endpoints are read first, for the ordering key each
// takes from the payload, and then one statement inserts the messages and
// the deliveries, checking the endpoints again (createMessagesQuery).
func (s *Store) CreateMessage(ctx context.Context, m *hookbridge.Message) (hookbridge.Ingested, error) {
	msg := *m
	msg.CreatedAt = utc(m.CreatedAt)
	msg.EventID = cmp.Or(msg.EventID, msg.ID)
	r := s.ingest.Do(ctx, &msg)
	if r.err != nil {
		return hookbridge.Ingested{}, dbError("create message", r.err)
	}
	if r.created {
		return hookbridge.Ingested{Message: &msg, Created: true, Queued: r.queued}, nil
	}
	stored, err := messageByEventID(ctx, s.pool, msg.AppID, msg.EventID)
	if err != nil {
		return hookbridge.Ingested{}, dbError("create message: read the stored one", err)
	}
	return hookbridge.Ingested{Message: stored}, nil
}

// customerKeys returns the keys m is indexed under, cleaned as stored text
// is (see cleanText).
func customerKeys(m *hookbridge.Message) []string {
	keys := hookbridge.CustomerKeys(m.Payload)
	for i, k := range keys {
		keys[i] = cleanText(k)
	}
	return slices.Compact(keys)
}

// insertMessage inserts m unless its app already holds its event id, and
// reports whether it did.
func insertMessage(ctx context.Context, tx pgx.Tx, m *hookbridge.Message) (bool, error) {
	tag, err := tx.Exec(ctx, `
		INSERT INTO messages (id, app_id, event_type, event_id, source_id, payload, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT ON CONSTRAINT messages_event_id_unique DO NOTHING`,
		m.ID, m.AppID, m.EventType, m.EventID, m.SourceID, payloadBytes(m.Payload), m.CreatedAt)
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() == 1, nil
}

// payloadBytes returns the payload to store: its bytes, or none for nil
// (payload is NOT NULL).
func payloadBytes(p json.RawMessage) []byte {
	if p == nil {
		return []byte{}
	}
	return p
}

func messageByEventID(ctx context.Context, q querier, appID, eventID string) (*hookbridge.Message, error) {
	rows, _ := q.Query(ctx,
		`SELECT `+messageColumns+` FROM messages WHERE app_id = $1 AND event_id = $2`, appID, eventID)
	return pgx.CollectExactlyOneRow(rows, scanMessage)
}

// newDeliveries returns a pending delivery of m, due at due, to each of
// targets, with a new id and the ordering key the endpoint takes from m.
func newDeliveries(m *hookbridge.Message, targets []*hookbridge.Endpoint, due time.Time) []*hookbridge.Delivery {
	ds := make([]*hookbridge.Delivery, len(targets))
	for i, e := range targets {
		ds[i] = &hookbridge.Delivery{ID: hookbridge.NewID(deliveryIDPrefix), AppID: m.AppID, MessageID: m.ID,
			EndpointID: e.ID, EventType: m.EventType, Status: hookbridge.DeliveryPending, NextAttemptAt: due,
			OrderingKey: cleanText(e.OrderingKey(m.Payload)), CreatedAt: m.CreatedAt, UpdatedAt: m.CreatedAt}
	}
	return ds
}

// deliveryArrays returns the ids, endpoint ids, ordering keys and message
// ids of ds: the arrays the statements that queue deliveries unnest.
func deliveryArrays(ds []*hookbridge.Delivery) (ids, endpointIDs, keys, messageIDs []string) {
	for _, d := range ds {
		ids, endpointIDs = append(ids, d.ID), append(endpointIDs, d.EndpointID)
		keys, messageIDs = append(keys, d.OrderingKey), append(messageIDs, d.MessageID)
	}
	return ids, endpointIDs, keys, messageIDs
}

// insertDeliveries queues a pending delivery of m, due at due, to each of
// the endpoints, with the ordering key each takes from m, and wakes the
// workers.
func insertDeliveries(ctx context.Context, tx pgx.Tx, m *hookbridge.Message, targets []*hookbridge.Endpoint, due time.Time) error {
	deliveryIDs, endpointIDs, keys, _ := deliveryArrays(newDeliveries(m, targets, due))
	_, err := tx.Exec(ctx, `
		INSERT INTO deliveries (id, app_id, message_id, endpoint_id, event_type, status,
			attempts, next_attempt_at, last_error, created_at, updated_at, ordering_key)
		SELECT d.id, $4, $5, d.endpoint_id, $6, 'pending', 0, $8, '', $7, $7, d.ordering_key
		FROM unnest($1::text[], $2::text[], $3::text[]) AS d (id, endpoint_id, ordering_key)`,
		deliveryIDs, endpointIDs, keys, m.AppID, m.ID, m.EventType, utc(m.CreatedAt), utc(due))
	if err != nil {
		return err
	}
	return notifyWork(ctx, tx)
}

// GetMessage finds a message of an app.
func (s *Store) GetMessage(ctx context.Context, appID, id string) (*hookbridge.Message, error) {
	return queryOne(ctx, s.pool, "get message", scanMessage,
		`SELECT `+messageColumns+` FROM messages WHERE app_id = $1 AND id = $2`, appID, id)
}

// ListMessages returns the messages of an app that pass f, newest first.
// Search matches a substring of the payload's bytes, case-sensitively.
func (s *Store) ListMessages(ctx context.Context, appID string, f hookbridge.MessageFilter) ([]*hookbridge.Message, error) {
	w := where{}
	w.add("app_id = ?", appID)
	w.addIfSet("event_type = ?", f.EventType)
	w.addIfSet("source_id = ?", f.SourceID)
	if f.Search != "" {
		w.add("position(?::bytea IN payload) > 0", []byte(f.Search))
	}
	w.addTimeRange("created_at", f.Since, f.Until)
	w.addIfSet("id < ?", f.Before)
	query := `SELECT ` + messageColumns + ` FROM messages WHERE ` + w.sql() + ` ORDER BY id DESC` + limitClause(f.Limit)
	return queryAll(ctx, s.pool, "list messages", scanMessage, query, w.args...)
}

func scanMessage(row pgx.CollectableRow) (*hookbridge.Message, error) {
	var (
		m       hookbridge.Message
		payload []byte
	)
	err := row.Scan(&m.ID, &m.AppID, &m.EventType, &m.EventID, &m.SourceID, &payload, &m.CreatedAt)
	m.Payload = json.RawMessage(payload)
	return &m, err
}

// where builds the condition of a listing query. Each condition is written
// with one "?" for its argument, which add turns into the next $n.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, arg any) {
	w.args = append(w.args, arg)
	w.conds = append(w.conds, strings.Replace(cond, "?", fmt.Sprintf("$%d", len(w.args)), 1))
}

// addIfSet adds cond with value as its argument, unless value is empty.
func (w *where) addIfSet(cond, value string) {
	if value != "" {
		w.add(cond, value)
	}
}

// addTimeRange keeps rows with column in [since, until); zero ends are
// open.
func (w *where) addTimeRange(column string, since, until time.Time) {
	if !since.IsZero() {
		w.add(column+" >= ?", utc(since))
	}
	if !until.IsZero() {
		w.add(column+" < ?", utc(until))
	}
}

func (w *where) sql() string { return strings.Join(w.conds, " AND ") }

// limitClause returns a LIMIT clause for n, or none if n is not positive.
func limitClause(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf(" LIMIT %d", n)
}
