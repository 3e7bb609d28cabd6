package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
)

// recordConsequences records, within CompleteAttempt's transaction, what an
// outcome says beyond the delivery itself: the endpoint's health (failing
// streak, pause, disabling) and the operational events to queue.
func recordConsequences(ctx context.Context, tx pgx.Tx, c *hookbridge.Claim, o hookbridge.Outcome) error {
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
// the endpoint.disabled event to queue. Statements that would change
// nothing touch no row, so a healthy endpoint's row is not locked.
func recordHealth(ctx context.Context, tx pgx.Tx, endpointID string, r *hookbridge.EndpointReport) (*hookbridge.OperationalEvent, error) {
	at := utc(r.At)
	var err error
	switch r.Health {
	case hookbridge.HealthOK:
		_, err = tx.Exec(ctx,
			`UPDATE endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`, endpointID)
	case hookbridge.HealthFailing:
		_, err = tx.Exec(ctx,
			`UPDATE endpoints SET failing_since = $2 WHERE id = $1 AND failing_since IS NULL`, endpointID, at)
	}
	if err != nil {
		return nil, err
	}
	if !r.PauseUntil.IsZero() {
		_, err = tx.Exec(ctx, `UPDATE endpoints SET paused_until = $2
			WHERE id = $1 AND (paused_until IS NULL OR paused_until < $2)`, endpointID, utc(r.PauseUntil))
		if err != nil {
			return nil, err
		}
	}
	switch {
	case r.DisableReason != "":
		return disableEndpoint(ctx, tx, endpointID, at, r.DisableReason, time.Time{})
	case r.Health == hookbridge.HealthFailing && r.DisableAfter > 0:
		reason := fmt.Sprintf("it failed for more than %s without a single success", hookbridge.FormatDuration(r.DisableAfter))
		return disableEndpoint(ctx, tx, endpointID, at, reason, at.Add(-r.DisableAfter))
	}
	return nil, nil
}

// disableEndpoint disables an enabled endpoint — if failingBefore is set,
// only one failing since then or earlier — and returns the event that says
// so; nil if nothing changed.
func disableEndpoint(ctx context.Context, tx pgx.Tx, endpointID string, at time.Time, reason string, failingBefore time.Time) (*hookbridge.OperationalEvent, error) {
	var (
		d           hookbridge.EndpointDisabledData
		operational bool
		cutoff      *time.Time
	)
	if !failingBefore.IsZero() {
		cutoff = &failingBefore
	}
	err := tx.QueryRow(ctx, `
		UPDATE endpoints SET disabled = true, disabled_at = $2, disabled_reason = $3
		WHERE id = $1 AND NOT disabled
			AND ($4::timestamptz IS NULL OR failing_since <= $4::timestamptz)
		RETURNING app_id, id, name, failing_since, operational`,
		endpointID, at, cleanText(reason), cutoff,
	).Scan(&d.AppID, &d.EndpointID, &d.EndpointName, &d.FailingSince, &operational)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && operational) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	d.DisabledAt, d.Reason = at, reason
	ev := hookbridge.EndpointDisabledEvent(d)
	return &ev, nil
}

// queueOperational stores each event as a message of the app, unless one
// with its id exists, with a delivery to each enabled operational endpoint
// of the app. Without such an endpoint nothing is stored.
func queueOperational(ctx context.Context, tx pgx.Tx, appID string, events []hookbridge.OperationalEvent) error {
	rows, _ := tx.Query(ctx, `
		SELECT id FROM endpoints WHERE app_id = $1 AND operational AND NOT disabled
		ORDER BY id FOR KEY SHARE`, appID)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
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
			if err := insertDeliveries(ctx, tx, m, targets, m.CreatedAt); err != nil {
				return fmt.Errorf("queue %s event: %w", ev.Type, err)
			}
		}
	}
	return nil
}
