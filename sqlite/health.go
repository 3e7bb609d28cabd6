package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hookbridge/hookbridge"
)

// recordConsequences records, within CompleteAttempt's transaction, what an
// outcome says beyond the delivery itself: the endpoint's health (failing
// streak, pause, disabling) and the operational events to queue.
func recordConsequences(ctx context.Context, tx txn, c *hookbridge.Claim, o hookbridge.Outcome) error {
	events := o.Events
	if o.Endpoint != nil {
		disabled, err := recordHealth(ctx, tx, c.Delivery.EndpointID, o.Endpoint)
		if err != nil {
			return fmt.Errorf("record endpoint health: %w", err)
		}
		if disabled != nil {
			events = append(events, *disabled)
		}
	}
	if len(events) == 0 || (c.Endpoint != nil && c.Endpoint.Operational) {
		return nil // the operational endpoint does not report on itself
	}
	return queueOperational(ctx, tx, c.Delivery.AppID, events)
}

// recordHealth applies r to the endpoint and, if that disabled it, returns
// the endpoint.disabled event to queue.
func recordHealth(ctx context.Context, tx txn, endpointID string, r *hookbridge.EndpointReport) (*hookbridge.OperationalEvent, error) {
	at := toMicros(r.At)
	var err error
	switch r.Health {
	case hookbridge.HealthOK:
		_, err = tx.ExecContext(ctx,
			`UPDATE endpoints SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL`, endpointID)
	case hookbridge.HealthFailing:
		_, err = tx.ExecContext(ctx,
			`UPDATE endpoints SET failing_since = ? WHERE id = ? AND failing_since IS NULL`, at, endpointID)
	}
	if err != nil {
		return nil, err
	}
	if !r.PauseUntil.IsZero() {
		res, err := tx.ExecContext(ctx, `UPDATE endpoints SET paused_until = ?1
			WHERE id = ?2 AND (paused_until IS NULL OR paused_until < ?1)`, toMicros(r.PauseUntil), endpointID)
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			tx.endpointsChanged() // a paused endpoint is not handed deliveries
		}
	}
	switch {
	case r.DisableReason != "":
		return disableEndpoint(ctx, tx, endpointID, r.At, r.DisableReason, "")
	case r.Health == hookbridge.HealthFailing && r.DisableAfter > 0:
		reason := fmt.Sprintf("it failed for more than %s without a single success", hookbridge.FormatDuration(r.DisableAfter))
		return disableEndpoint(ctx, tx, endpointID, r.At, reason,
			fmt.Sprintf(" AND failing_since <= %d", at-r.DisableAfter.Microseconds()))
	}
	return nil, nil
}

// disableEndpoint disables an enabled endpoint (if the extra condition
// holds) and returns the event that says so; nil if nothing changed.
func disableEndpoint(ctx context.Context, tx txn, endpointID string, at time.Time, reason, condition string) (*hookbridge.OperationalEvent, error) {
	var (
		d           hookbridge.EndpointDisabledData
		failing     sql.NullInt64
		operational int
	)
	err := tx.QueryRowContext(ctx, `UPDATE endpoints SET disabled = 1, disabled_at = ?, disabled_reason = ?
		WHERE id = ? AND disabled = 0`+condition+`
		RETURNING app_id, id, name, failing_since, operational`,
		toMicros(at), reason, endpointID).Scan(&d.AppID, &d.EndpointID, &d.EndpointName, &failing, &operational)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	tx.endpointsChanged() // a disabled endpoint gets no deliveries
	if operational != 0 {
		return nil, nil
	}
	d.FailingSince = fromNullMicros(failing)
	d.DisabledAt = atMicros(at)
	d.Reason = reason
	ev := hookbridge.EndpointDisabledEvent(d)
	return &ev, nil
}

// queueOperational stores each event as a message of the app, unless one
// with its id exists, with a delivery to each enabled operational endpoint
// of the app. Without such an endpoint nothing is stored.
func queueOperational(ctx context.Context, tx txn, appID string, events []hookbridge.OperationalEvent) error {
	rows, err := tx.QueryContext(ctx,
		`SELECT id FROM endpoints WHERE app_id = ? AND operational = 1 AND disabled = 0 ORDER BY id`, appID)
	ids, err := collect(rows, err, scanString)
	if err != nil || len(ids) == 0 {
		return err
	}
	targets := make([]*hookbridge.Endpoint, len(ids))
	for i, id := range ids {
		targets[i] = &hookbridge.Endpoint{ID: id}
	}
	for _, ev := range events {
		m := ev.Message(appID)
		inserted, err := insertMessage(ctx, tx, m)
		if err != nil {
			return fmt.Errorf("queue %s event: %w", ev.Type, err)
		}
		if inserted {
			if _, err := queueDeliveries(ctx, tx, m, targets, m.CreatedAt); err != nil {
				return fmt.Errorf("queue %s event: %w", ev.Type, err)
			}
		}
	}
	return nil
}
