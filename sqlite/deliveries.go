package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hookbridge/hookbridge"
)

const deliveryColumns = `id, app_id, message_id, endpoint_id, event_type, status, attempts,
	next_attempt_at, last_error, created_at, updated_at, ordering_key`

// GetDelivery finds a delivery of an app.
func (s *Store) GetDelivery(ctx context.Context, appID, id string) (*hookbridge.Delivery, error) {
	d, err := scanDelivery(s.read.QueryRowContext(ctx,
		`SELECT `+deliveryColumns+` FROM deliveries WHERE app_id = ? AND id = ?`, appID, id))
	if err != nil {
		return nil, fmt.Errorf("get delivery %s: %w", id, notFound(err))
	}
	return d, nil
}

// ListDeliveries returns the deliveries of an app that pass f, newest
// (highest id) first. Since is inclusive and Until exclusive, on the
// creation time.
func (s *Store) ListDeliveries(ctx context.Context, appID string, f hookbridge.DeliveryFilter) ([]*hookbridge.Delivery, error) {
	var c conditions
	c.add("app_id = ?", appID)
	c.addIfSet("endpoint_id = ?", f.EndpointID)
	c.addIfSet("message_id = ?", f.MessageID)
	c.addIfSet("status = ?", string(f.Status))
	c.addIfSet("event_type = ?", f.EventType)
	addTimeRange(&c, "created_at", f.Since, f.Until)
	c.addIfSet("id < ?", f.Before)
	rows, err := s.read.QueryContext(ctx,
		`SELECT `+deliveryColumns+` FROM deliveries`+c.where()+` ORDER BY id DESC LIMIT ?`,
		append(c.args, sqlLimit(f.Limit))...)
	deliveries, err := collect(rows, err, scanDelivery)
	if err != nil {
		return nil, fmt.Errorf("list deliveries of app %s: %w", appID, err)
	}
	return deliveries, nil
}

const attemptColumns = `id, delivery_id, request_method, request_url, request_headers, request_body,
	response_status, response_headers, response_body, duration_ns, error, created_at,
	batch_size, batch_index, warnings, transformation_version`

// ListAttempts returns the attempts of a delivery of an app, oldest first;
// ErrNotFound if the app has no such delivery.
func (s *Store) ListAttempts(ctx context.Context, appID, deliveryID string) ([]*hookbridge.Attempt, error) {
	// One read transaction, so the delivery and its attempts are one snapshot.
	tx, end, err := s.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("list attempts of delivery %s: %w", deliveryID, err)
	}
	defer end()
	var exists int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM deliveries WHERE app_id = ? AND id = ?`, appID, deliveryID).Scan(&exists)
	if err != nil {
		return nil, fmt.Errorf("list attempts of delivery %s: %w", deliveryID, notFound(err))
	}
	rows, err := tx.QueryContext(ctx,
		`SELECT `+attemptColumns+` FROM attempts WHERE delivery_id = ? ORDER BY created_at, id`, deliveryID)
	attempts, err := collect(rows, err, scanAttempt)
	if err != nil {
		return nil, fmt.Errorf("list attempts of delivery %s: %w", deliveryID, err)
	}
	return attempts, nil
}

// CreateDelivery queues one more delivery of a message of d's app (a
// resend) to an endpoint of the same app. An empty ID, Status, or zero time
// is filled in (a new id, pending, now), the ordering key is set from the
// endpoint, and d is updated; ErrNotFound if the app has no such message or
// endpoint.
func (s *Store) CreateDelivery(ctx context.Context, d *hookbridge.Delivery) error {
	d.FillNew(time.Now())
	err := s.inWriteTx(ctx, func(tx txn) error {
		m, err := scanMessage(tx.QueryRowContext(ctx,
			`SELECT `+messageColumns+` FROM messages WHERE app_id = ? AND id = ?`, d.AppID, d.MessageID))
		if err != nil {
			return fmt.Errorf("message %s: %w", d.MessageID, notFound(err))
		}
		e, err := s.scanEndpoint(tx.QueryRowContext(ctx,
			`SELECT `+endpointColumns+` FROM endpoints WHERE app_id = ? AND id = ?`, d.AppID, d.EndpointID))
		if err != nil {
			return fmt.Errorf("endpoint %s: %w", d.EndpointID, notFound(err))
		}
		d.EventType = cmp.Or(d.EventType, m.EventType)
		d.OrderingKey = e.OrderingKey(m.Payload)
		_, err = tx.ExecContext(ctx, `INSERT INTO deliveries (`+deliveryColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.ID, d.AppID, d.MessageID, d.EndpointID, d.EventType, string(d.Status), d.Attempts,
			toMicros(d.NextAttemptAt), d.LastError, toMicros(d.CreatedAt), toMicros(d.UpdatedAt), d.OrderingKey)
		return err
	})
	if isUniqueViolation(err) {
		return fmt.Errorf("create delivery %s: %w", d.ID, hookbridge.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create delivery %s of message %s: %w", d.ID, d.MessageID, err)
	}
	return nil
}

// RetryDelivery makes a finished delivery pending again, due at now, and
// returns it. A delivery that is still pending is returned unchanged.
func (s *Store) RetryDelivery(ctx context.Context, appID, id string, now time.Time) (*hookbridge.Delivery, error) {
	var d *hookbridge.Delivery
	err := s.inWriteTx(ctx, func(tx txn) error {
		var err error
		d, err = scanDelivery(tx.QueryRowContext(ctx, `UPDATE deliveries
			SET status = 'pending', next_attempt_at = ?, lease_id = NULL, lease_expires_at = NULL, updated_at = ?
			WHERE app_id = ? AND id = ? AND status <> 'pending'
			RETURNING `+deliveryColumns,
			toMicros(now), toMicros(time.Now()), appID, id))
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		d, err = scanDelivery(tx.QueryRowContext(ctx,
			`SELECT `+deliveryColumns+` FROM deliveries WHERE app_id = ? AND id = ?`, appID, id))
		return notFound(err)
	})
	if err != nil {
		return nil, fmt.Errorf("retry delivery %s: %w", id, err)
	}
	return d, nil
}

// RecoverDeliveries makes every failed delivery of an endpoint of an app
// created in [since, until) pending again, due at now, and says how many.
func (s *Store) RecoverDeliveries(ctx context.Context, appID, endpointID string, since, until, now time.Time) (int, error) {
	n, err := affected(s.exec(ctx, `UPDATE deliveries
		SET status = 'pending', next_attempt_at = ?, lease_id = NULL, lease_expires_at = NULL, updated_at = ?
		WHERE app_id = ? AND endpoint_id = ? AND status = 'failed' AND created_at >= ? AND created_at < ?`,
		toMicros(now), toMicros(time.Now()), appID, endpointID, toMicros(since), toMicros(until)))
	if err != nil {
		return 0, fmt.Errorf("recover deliveries of endpoint %s: %w", endpointID, err)
	}
	return n, nil
}

func scanDelivery(row scanner) (*hookbridge.Delivery, error) {
	var (
		d                      hookbridge.Delivery
		status                 string
		next, created, updated int64
	)
	err := row.Scan(&d.ID, &d.AppID, &d.MessageID, &d.EndpointID, &d.EventType, &status, &d.Attempts,
		&next, &d.LastError, &created, &updated, &d.OrderingKey)
	if err != nil {
		return nil, err
	}
	d.Status = hookbridge.DeliveryStatus(status)
	d.NextAttemptAt = fromMicros(next)
	d.CreatedAt = fromMicros(created)
	d.UpdatedAt = fromMicros(updated)
	return &d, nil
}

func scanAttempt(row scanner) (*hookbridge.Attempt, error) {
	var (
		a                        hookbridge.Attempt
		reqHeaders, respHeaders  string
		warnings                 string
		durationNanos, createdAt int64
		batchSize, batchIndex    int
	)
	err := row.Scan(&a.ID, &a.DeliveryID, &a.Request.Method, &a.Request.URL, &reqHeaders, &a.Request.Body,
		&a.ResponseStatus, &respHeaders, &a.ResponseBody, &durationNanos, &a.Error, &createdAt,
		&batchSize, &batchIndex, &warnings, &a.TransformationVersion)
	if err != nil {
		return nil, err
	}
	if batchSize > 0 {
		a.Batch = &hookbridge.AttemptBatch{Size: batchSize, Index: batchIndex}
	}
	if a.Request.Headers, err = fromJSON[map[string]string]("request headers", reqHeaders); err != nil {
		return nil, fmt.Errorf("attempt %s: %w", a.ID, err)
	}
	if a.ResponseHeaders, err = fromJSON[map[string]string]("response headers", respHeaders); err != nil {
		return nil, fmt.Errorf("attempt %s: %w", a.ID, err)
	}
	if a.Warnings, err = fromJSON[[]hookbridge.Problem]("warnings", warnings); err != nil {
		return nil, fmt.Errorf("attempt %s: %w", a.ID, err)
	}
	if len(a.Warnings) == 0 {
		a.Warnings = nil
	}
	a.Duration = time.Duration(durationNanos)
	a.CreatedAt = fromMicros(createdAt)
	return &a, nil
}
