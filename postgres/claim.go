package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
)

// attemptIDPrefix starts the id the store gives an attempt that has none.
const attemptIDPrefix = "att"

// endpointBusy is the lateral join of a claim that counts, as b.busy, the
// deliveries of endpoint e leased at $1 (index deliveries_leased).
const endpointBusy = `
		CROSS JOIN LATERAL (
			SELECT count(*) AS busy FROM deliveries l
			WHERE l.endpoint_id = e.id AND l.lease_id IS NOT NULL AND l.status = 'pending'
				AND l.lease_expires_at > $1) b`

// endpointCap is the lateral join of a claim that says, as t.cap, how
// many deliveries of endpoint e may be leased at once: $4 when positive,
// or for a rate-limited endpoint what its limit lets go in WINDOW
// nanoseconds if that is less (hookbridge.RateLimit.Within); NULL when
// nothing caps them. WINDOW is the parameter that holds the window.
const endpointCap = `
		CROSS JOIN LATERAL (
			SELECT LEAST(NULLIF($4, 0), CASE WHEN WINDOW > 0 AND e.rate_limit > 0 THEN
				GREATEST(e.burst, 1) + WINDOW / GREATEST((CASE WHEN e.rate_limit_period_ms > 0
					THEN e.rate_limit_period_ms ELSE 1000 END) * 1000000 / e.rate_limit, 1) END) AS cap) t`

// notHeldBack says that no older pending delivery of the same endpoint and
// ordering key holds delivery x back (index deliveries_ordered).
const notHeldBack = `(x.ordering_key = '' OR NOT EXISTS (
					SELECT 1 FROM deliveries o
					WHERE o.endpoint_id = x.endpoint_id AND o.ordering_key = x.ordering_key
						AND o.status = 'pending' AND o.ordering_key <> ''
						AND (o.created_at, o.id) < (x.created_at, x.id)))`

// claimQuery leases due deliveries in one statement, endpoint by endpoint,
// so that a backlog of one endpoint neither hides the others' due
// deliveries nor costs a scan:
//   - for each endpoint that may be sent to (enabled, not paused at $1),
//     how many of its deliveries are leased now (index deliveries_leased),
//     and its earliest due deliveries that no older pending delivery of the
//     same ordering key holds back (index deliveries_due_by_endpoint, then
//     deliveries_ordered): at most its cap minus those leased, at most $3
//     when it has no cap. The cap is $4 when positive, or for a
//     rate-limited endpoint when $8 is positive what its limit lets go in
//     $8 nanoseconds if that is less (hookbridge.RateLimit.Within);
//   - due deliveries of deleted endpoints among the earliest $6 due, so
//     that a worker can settle them;
//   - $3 of these are leased until $2, shared out fairly: the endpoint with
//     the fewest deliveries in flight first (load counts those leased
//     before and the candidate's rank), then the earliest due. $5, if set,
//     names the only endpoint to claim for, and $7, if set, the node the
//     leases are for (see TakeOverLeases).
//
// FOR UPDATE SKIP LOCKED lets workers on several nodes claim at once
// without waiting for each other or taking the same row; a row another
// claim changed meanwhile is checked again against the lease condition
// before it is leased.
var claimQuery = `
	WITH candidates AS (
		SELECT c.id, c.next_attempt_at,
			b.busy + row_number() OVER (PARTITION BY e.id ORDER BY c.next_attempt_at, c.id) AS load
		FROM endpoints e
` + endpointBusy + `
` + strings.ReplaceAll(endpointCap, "WINDOW", "$8") + `
		CROSS JOIN LATERAL (
			SELECT x.id, x.next_attempt_at FROM deliveries x
			WHERE x.endpoint_id = e.id AND x.status = 'pending' AND x.next_attempt_at <= $1
				AND (x.lease_expires_at IS NULL OR x.lease_expires_at <= $1)
				AND ` + notHeldBack + `
			ORDER BY x.next_attempt_at, x.id
			LIMIT CASE WHEN t.cap IS NOT NULL THEN GREATEST(0, t.cap - b.busy) ELSE $3 END
			FOR UPDATE OF x SKIP LOCKED) c
		WHERE NOT e.disabled AND (e.paused_until IS NULL OR e.paused_until <= $1)
			AND ($5 = '' OR e.id = $5)
		UNION ALL
		SELECT w.id, w.next_attempt_at, 0 FROM (
			SELECT y.id, y.endpoint_id, y.next_attempt_at, y.lease_expires_at FROM deliveries y
			WHERE y.status = 'pending' AND y.next_attempt_at <= $1 AND $5 = ''
			ORDER BY y.next_attempt_at, y.id
			LIMIT $6) w
		WHERE (w.lease_expires_at IS NULL OR w.lease_expires_at <= $1)
			AND NOT EXISTS (SELECT 1 FROM endpoints z WHERE z.id = w.endpoint_id))
	UPDATE deliveries d
	SET lease_id = gen_random_uuid()::text, lease_expires_at = $2, lease_node = NULLIF($7, '')
	WHERE d.id IN (SELECT id FROM candidates ORDER BY load, next_attempt_at, id LIMIT $3)
		AND d.status = 'pending' AND (d.lease_expires_at IS NULL OR d.lease_expires_at <= $1)
	RETURNING d.lease_id, ` + deliveryColumns

// claimListedQuery is claimQuery for the deliveries whose ids $7 lists:
// those of them due at $1 and not leased then, that no older pending
// delivery of the same ordering key holds back, of an endpoint that may be
// sent to, within its cap ($4 when positive, or what its rate limit lets
// go in $6 nanoseconds if that is less, counting the deliveries leased
// before); $3 of these, shared out fairly, are leased until $2 for node
// $5. A delivery of a deleted endpoint is left to claimQuery.
var claimListedQuery = `
	WITH listed AS (
		SELECT x.id, x.endpoint_id, x.next_attempt_at FROM deliveries x
		WHERE x.id = ANY ($7::text[]) AND x.status = 'pending' AND x.next_attempt_at <= $1
			AND (x.lease_expires_at IS NULL OR x.lease_expires_at <= $1)
			AND ` + notHeldBack + `
		FOR UPDATE OF x SKIP LOCKED
	), candidates AS (
		SELECT c.id, c.next_attempt_at, t.cap,
			b.busy + row_number() OVER (PARTITION BY e.id ORDER BY c.next_attempt_at, c.id) AS load
		FROM listed c
		JOIN endpoints e ON e.id = c.endpoint_id
` + endpointBusy + `
` + strings.ReplaceAll(endpointCap, "WINDOW", "$6") + `
		WHERE NOT e.disabled AND (e.paused_until IS NULL OR e.paused_until <= $1)
	)
	UPDATE deliveries d
	SET lease_id = gen_random_uuid()::text, lease_expires_at = $2, lease_node = NULLIF($5, '')
	WHERE d.id IN (SELECT id FROM candidates WHERE cap IS NULL OR load <= cap
			ORDER BY load, next_attempt_at, id LIMIT $3)
		AND d.status = 'pending' AND (d.lease_expires_at IS NULL OR d.lease_expires_at <= $1)
	RETURNING d.lease_id, ` + deliveryColumns

// orphanWindow is how many of the earliest due deliveries each claim
// checks for a deleted endpoint. Such deliveries are rare (retried after
// the endpoint was deleted); looking only at the earliest keeps the cost
// of a claim independent of the backlog.
const orphanWindow = 64

// ClaimDeliveries is Claim with no cap per endpoint.
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]*hookbridge.Claim, error) {
	return s.Claim(ctx, hookbridge.ClaimQuery{Now: now, Limit: limit, Lease: lease})
}

// Claim leases due deliveries as q says (see claimQuery, and
// claimListedQuery for q.IDs) and returns them
// earliest due first, each with its message, endpoint and app.
func (s *Store) Claim(ctx context.Context, q hookbridge.ClaimQuery) ([]*hookbridge.Claim, error) {
	if q.Limit <= 0 {
		return nil, nil
	}
	var rows pgx.Rows
	if len(q.IDs) > 0 {
		rows, _ = s.pool.Query(ctx, claimListedQuery, utc(q.Now), utc(q.Now.Add(q.Lease)), q.Limit,
			max(q.PerEndpoint, 0), q.Node, max(q.ThrottleWindow.Nanoseconds(), 0), q.IDs)
	} else {
		rows, _ = s.pool.Query(ctx, claimQuery, utc(q.Now), utc(q.Now.Add(q.Lease)), q.Limit,
			max(q.PerEndpoint, 0), q.EndpointID, orphanWindow, q.Node, max(q.ThrottleWindow.Nanoseconds(), 0))
	}
	claims, err := pgx.CollectRows(rows, scanClaim)
	if err != nil {
		return nil, dbError("claim deliveries", err)
	}
	if len(claims) == 0 {
		return nil, nil
	}
	// RETURNING gives rows in no particular order.
	slices.SortFunc(claims, func(a, b *hookbridge.Claim) int {
		if c := a.Delivery.NextAttemptAt.Compare(b.Delivery.NextAttemptAt); c != 0 {
			return c
		}
		return strings.Compare(a.Delivery.ID, b.Delivery.ID)
	})
	if err := s.loadClaimed(ctx, claims); err != nil {
		return nil, errors.Join(fmt.Errorf("claim deliveries: %w", err), s.releaseAll(claims))
	}
	return claims, nil
}

func scanClaim(row pgx.CollectableRow) (*hookbridge.Claim, error) {
	var (
		c hookbridge.Claim
		d hookbridge.Delivery
	)
	err := row.Scan(&c.LeaseID, &d.ID, &d.AppID, &d.MessageID, &d.EndpointID, &d.EventType,
		&d.Status, &d.Attempts, &d.NextAttemptAt, &d.LastError, &d.CreatedAt, &d.UpdatedAt,
		&d.OrderingKey)
	c.Delivery = &d
	return &c, err
}

// loadClaimed fills in the messages, endpoints and apps of claims, with a
// query for each sent together in one round trip. An endpoint that no
// longer exists stays nil.
func (s *Store) loadClaimed(ctx context.Context, claims []*hookbridge.Claim) error {
	messageIDs := make([]string, len(claims))
	endpointIDs := make([]string, len(claims))
	appIDs := make([]string, len(claims))
	for i, c := range claims {
		messageIDs[i], endpointIDs[i], appIDs[i] = c.Delivery.MessageID, c.Delivery.EndpointID, c.Delivery.AppID
	}
	batch := &pgx.Batch{}
	batch.Queue(`SELECT `+messageColumns+` FROM messages WHERE id = ANY ($1)`, messageIDs)
	batch.Queue(`SELECT `+endpointColumns+` FROM endpoints WHERE id = ANY ($1)`, endpointIDs)
	batch.Queue(`SELECT `+appColumns+` FROM apps WHERE id = ANY ($1)`, appIDs)
	results := s.pool.SendBatch(ctx, batch)
	defer results.Close()
	rows, _ := results.Query()
	messages, err := pgx.CollectRows(rows, scanMessage)
	if err != nil {
		return fmt.Errorf("load messages: %w", err)
	}
	rows, _ = results.Query()
	endpoints, err := pgx.CollectRows(rows, s.scanEndpoint)
	if err != nil {
		return fmt.Errorf("load endpoints: %w", err)
	}
	rows, _ = results.Query()
	apps, err := pgx.CollectRows(rows, scanApp)
	if err != nil {
		return fmt.Errorf("load apps: %w", err)
	}
	return hookbridge.AttachClaimed(claims, messages, endpoints, apps)
}

// releaseAll ends the leases of claims that could not be handed out, so
// they do not wait for their leases to expire.
func (s *Store) releaseAll(claims []*hookbridge.Claim) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	leaseIDs := make([]string, len(claims))
	for i, c := range claims {
		leaseIDs[i] = c.LeaseID
	}
	_, err := s.pool.Exec(ctx, `
		UPDATE deliveries SET lease_id = NULL, lease_expires_at = NULL
		WHERE lease_id = ANY ($1)`, leaseIDs)
	if err != nil {
		return fmt.Errorf("release claimed deliveries: %w", err)
	}
	return nil
}

// CompleteAttempt records a (nil if no attempt was made) and the outcome o
// of a claimed delivery in one transaction, and ends the lease. Recording
// an attempt counts it in Delivery.Attempts. A zero o.NextAttemptAt keeps
// the due time. hookbridge.ErrLeaseLost, with nothing written, if the lease
// is no longer c's. On success c.Delivery holds the stored delivery.
//
// An outcome that changes no more than the delivery, its attempt and the
// end of its endpoint's failing streak — nearly every one — is one
// statement and one round trip (see completeQuery), not a transaction of
// several (why: docs/benchmarks.md, “Round 8”).
func (s *Store) CompleteAttempt(ctx context.Context, c *hookbridge.Claim, a *hookbridge.Attempt, o hookbridge.Outcome) error {
	if !o.Status.Valid() {
		return fmt.Errorf("complete attempt: unknown status %q", o.Status)
	}
	var (
		stored *hookbridge.Delivery
		err    error
	)
	if completesAlone(o) {
		stored, err = completeInOneStatement(ctx, s.pool, c, a, o)
	} else {
		stored, err = s.completeInTx(ctx, c, a, o)
	}
	if err != nil {
		return dbError("complete attempt", err)
	}
	c.Delivery = stored
	return nil
}

// completesAlone reports whether recording o needs no statement beyond
// completeQuery's: it queues no operational event, and its endpoint report
// (if any) neither pauses, disables nor starts a failing streak.
func completesAlone(o hookbridge.Outcome) bool {
	if len(o.Events) > 0 {
		return false
	}
	r := o.Endpoint
	return r == nil || (r.PauseUntil.IsZero() && r.DisableReason == "" && r.Health != hookbridge.HealthFailing)
}

// endLeaseQuery ends the lease $2 of delivery $1 with its outcome: status
// $3, due at $4 (NULL: as it was), last error $5, $6 more attempts, at $7.
// It returns the stored delivery, or no row if the lease is not $2.
const endLeaseQuery = `
	UPDATE deliveries SET status = $3, next_attempt_at = COALESCE($4, next_attempt_at),
		last_error = $5, attempts = attempts + $6,
		lease_id = NULL, lease_expires_at = NULL, updated_at = $7
	WHERE id = $1 AND lease_id = $2
	RETURNING ` + deliveryColumns

// completeQuery ends a delivery's lease with its outcome (endLeaseQuery);
// records the attempt ($11–$26, attemptValues) if $8 says so, with the
// delivery's endpoint; ends the endpoint's failing streak if $9 says so
// (touching its row only if one runs); and wakes the workers (channel
// $10) if the delivery is due again at once. It returns the stored
// delivery and a count to ignore, or no row if the lease is not $2.
const completeQuery = `
	WITH done AS (` + endLeaseQuery + `), attempt AS (
		INSERT INTO attempts (` + attemptColumns + `, endpoint_id)
		SELECT $11::text, $12::text, $13::text, $14::text, $15::json, $16::bytea, $17::integer,
			$18::json, $19::bytea, $20::bigint, $21::text, $22::timestamptz, $23::integer, $24::integer,
			$25::json, $26::integer, endpoint_id
		FROM done WHERE $8::boolean
	), healthy AS (
		UPDATE endpoints SET failing_since = NULL
		WHERE $9::boolean AND failing_since IS NOT NULL AND id = (SELECT endpoint_id FROM done)
	)
	SELECT ` + deliveryColumns + `,
		(SELECT count(*) FROM (SELECT pg_notify($10, '') FROM done
			WHERE status = 'pending' AND next_attempt_at <= $7 LIMIT 1) AS woken)
	FROM done`

// completeInOneStatement records an outcome that completesAlone with
// completeQuery.
func completeInOneStatement(ctx context.Context, q querier, c *hookbridge.Claim, a *hookbridge.Attempt, o hookbridge.Outcome) (*hookbridge.Delivery, error) {
	attempt := &hookbridge.Attempt{}
	if a != nil {
		attempt = attemptOf(c, a)
	}
	values, err := attemptValues(attempt)
	if err != nil {
		return nil, fmt.Errorf("record attempt: %w", err)
	}
	now := time.Now().UTC()
	healthy := o.Endpoint != nil && o.Endpoint.Health == hookbridge.HealthOK
	args := append([]any{c.Delivery.ID, c.LeaseID, string(o.Status), nextAttemptAt(o), cleanText(o.LastError),
		countedAttempts(a), now, a != nil, healthy, workChannel}, values...)
	var (
		d     hookbridge.Delivery
		woken int64
	)
	err = q.QueryRow(ctx, completeQuery, args...).Scan(&d.ID, &d.AppID, &d.MessageID, &d.EndpointID, &d.EventType,
		&d.Status, &d.Attempts, &d.NextAttemptAt, &d.LastError, &d.CreatedAt, &d.UpdatedAt, &d.OrderingKey, &woken)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, hookbridge.ErrLeaseLost
	}
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// completeInTx records any outcome in a transaction of its statements.
func (s *Store) completeInTx(ctx context.Context, c *hookbridge.Claim, a *hookbridge.Attempt, o hookbridge.Outcome) (*hookbridge.Delivery, error) {
	now := time.Now().UTC()
	var stored *hookbridge.Delivery
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, endLeaseQuery,
			c.Delivery.ID, c.LeaseID, string(o.Status), nextAttemptAt(o), cleanText(o.LastError), countedAttempts(a), now)
		var err error
		stored, err = pgx.CollectExactlyOneRow(rows, scanDelivery)
		if errors.Is(err, pgx.ErrNoRows) {
			return hookbridge.ErrLeaseLost
		}
		if err != nil {
			return err
		}
		if a != nil {
			if err := insertAttempt(ctx, tx, attemptOf(c, a)); err != nil {
				return fmt.Errorf("record attempt: %w", err)
			}
		}
		if err := recordConsequences(ctx, tx, c, o); err != nil {
			return err
		}
		if stored.Status == hookbridge.DeliveryPending && !stored.NextAttemptAt.After(now) {
			return notifyWork(ctx, tx)
		}
		return nil
	})
	return stored, err
}

// nextAttemptAt is o's next attempt time for a statement: nil keeps the
// delivery's.
func nextAttemptAt(o hookbridge.Outcome) *time.Time {
	if o.NextAttemptAt.IsZero() {
		return nil
	}
	return utcPtr(&o.NextAttemptAt)
}

// countedAttempts is how many attempts recording a adds to a delivery's.
func countedAttempts(a *hookbridge.Attempt) int {
	if a == nil {
		return 0
	}
	return 1
}

// attemptOf fills in what the store may set in a: its delivery and, if
// missing, its id and time.
func attemptOf(c *hookbridge.Claim, a *hookbridge.Attempt) *hookbridge.Attempt {
	a.DeliveryID = c.Delivery.ID
	if a.ID == "" {
		a.ID = hookbridge.NewID(attemptIDPrefix)
	}
	a.CreatedAt = orNow(a.CreatedAt)
	return a
}

// ReleaseClaim ends a lease without recording anything and wakes the
// workers, so another one (on any node) may take the delivery at once.
// hookbridge.ErrLeaseLost if the lease is no longer c's.
func (s *Store) ReleaseClaim(ctx context.Context, c *hookbridge.Claim) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE deliveries SET lease_id = NULL, lease_expires_at = NULL
			WHERE id = $1 AND lease_id = $2`, c.Delivery.ID, c.LeaseID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return hookbridge.ErrLeaseLost
		}
		return notifyWork(ctx, tx)
	})
	if err != nil {
		return dbError("release claim", err)
	}
	return nil
}
