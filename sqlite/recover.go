package sqlite

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
)

// missedCondition selects, for the endpoint e, the messages m of its app
// created in [?3, ?4) that it accepts but has no delivery of: those it
// missed while disabled. Messages older than the endpoint and operational
// events are not missed. ?1 is the app, ?2 the endpoint.
const missedCondition = `e.app_id = ?1 AND e.id = ?2 AND e.operational = 0
	AND m.app_id = ?1 AND m.created_at >= max(?3, e.created_at) AND m.created_at < ?4
	AND m.source_id <> '` + hookbridge.OperationalSourceID + `'
	AND (e.event_types = '[]' OR m.event_type IN (SELECT value FROM json_each(e.event_types)))
	AND NOT EXISTS (SELECT 1 FROM deliveries d
		WHERE d.app_id = ?1 AND d.message_id = m.id AND d.endpoint_id = e.id)`

// CountRecoverable says how many failed deliveries of an endpoint, and how
// many messages it missed, were created in [since, until).
func (s *Store) CountRecoverable(ctx context.Context, appID, endpointID string, since, until time.Time) (hookbridge.Recoverable, error) {
	var r hookbridge.Recoverable
	if _, err := s.GetEndpoint(ctx, appID, endpointID); err != nil {
		return r, fmt.Errorf("count recoverable: %w", err)
	}
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM deliveries
		WHERE app_id = ? AND endpoint_id = ? AND status = 'failed' AND created_at >= ? AND created_at < ?`,
		appID, endpointID, toMicros(since), toMicros(until)).Scan(&r.Failed)
	if err != nil {
		return r, fmt.Errorf("count failed deliveries of endpoint %s: %w", endpointID, err)
	}
	err = s.read.QueryRowContext(ctx, `SELECT count(*) FROM messages m, endpoints e WHERE `+missedCondition,
		appID, endpointID, toMicros(since), toMicros(until)).Scan(&r.Missed)
	if err != nil {
		return r, fmt.Errorf("count messages endpoint %s missed: %w", endpointID, err)
	}
	return r, nil
}

// backfillPage is how many missed messages one transaction queues.
const backfillPage = 500

// BackfillDeliveries queues, due at now, a delivery of every message the
// endpoint missed in [since, until) (see missedCondition), a page per
// transaction so that deliveries keep flowing meanwhile.
func (s *Store) BackfillDeliveries(ctx context.Context, appID, endpointID string, since, until, now time.Time) (int, error) {
	e, err := s.GetEndpoint(ctx, appID, endpointID)
	if err != nil {
		return 0, fmt.Errorf("backfill deliveries: %w", err)
	}
	total := 0
	for {
		n := 0
		err := s.inWriteTx(ctx, func(tx txn) error {
			rows, err := tx.QueryContext(ctx, `SELECT `+prefixed("m.", messageColumns)+`
				FROM messages m, endpoints e WHERE `+missedCondition+`
				ORDER BY m.created_at, m.id LIMIT ?5`,
				appID, endpointID, toMicros(since), toMicros(until), backfillPage)
			missed, err := collect(rows, err, scanMessage)
			if err != nil {
				return err
			}
			for _, m := range missed {
				if _, err := queueDeliveries(ctx, tx, m, []*hookbridge.Endpoint{e}, now); err != nil {
					return err
				}
			}
			n = len(missed)
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("backfill deliveries of endpoint %s: %w", endpointID, err)
		}
		total += n
		if n < backfillPage {
			return total, nil
		}
	}
}

// prefixed qualifies each column of a comma-separated list with a table
// alias: prefixed("m.", "id, app_id") is "m.id, m.app_id".
func prefixed(alias, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}
