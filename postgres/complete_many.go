package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/hookbridge/hookbridge"
)

// CompleteAttempts records each completion as CompleteAttempt does. Those
// whose outcome changes no more than the delivery, its attempt and the end
// of its endpoint's failing streak (completesAlone) — nearly all — are
// recorded together in one statement, completeManyQuery; the others each
// in a transaction of their own.
func (s *Store) CompleteAttempts(ctx context.Context, cs []hookbridge.Completion) []error {
	errs := make([]error, len(cs))
	var together []int
	for i, c := range cs {
		if c.Outcome.Status.Valid() && completesAlone(c.Outcome) {
			together = append(together, i)
			continue
		}
		errs[i] = s.CompleteAttempt(ctx, c.Claim, c.Attempt, c.Outcome)
	}
	switch len(together) {
	case 0:
	case 1:
		c := cs[together[0]]
		errs[together[0]] = s.CompleteAttempt(ctx, c.Claim, c.Attempt, c.Outcome)
	default:
		s.completeTogether(ctx, cs, together, errs)
	}
	return errs
}

// completeManyQuery is completeQuery for many deliveries: it ends the lease
// of each delivery $1 whose lease is still $2 with its outcome (status $3,
// due at $4 or as it was if NULL, last error $5, $6 more attempts, at $8),
// records the attempts $10–$25 of those (attemptColumns, one array each)
// with their endpoint, ends the failing streak of the endpoints of those
// with $7 set, and wakes the workers (channel $9) if one is due again at
// once. It returns the ids of the deliveries whose lease it ended.
const completeManyQuery = `
	WITH input AS (
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[],
			$6::integer[], $7::boolean[])
			AS u (id, lease_id, status, next_attempt_at, last_error, attempted, healthy)
	), done AS (
		UPDATE deliveries d SET status = u.status, next_attempt_at = COALESCE(u.next_attempt_at, d.next_attempt_at),
			last_error = u.last_error, attempts = d.attempts + u.attempted,
			lease_id = NULL, lease_expires_at = NULL, updated_at = $8
		FROM input u
		WHERE d.id = u.id AND d.lease_id = u.lease_id
		RETURNING d.id, d.endpoint_id, d.status, d.next_attempt_at, u.healthy
	), attempt AS (
		INSERT INTO attempts (` + attemptColumns + `, endpoint_id)
		SELECT a.*, done.endpoint_id
		FROM unnest($10::text[], $11::text[], $12::text[], $13::text[], $14::json[], $15::bytea[],
			$16::integer[], $17::json[], $18::bytea[], $19::bigint[], $20::text[], $21::timestamptz[],
			$22::integer[], $23::integer[], $24::json[], $25::integer[])
			AS a (` + attemptColumns + `)
		JOIN done ON done.id = a.delivery_id
	), healthy AS (
		UPDATE endpoints SET failing_since = NULL
		WHERE failing_since IS NOT NULL AND id IN (SELECT endpoint_id FROM done WHERE healthy)
	)
	SELECT id, (SELECT count(*) FROM (SELECT pg_notify($9, '') FROM done
			WHERE status = 'pending' AND next_attempt_at <= $8 LIMIT 1) AS woken)
	FROM done`

// completeTogether records the completions cs[i] for i in which with
// completeManyQuery, and sets errs[i] for each: ErrLeaseLost for a lease
// that was no longer its claim's.
func (s *Store) completeTogether(ctx context.Context, cs []hookbridge.Completion, which []int, errs []error) {
	args, err := completeManyArgs(cs, which)
	if err != nil {
		for _, i := range which {
			errs[i] = fmt.Errorf("complete attempts: %w", err)
		}
		return
	}
	rows, _ := s.pool.Query(ctx, completeManyQuery, args...)
	done := map[string]bool{}
	var (
		id    string
		woken int64
	)
	for rows.Next() {
		if err := rows.Scan(&id, &woken); err != nil {
			break
		}
		done[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		for _, i := range which {
			errs[i] = dbError("complete attempts", err)
		}
		return
	}
	for _, i := range which {
		if !done[cs[i].Claim.Delivery.ID] {
			errs[i] = dbError("complete attempt", hookbridge.ErrLeaseLost)
		}
	}
}

// completeManyArgs returns the arguments of completeManyQuery for the
// completions cs[i], i in which: the outcomes' arrays, then one array per
// attempt column.
func completeManyArgs(cs []hookbridge.Completion, which []int) ([]any, error) {
	var (
		ids, leases, statuses, lastErrors = make([]string, len(which)), make([]string, len(which)), make([]string, len(which)), make([]string, len(which))
		next                              = make([]*time.Time, len(which))
		attempted                         = make([]int, len(which))
		healthy                           = make([]bool, len(which))
		columns                           = make([][]any, attemptColumnCount)
	)
	for j, i := range which {
		c := cs[i]
		ids[j], leases[j], statuses[j] = c.Claim.Delivery.ID, c.Claim.LeaseID, string(c.Outcome.Status)
		next[j], lastErrors[j], attempted[j] = nextAttemptAt(c.Outcome), cleanText(c.Outcome.LastError), countedAttempts(c.Attempt)
		healthy[j] = c.Outcome.Endpoint != nil && c.Outcome.Endpoint.Health == hookbridge.HealthOK
		if c.Attempt == nil {
			continue
		}
		values, err := attemptValues(attemptOf(c.Claim, c.Attempt))
		if err != nil {
			return nil, fmt.Errorf("record attempt: %w", err)
		}
		for k, v := range values {
			columns[k] = append(columns[k], v)
		}
	}
	args := []any{ids, leases, statuses, next, lastErrors, attempted, healthy, time.Now().UTC(), workChannel}
	for _, column := range columns {
		args = append(args, column)
	}
	return args, nil
}

// attemptColumnCount is the number of attemptColumns (and of the values
// attemptValues returns).
const attemptColumnCount = 16
