package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hookbridge/hookbridge"
)

const messageColumns = `id, app_id, event_type, event_id, source_id, payload, created_at`

// CreateMessage stores m and one pending delivery, due at m.CreatedAt, for
// every enabled endpoint of its app that accepts its event type, in one
// transaction, and returns the deliveries. If the app already holds a
// message with m's EventID nothing is written and the stored message is
// returned with Created false. An empty EventID is taken to be the
// message id.
func (s *Store) CreateMessage(ctx context.Context, msg *hookbridge.Message) (hookbridge.Ingested, error) {
	m := msg
	if m.EventID == "" {
		withID := *msg
		withID.EventID = msg.ID
		m = &withID
	}
	kept := *m
	kept.CreatedAt = atMicros(m.CreatedAt)
	// Read before the transaction, so the single writer does not wait on it.
	customerKeys := hookbridge.CustomerKeys(m.Payload)
	var in hookbridge.Ingested
	err := s.inWriteTx(ctx, func(tx txn) error {
		in = hookbridge.Ingested{} // a transaction run again starts afresh
		inserted, err := insertMessage(ctx, tx, m)
		if err != nil {
			return err
		}
		if !inserted {
			in.Message, err = messageByEventID(ctx, tx, m.AppID, m.EventID)
			return err
		}
		if err := indexCustomers(ctx, tx, m, customerKeys); err != nil {
			return err
		}
		// Kept for the claims from within the transaction, so that none
		// comes between its commit and the keeping. Should it be rolled
		// back, no delivery names the message.
		s.recent.add(&kept)
		if in.Queued, err = fanOut(ctx, tx, m); err != nil {
			return err
		}
		in.Message, in.Created = &kept, true
		return nil
	})
	if err != nil {
		return hookbridge.Ingested{}, fmt.Errorf("create message %s: %w", m.ID, err)
	}
	return in, nil
}

// insertMessage inserts m unless its event id is taken, and reports
// whether it did.
func insertMessage(ctx context.Context, tx txn, m *hookbridge.Message) (bool, error) {
	res, err := tx.ExecContext(ctx,
		`INSERT INTO messages (`+messageColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (app_id, event_id) DO NOTHING`,
		m.ID, m.AppID, m.EventType, m.EventID, m.SourceID, string(m.Payload), toMicros(m.CreatedAt))
	if isUniqueViolation(err) {
		return false, hookbridge.ErrConflict
	}
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// indexCustomers files m under its customer keys (CustomerKeys of its
// payload, at most two), in one statement.
func indexCustomers(ctx context.Context, tx txn, m *hookbridge.Message, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	query := indexOneCustomer
	if len(keys) == 2 {
		query = indexTwoCustomers
	}
	args := make([]any, 0, 4*len(keys))
	for _, key := range keys {
		args = append(args, m.AppID, key, m.ID, toMicros(m.CreatedAt))
	}
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("index customer of message: %w", err)
	}
	return nil
}

// The statements of indexCustomers: a message names at most two keys.
const (
	indexOneCustomer  = `INSERT INTO message_customers (app_id, customer_key, message_id, created_at) VALUES (?, ?, ?, ?)`
	indexTwoCustomers = indexOneCustomer + `, (?, ?, ?, ?)`
)

func messageByEventID(ctx context.Context, tx txn, appID, eventID string) (*hookbridge.Message, error) {
	m, err := scanMessage(tx.QueryRowContext(ctx,
		`SELECT `+messageColumns+` FROM messages WHERE app_id = ? AND event_id = ?`, appID, eventID))
	if err != nil {
		return nil, fmt.Errorf("find message by event id: %w", err)
	}
	return m, nil
}

// fanOut queues a delivery of m to each enabled endpoint of its app that
// accepts its type, and returns them. Matching is done in Go with
// Endpoint.Accepts, so that one rule decides it everywhere.
func fanOut(ctx context.Context, tx txn, m *hookbridge.Message) ([]*hookbridge.Delivery, error) {
	targets, err := acceptingEndpoints(ctx, tx, m)
	if err != nil || len(targets) == 0 {
		return nil, err
	}
	return queueDeliveries(ctx, tx, m, targets, m.CreatedAt)
}

// queueDeliveries inserts a pending delivery of m, due at due, to each of
// the endpoints, with the ordering key each endpoint takes from m, and
// returns them.
func queueDeliveries(ctx context.Context, tx txn, m *hookbridge.Message, targets []*hookbridge.Endpoint, due time.Time) ([]*hookbridge.Delivery, error) {
	insert, err := tx.PrepareContext(ctx, `INSERT INTO deliveries
		(id, app_id, message_id, endpoint_id, event_type, status, attempts, next_attempt_at, last_error,
			created_at, updated_at, ordering_key)
		VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, '', ?, ?, ?)`)
	if err != nil {
		return nil, fmt.Errorf("prepare delivery insert: %w", err)
	}
	defer insert.Close()
	at := toMicros(m.CreatedAt)
	queued := make([]*hookbridge.Delivery, 0, len(targets))
	for _, e := range targets {
		d := &hookbridge.Delivery{ID: hookbridge.NewID("dlv"), AppID: m.AppID, MessageID: m.ID, EndpointID: e.ID,
			EventType: m.EventType, Status: hookbridge.DeliveryPending, NextAttemptAt: atMicros(due),
			OrderingKey: e.OrderingKey(m.Payload), CreatedAt: atMicros(m.CreatedAt), UpdatedAt: atMicros(m.CreatedAt)}
		_, err := insert.ExecContext(ctx, d.ID, d.AppID, d.MessageID, d.EndpointID, d.EventType,
			toMicros(due), at, at, d.OrderingKey)
		if err != nil {
			return nil, fmt.Errorf("queue delivery to %s: %w", e.ID, err)
		}
		queued = append(queued, d)
	}
	return queued, nil
}

// acceptingEndpoints returns the enabled, ordinary (not operational)
// endpoints of m's app that accept its event type, with what ordering
// needs; in the writer, from its fan-out cache when it can.
func acceptingEndpoints(ctx context.Context, tx txn, m *hookbridge.Message) ([]*hookbridge.Endpoint, error) {
	var (
		all        []*hookbridge.Endpoint
		generation uint64
		kept       bool
	)
	if tx.fanOut != nil {
		all, generation, kept = tx.fanOut.get(m.AppID)
	}
	if !kept {
		var err error
		if all, err = readFanOutEndpoints(ctx, tx, m.AppID); err != nil {
			return nil, err
		}
		if tx.fanOut != nil {
			tx.fanOut.put(m.AppID, generation, all)
		}
	}
	var targets []*hookbridge.Endpoint
	for _, e := range all {
		if e.Accepts(m.EventType) {
			targets = append(targets, e)
		}
	}
	return targets, nil
}

// GetMessage finds a message of an app.
func (s *Store) GetMessage(ctx context.Context, appID, id string) (*hookbridge.Message, error) {
	m, err := scanMessage(s.read.QueryRowContext(ctx,
		`SELECT `+messageColumns+` FROM messages WHERE app_id = ? AND id = ?`, appID, id))
	if err != nil {
		return nil, fmt.Errorf("get message %s: %w", id, notFound(err))
	}
	return m, nil
}

// ListMessages returns the messages of an app that pass f, newest (highest
// id) first. Since is inclusive, Until exclusive; Search matches a literal
// substring of the payload, case-sensitively.
func (s *Store) ListMessages(ctx context.Context, appID string, f hookbridge.MessageFilter) ([]*hookbridge.Message, error) {
	var c conditions
	c.add("app_id = ?", appID)
	c.addIfSet("event_type = ?", f.EventType)
	c.addIfSet("source_id = ?", f.SourceID)
	c.addIfSet("instr(payload, ?) > 0", f.Search)
	addTimeRange(&c, "created_at", f.Since, f.Until)
	c.addIfSet("id < ?", f.Before)
	rows, err := s.read.QueryContext(ctx,
		`SELECT `+messageColumns+` FROM messages`+c.where()+` ORDER BY id DESC LIMIT ?`,
		append(c.args, sqlLimit(f.Limit))...)
	messages, err := collect(rows, err, scanMessage)
	if err != nil {
		return nil, fmt.Errorf("list messages of app %s: %w", appID, err)
	}
	return messages, nil
}

// addTimeRange selects rows whose column lies in [since, until); a zero
// bound does not filter.
func addTimeRange(c *conditions, column string, since, until time.Time) {
	if !since.IsZero() {
		c.add(column+" >= ?", toMicros(since))
	}
	if !until.IsZero() {
		c.add(column+" < ?", toMicros(until))
	}
}

func scanMessage(row scanner) (*hookbridge.Message, error) {
	var (
		m       hookbridge.Message
		payload string
		created int64
	)
	if err := row.Scan(&m.ID, &m.AppID, &m.EventType, &m.EventID, &m.SourceID, &payload, &created); err != nil {
		return nil, err
	}
	m.Payload = json.RawMessage(payload)
	m.CreatedAt = fromMicros(created)
	return &m, nil
}

// messagesByID loads messages by id, within tx.
func messagesByID(ctx context.Context, tx txn, ids []string) ([]*hookbridge.Message, error) {
	rows, err := tx.QueryContext(ctx,
		`SELECT `+messageColumns+` FROM messages WHERE id IN `+idList, jsonList(ids))
	messages, err := collect(rows, err, scanMessage)
	if err != nil {
		return nil, fmt.Errorf("load messages: %w", err)
	}
	return messages, nil
}
