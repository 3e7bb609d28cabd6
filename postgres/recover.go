package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
)

// missedCondition selects, for the endpoint e, the messages m of its app
// created in [$3, $4) that it accepts but has no delivery of: those it
// missed while disabled. Messages older than the endpoint and operational
// events are not missed. $1 is the app, $2 the endpoint.
const missedCondition = `e.app_id = $1 AND e.id = $2 AND NOT e.operational
	AND m.app_id = $1 AND m.created_at >= GREATEST($3, e.created_at) AND m.created_at < $4
	AND m.source_id <> '` + hookbridge.OperationalSourceID + `'
	AND (cardinality(e.event_types) = 0 OR m.event_type = ANY (e.event_types))
	AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.endpoint_id = e.id)`

// CountRecoverable says how many failed deliveries of an endpoint, and how
// many messages it missed, were created in [since, until).
func (s *Store) CountRecoverable(ctx context.Context, appID, endpointID string, since, until time.Time) (hookbridge.Recoverable, error) {
	var r hookbridge.Recoverable
	if _, err := s.GetEndpoint(ctx, appID, endpointID); err != nil {
		return r, err
	}
	err := s.pool.QueryRow(ctx, `
		SELECT
			(SELECT count(*) FROM deliveries
			 WHERE app_id = $1 AND endpoint_id = $2 AND status = 'failed'
				AND created_at >= $3 AND created_at < $4),
			(SELECT count(*) FROM messages m, endpoints e WHERE `+missedCondition+`)`,
		appID, endpointID, utc(since), utc(until)).Scan(&r.Failed, &r.Missed)
	if err != nil {
		return r, dbError("count recoverable deliveries", err)
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
		return 0, err
	}
	total := 0
	for {
		n := 0
		err := s.inTx(ctx, func(tx pgx.Tx) error {
			rows, _ := tx.Query(ctx, `
				SELECT m.id, m.app_id, m.event_type, m.event_id, m.source_id, m.payload, m.created_at
				FROM messages m, endpoints e WHERE `+missedCondition+`
				ORDER BY m.created_at, m.id LIMIT $5
				FOR KEY SHARE OF e`,
				appID, endpointID, utc(since), utc(until), backfillPage)
			missed, err := pgx.CollectRows(rows, scanMessage)
			if err != nil {
				return err
			}
			for _, m := range missed {
				if err := insertDeliveries(ctx, tx, m, []*hookbridge.Endpoint{e}, now); err != nil {
					return err
				}
			}
			n = len(missed)
			return nil
		})
		if err != nil {
			return total, dbError("backfill deliveries", err)
		}
		total += n
		if n < backfillPage {
			return total, nil
		}
	}
}
