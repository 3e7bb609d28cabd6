package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
)

// deliveryIDPrefix starts the id of every delivery.
const deliveryIDPrefix = "dlv"

// deliveryColumns are the columns scanDelivery reads, in order.
const deliveryColumns = `id, app_id, message_id, endpoint_id, event_type, status, attempts,
	next_attempt_at, last_error, created_at, updated_at, ordering_key`

// GetDelivery finds a delivery of an app.
func (s *Store) GetDelivery(ctx context.Context, appID, id string) (*hookbridge.Delivery, error) {
	return queryOne(ctx, s.pool, "get delivery", scanDelivery,
		`SELECT `+deliveryColumns+` FROM deliveries WHERE app_id = $1 AND id = $2`, appID, id)
}

// ListDeliveries returns the deliveries of an app that pass f, newest
// first.
func (s *Store) ListDeliveries(ctx context.Context, appID string, f hookbridge.DeliveryFilter) ([]*hookbridge.Delivery, error) {
	w := where{}
	w.add("app_id = ?", appID)
	w.addIfSet("endpoint_id = ?", f.EndpointID)
	w.addIfSet("message_id = ?", f.MessageID)
	w.addIfSet("status = ?", string(f.Status))
	w.addIfSet("event_type = ?", f.EventType)
	w.addTimeRange("created_at", f.Since, f.Until)
	w.addIfSet("id < ?", f.Before)
	query := `SELECT ` + deliveryColumns + ` FROM deliveries WHERE ` + w.sql() + ` ORDER BY id DESC` + limitClause(f.Limit)
	return queryAll(ctx, s.pool, "list deliveries", scanDelivery, query, w.args...)
}

// ListAttempts returns the attempts of a delivery of an app, oldest first;
// hookbridge.ErrNotFound if the app has no such delivery.
func (s *Store) ListAttempts(ctx context.Context, appID, deliveryID string) ([]*hookbridge.Attempt, error) {
	if err := deliveryExists(ctx, s.pool, appID, deliveryID); err != nil {
		return nil, dbError("list attempts", err)
	}
	return queryAll(ctx, s.pool, "list attempts", scanAttempt, `
		SELECT `+attemptColumns+` FROM attempts
		WHERE delivery_id = $1 ORDER BY created_at, id`, deliveryID)
}

// deliveryExists returns pgx.ErrNoRows unless the app has the delivery.
func deliveryExists(ctx context.Context, q querier, appID, id string) error {
	var one int
	return q.QueryRow(ctx, `SELECT 1 FROM deliveries WHERE app_id = $1 AND id = $2`, appID, id).Scan(&one)
}

// RetryDelivery makes a finished delivery pending again, due at now, wakes
// the workers and returns the delivery. A delivery that is still pending is
// returned unchanged.
func (s *Store) RetryDelivery(ctx context.Context, appID, id string, now time.Time) (*hookbridge.Delivery, error) {
	var d *hookbridge.Delivery
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `
			UPDATE deliveries SET status = 'pending', next_attempt_at = $3,
				lease_id = NULL, lease_expires_at = NULL, updated_at = $3
			WHERE app_id = $1 AND id = $2 AND status <> 'pending'
			RETURNING `+deliveryColumns, appID, id, utc(now))
		var err error
		d, err = pgx.CollectExactlyOneRow(rows, scanDelivery)
		if errors.Is(err, pgx.ErrNoRows) {
			rows, _ := tx.Query(ctx,
				`SELECT `+deliveryColumns+` FROM deliveries WHERE app_id = $1 AND id = $2`, appID, id)
			d, err = pgx.CollectExactlyOneRow(rows, scanDelivery)
			return err
		}
		if err != nil {
			return err
		}
		return notifyWork(ctx, tx)
	})
	if err != nil {
		return nil, dbError("retry delivery", err)
	}
	return d, nil
}

// RecoverDeliveries makes every failed delivery of an endpoint of an app
// created in [since, until) pending again, due at now, and says how many; a
// zero since or until leaves that end open.
func (s *Store) RecoverDeliveries(ctx context.Context, appID, endpointID string, since, until, now time.Time) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		w := where{args: []any{utc(now)}} // $1
		w.add("endpoint_id = ?", endpointID)
		w.add("app_id = ?", appID)
		w.add("status = ?", string(hookbridge.DeliveryFailed))
		w.addTimeRange("created_at", since, until)
		tag, err := tx.Exec(ctx, `
			UPDATE deliveries SET status = 'pending', next_attempt_at = $1,
				lease_id = NULL, lease_expires_at = NULL, updated_at = $1
			WHERE `+w.sql(), w.args...)
		if err != nil {
			return err
		}
		if n = tag.RowsAffected(); n > 0 {
			return notifyWork(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return 0, dbError("recover deliveries", err)
	}
	return int(n), nil
}

// CreateDelivery queues one more delivery of a message of d.AppID to an
// endpoint of the same app (a resend); hookbridge.ErrNotFound if either is
// missing. Missing fields are filled in d: the id, status pending, the
// creation time (now), the due time (the creation time) and the event type
// (the message's).
func (s *Store) CreateDelivery(ctx context.Context, d *hookbridge.Delivery) error {
	d.FillNew(time.Now())
	d.CreatedAt, d.UpdatedAt, d.NextAttemptAt = utc(d.CreatedAt), utc(d.UpdatedAt), utc(d.NextAttemptAt)
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		key, err := s.orderingKeyOf(ctx, tx, d)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO deliveries (id, app_id, message_id, endpoint_id, event_type, status,
				attempts, next_attempt_at, last_error, created_at, updated_at, ordering_key)
			SELECT $1, m.app_id, m.id, e.id, COALESCE(NULLIF($5, ''), m.event_type), $6,
				$7, $8, $9, $10, $11, $12
			FROM messages m, endpoints e
			WHERE m.app_id = $2 AND m.id = $3 AND e.app_id = $2 AND e.id = $4
			RETURNING event_type, ordering_key`,
			d.ID, d.AppID, d.MessageID, d.EndpointID, d.EventType, string(d.Status),
			d.Attempts, d.NextAttemptAt, cleanText(d.LastError), d.CreatedAt, d.UpdatedAt, key,
		).Scan(&d.EventType, &d.OrderingKey)
		if err != nil || d.Status != hookbridge.DeliveryPending {
			return err
		}
		return notifyWork(ctx, tx)
	})
	if err != nil {
		return dbError("create delivery", err)
	}
	return nil
}

// orderingKeyOf returns the ordering key the endpoint of d takes from its
// message; "" if either is missing (the insert then finds nothing).
func (s *Store) orderingKeyOf(ctx context.Context, tx pgx.Tx, d *hookbridge.Delivery) (string, error) {
	var (
		ordering hookbridge.Ordering
		payload  []byte
	)
	err := tx.QueryRow(ctx, `
		SELECT e.ordering_enabled, e.ordering_key_path, m.payload
		FROM messages m, endpoints e
		WHERE m.app_id = $1 AND m.id = $2 AND e.app_id = $1 AND e.id = $3`,
		d.AppID, d.MessageID, d.EndpointID).Scan(&ordering.Enabled, &ordering.KeyPath, &payload)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	e := hookbridge.Endpoint{Ordering: ordering}
	return cleanText(e.OrderingKey(payload)), err
}

func scanDelivery(row pgx.CollectableRow) (*hookbridge.Delivery, error) {
	var d hookbridge.Delivery
	err := row.Scan(&d.ID, &d.AppID, &d.MessageID, &d.EndpointID, &d.EventType, &d.Status,
		&d.Attempts, &d.NextAttemptAt, &d.LastError, &d.CreatedAt, &d.UpdatedAt, &d.OrderingKey)
	return &d, err
}

// attemptColumns are the columns scanAttempt reads, in order.
const attemptColumns = `id, delivery_id, request_method, request_url, request_headers, request_body,
	response_status, response_headers, response_body, duration_ns, error, created_at,
	batch_size, batch_index, warnings, transformation_version`

// insertAttempt records a, whose DeliveryID must be set.
func insertAttempt(ctx context.Context, q querier, a *hookbridge.Attempt) error {
	values, err := attemptValues(a)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx, `
		INSERT INTO attempts (`+attemptColumns+`, endpoint_id)
		SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, endpoint_id
		FROM deliveries WHERE id = $2`, values...)
	return err
}

// attemptValues are the values of a's attemptColumns, in order.
func attemptValues(a *hookbridge.Attempt) ([]any, error) {
	reqHeaders, err := json.Marshal(a.Request.Headers)
	if err != nil {
		return nil, fmt.Errorf("encode request headers: %w", err)
	}
	respHeaders, err := json.Marshal(a.ResponseHeaders)
	if err != nil {
		return nil, fmt.Errorf("encode response headers: %w", err)
	}
	var batchSize, batchIndex int
	if a.Batch != nil {
		batchSize, batchIndex = a.Batch.Size, a.Batch.Index
	}
	warnings := []byte("[]")
	if len(a.Warnings) > 0 {
		if warnings, err = json.Marshal(a.Warnings); err != nil {
			return nil, fmt.Errorf("encode warnings: %w", err)
		}
	}
	return []any{a.ID, a.DeliveryID, cleanText(a.Request.Method), cleanText(a.Request.URL), string(reqHeaders),
		[]byte(a.Request.Body), a.ResponseStatus, string(respHeaders), []byte(a.ResponseBody),
		int64(a.Duration), cleanText(a.Error), utc(a.CreatedAt), batchSize, batchIndex, string(warnings),
		a.TransformationVersion}, nil
}

func scanAttempt(row pgx.CollectableRow) (*hookbridge.Attempt, error) {
	var (
		a                       hookbridge.Attempt
		reqHeaders, respHeaders string
		reqBody, respBody       []byte
		durationNanos           int64
		warnings                string
	)
	var batchSize, batchIndex int
	err := row.Scan(&a.ID, &a.DeliveryID, &a.Request.Method, &a.Request.URL, &reqHeaders, &reqBody,
		&a.ResponseStatus, &respHeaders, &respBody, &durationNanos, &a.Error, &a.CreatedAt,
		&batchSize, &batchIndex, &warnings, &a.TransformationVersion)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(warnings), &a.Warnings); err != nil {
		return nil, fmt.Errorf("attempt %s: decode warnings: %w", a.ID, err)
	}
	if len(a.Warnings) == 0 {
		a.Warnings = nil
	}
	if batchSize > 0 {
		a.Batch = &hookbridge.AttemptBatch{Size: batchSize, Index: batchIndex}
	}
	a.Request.Body, a.ResponseBody = string(reqBody), string(respBody)
	a.Duration = time.Duration(durationNanos)
	if err := json.Unmarshal([]byte(reqHeaders), &a.Request.Headers); err != nil {
		return nil, fmt.Errorf("attempt %s request headers: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(respHeaders), &a.ResponseHeaders); err != nil {
		return nil, fmt.Errorf("attempt %s response headers: %w", a.ID, err)
	}
	return &a, nil
}

// cleanText makes s storable in a text column, which refuses NUL bytes and
// invalid UTF-8: those become U+FFFD. Errors and URLs come from the outside
// world, and failing to record an attempt because of one odd byte would
// send the delivery again and again.
func cleanText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}
