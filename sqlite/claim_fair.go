package sqlite

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
)

// Claim leases due deliveries as q says. It looks for them in a read
// transaction, so that an idle poll never takes the write lock, and leases
// what it found in an IMMEDIATE one, checking again that each is still due
// and free (the write lock serialises leasing, so no delivery is leased
// twice; one another claim took meanwhile is left out). It works endpoint
// by endpoint, so that a backlog of one endpoint neither hides the others'
// due deliveries nor costs a scan:
//
//  1. the endpoints that may be sent to (enabled, not paused) and how many
//     of their deliveries are leased now;
//  2. for each with room under q.PerEndpoint, its earliest due deliveries
//     that no older pending delivery of the same ordering key holds back
//     (index deliveries_due_by_endpoint, then deliveries_ordered);
//  3. due deliveries of deleted endpoints, among the earliest due;
//  4. q.Limit of these are leased, shared out fairly: the endpoint with
//     the fewest deliveries in flight first (counting those just chosen),
//     then the earliest due.
func (s *Store) Claim(ctx context.Context, q hookbridge.ClaimQuery) ([]*hookbridge.Claim, error) {
	if q.Limit <= 0 {
		return nil, nil
	}
	var claims []*hookbridge.Claim
	// Another process may lease some candidates between looking and
	// leasing; then look again, a few times, for what is left.
	for range 3 {
		candidates, err := s.findCandidates(ctx, q)
		if err != nil || len(candidates) == 0 {
			return claims, err
		}
		leased, err := s.leaseCandidates(ctx, candidates, q)
		if err != nil {
			return claims, err
		}
		claims = append(claims, leased...)
		q.Limit -= len(leased)
		if len(leased) == len(candidates) || q.Limit <= 0 {
			break
		}
	}
	return claims, nil
}

// leaseCandidates leases, in one IMMEDIATE transaction, those candidates
// that are still due and free, then reads their messages, endpoints and
// apps on the read pool: the single writer is the store's bottleneck, and
// once leased the deliveries are this claim's (an endpoint changed or
// deleted in between is seen as it is now, as it would be a moment after
// the claim). If the reading fails, the leases are given back.
func (s *Store) leaseCandidates(ctx context.Context, candidates []candidate, q hookbridge.ClaimQuery) ([]*hookbridge.Claim, error) {
	var claims []*hookbridge.Claim
	err := s.inWriteTx(ctx, func(tx txn) error {
		var err error
		claims, err = lease(ctx, tx, candidates, q)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	if len(claims) == 0 {
		return nil, nil
	}
	if err := s.attachInReadTx(ctx, claims); err != nil {
		return nil, errors.Join(fmt.Errorf("claim deliveries: %w", err), s.releaseAll(claims))
	}
	return claims, nil
}

// attachInReadTx attaches messages, endpoints and apps to claims from one
// snapshot of the read pool.
func (s *Store) attachInReadTx(ctx context.Context, claims []*hookbridge.Claim) error {
	tx, end, err := s.readTx(ctx)
	if err != nil {
		return err
	}
	defer end()
	return s.attachMessagesAndEndpoints(ctx, tx, claims)
}

// releaseAll gives back leases that could not be used.
func (s *Store) releaseAll(claims []*hookbridge.Claim) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var errs []error
	for _, c := range claims {
		if err := s.ReleaseClaim(ctx, c); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// findCandidates runs claimCandidates in a read-only transaction: one
// snapshot, no write lock.
func (s *Store) findCandidates(ctx context.Context, q hookbridge.ClaimQuery) ([]candidate, error) {
	tx, end, err := s.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	defer end()
	candidates, err := claimCandidates(ctx, tx, q)
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	return candidates, nil
}

// candidate is a delivery that may be leased.
type candidate struct {
	id  string
	due int64
	// load is how many deliveries of its endpoint would be in flight with
	// it: those leased before plus its rank among the endpoint's
	// candidates.
	load int
}

// fairly orders candidates for leasing: least loaded endpoint first, then
// earliest due.
func fairly(a, b candidate) int {
	return cmp.Or(cmp.Compare(a.load, b.load), cmp.Compare(a.due, b.due), strings.Compare(a.id, b.id))
}

// claimCandidates returns at most q.Limit deliveries that may be leased,
// earliest due first.
func claimCandidates(ctx context.Context, tx txn, q hookbridge.ClaimQuery) ([]candidate, error) {
	if len(q.IDs) > 0 {
		return listedCandidates(ctx, tx, q)
	}
	now := toMicros(q.Now)
	rooms, err := endpointRooms(ctx, tx, q, nil)
	if err != nil {
		return nil, err
	}
	probe, err := tx.PrepareContext(ctx, dueOfEndpointQuery)
	if err != nil {
		return nil, fmt.Errorf("prepare due deliveries query: %w", err)
	}
	defer probe.Close()
	var all []candidate
	for _, r := range rooms {
		rows, err := probe.QueryContext(ctx, r.endpointID, now, now, min(r.room, q.Limit))
		found, err := collect(rows, err, scanCandidate)
		if err != nil {
			return nil, fmt.Errorf("due deliveries of endpoint %s: %w", r.endpointID, err)
		}
		for i := range found {
			found[i].load = r.leased + i + 1
		}
		all = append(all, found...)
	}
	if q.EndpointID == "" {
		rows, err := tx.QueryContext(ctx, orphansQuery, now, orphanWindow, now)
		orphans, err := collect(rows, err, scanCandidate)
		if err != nil {
			return nil, fmt.Errorf("due deliveries of deleted endpoints: %w", err)
		}
		all = append(all, orphans...)
	}
	slices.SortFunc(all, fairly)
	return all[:min(len(all), q.Limit)], nil
}

// listedCandidates returns at most q.Limit of the deliveries q.IDs lists
// that may be leased, under the rules of claimCandidates: an endpoint's
// room, ordering keys, and fairly shared out. A delivery of a deleted
// endpoint is left to the claims that look for them.
func listedCandidates(ctx context.Context, tx txn, q hookbridge.ClaimQuery) ([]candidate, error) {
	now := toMicros(q.Now)
	rows, err := tx.QueryContext(ctx, listedDueQuery, now, jsonList(q.IDs))
	found, err := collect(rows, err, func(row scanner) (listedCandidate, error) {
		var c listedCandidate
		err := row.Scan(&c.id, &c.due, &c.endpointID)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("listed due deliveries: %w", err)
	}
	if len(found) == 0 {
		return nil, nil
	}
	endpointIDs := make([]string, len(found))
	for i, c := range found {
		endpointIDs[i] = c.endpointID
	}
	rooms, err := endpointRooms(ctx, tx, q, unique(endpointIDs))
	if err != nil {
		return nil, err
	}
	roomOf := make(map[string]*endpointRoom, len(rooms))
	for i := range rooms {
		roomOf[rooms[i].endpointID] = &rooms[i]
	}
	var all []candidate
	for _, c := range found { // earliest due first
		r := roomOf[c.endpointID]
		if r == nil || r.room <= 0 {
			continue
		}
		r.room--
		r.leased++
		all = append(all, candidate{id: c.id, due: c.due, load: r.leased})
	}
	slices.SortFunc(all, fairly)
	return all[:min(len(all), q.Limit)], nil
}

// listedCandidate is a due delivery that q.IDs lists, before its endpoint's
// room is known.
type listedCandidate struct {
	id, endpointID string
	due            int64
}

// notHeldBack says that no older pending delivery of the same endpoint and
// ordering key holds delivery x back (index deliveries_ordered).
const notHeldBack = `(x.ordering_key = '' OR NOT EXISTS (
			SELECT 1 FROM deliveries o
			WHERE o.endpoint_id = x.endpoint_id AND o.ordering_key = x.ordering_key
				AND o.status = 'pending' AND o.ordering_key <> ''
				AND (o.created_at < x.created_at OR (o.created_at = x.created_at AND o.id < x.id))))`

// listedDueQuery finds, among the deliveries whose ids ?2 lists (see
// idList), those due at ?1 and not leased then, leaving out those that an
// older pending delivery of the same ordering key holds back, earliest due
// first. The unary plus keeps the planner from reading every due delivery
// (a backlog's length) instead of looking the few ids up by key.
const listedDueQuery = `SELECT x.id, x.next_attempt_at, x.endpoint_id FROM deliveries x
	WHERE x.id IN (SELECT value FROM json_each(?2)) AND +x.status = 'pending' AND +x.next_attempt_at <= ?1
		AND (x.lease_expires_at IS NULL OR x.lease_expires_at <= ?1)
		AND ` + notHeldBack + `
	ORDER BY x.next_attempt_at, x.id`

func scanCandidate(row scanner) (candidate, error) {
	var c candidate
	err := row.Scan(&c.id, &c.due)
	return c, err
}

// endpointRoom is how many more deliveries of one endpoint may be leased.
type endpointRoom struct {
	endpointID string
	leased     int
	room       int
}

// endpointRoomsQuery lists the endpoints that may be sent to at ?1 with the
// number of their deliveries leased then (index deliveries_leased) and
// their rate limits; ?2, if not empty, names the only endpoint.
const endpointRoomsQuery = endpointRoomsSelect + ` AND (?2 = '' OR e.id = ?2)`

// endpointRoomsOfQuery is endpointRoomsQuery for the endpoints whose ids ?2
// lists (see idList).
const endpointRoomsOfQuery = endpointRoomsSelect + ` AND e.id IN (SELECT value FROM json_each(?2))`

const endpointRoomsSelect = `SELECT e.id,
		(SELECT count(*) FROM deliveries l
		 WHERE l.endpoint_id = e.id AND l.lease_id IS NOT NULL AND l.status = 'pending'
			AND l.lease_expires_at > ?1),
		e.rate_limit, e.rate_limit_period_ms, e.burst
	FROM endpoints e
	WHERE e.disabled = 0 AND (e.paused_until IS NULL OR e.paused_until <= ?1)`

// endpointRooms lists the endpoints q may claim for, with their room:
// every endpoint, q.EndpointID's, or those of endpointIDs if not nil.
func endpointRooms(ctx context.Context, tx txn, q hookbridge.ClaimQuery, endpointIDs []string) ([]endpointRoom, error) {
	query, which := endpointRoomsQuery, q.EndpointID
	if endpointIDs != nil {
		query, which = endpointRoomsOfQuery, jsonList(endpointIDs)
	}
	rows, err := tx.QueryContext(ctx, query, toMicros(q.Now), which)
	if err != nil {
		return nil, fmt.Errorf("endpoints to claim for: %w", err)
	}
	defer rows.Close()
	var rooms []endpointRoom
	for rows.Next() {
		var (
			id           string
			leased       int
			limit        hookbridge.RateLimit
			periodMillis int64
		)
		if err := rows.Scan(&id, &leased, &limit.Requests, &periodMillis, &limit.Burst); err != nil {
			return nil, fmt.Errorf("endpoints to claim for: %w", err)
		}
		limit.Period = time.Duration(periodMillis) * time.Millisecond
		room := q.Limit
		if capped, ok := leasable(q, limit); ok {
			room = capped - leased
		}
		if room > 0 {
			rooms = append(rooms, endpointRoom{endpointID: id, leased: leased, room: room})
		}
	}
	return rooms, rows.Err()
}

// leasable is how many deliveries of an endpoint with the given rate
// limit q lets be leased at once, counting those leased already:
// q.PerEndpoint, or fewer for a rate-limited endpoint when
// q.ThrottleWindow is set (RateLimit.Within). capped is false when
// nothing caps them.
func leasable(q hookbridge.ClaimQuery, limit hookbridge.RateLimit) (n int, capped bool) {
	n, capped = q.PerEndpoint, q.PerEndpoint > 0
	if q.ThrottleWindow > 0 && limit.Limited() {
		within := limit.Within(q.ThrottleWindow)
		if !capped || within < n {
			n, capped = within, true
		}
	}
	return n, capped
}

// dueOfEndpointQuery finds an endpoint's (?1) earliest deliveries due at ?2
// and not leased at ?3, leaving out those that an older pending delivery
// of the same ordering key holds back; at most ?4.
//
// The limits here are written +? (see limitParam).
const dueOfEndpointQuery = `SELECT x.id, x.next_attempt_at FROM deliveries x
	WHERE x.endpoint_id = ? AND x.status = 'pending' AND x.next_attempt_at <= ?
		AND (x.lease_expires_at IS NULL OR x.lease_expires_at <= ?)
		AND ` + notHeldBack + `
	ORDER BY x.next_attempt_at, x.id
	LIMIT +?`

// limitParam: a query whose LIMIT is a bare parameter is compiled again
// each time a value is bound to it, since SQLite reads the bound limit
// while planning (sqlite3ExprIsInteger marks the parameter, and binding a
// marked parameter expires the statement). The claim's queries run for
// every claim, so they must not be recompiled (why: docs/benchmarks.md,
// “Round 4”); a unary plus makes the limit an expression SQLite does not
// read while planning.
// Their plans do not depend on the limit (TestQueryPlans).

// orphanWindow is how many of the earliest due deliveries are checked for
// a deleted endpoint at each claim. Such deliveries are rare (a delivery
// retried after its endpoint was deleted); looking only at the earliest
// keeps the claim's cost independent of the backlog.
const orphanWindow = 64

const orphansQuery = `SELECT d.id, d.next_attempt_at FROM (
		SELECT id, endpoint_id, next_attempt_at, lease_expires_at FROM deliveries
		WHERE status = 'pending' AND next_attempt_at <= ?
		ORDER BY status, next_attempt_at, id LIMIT +?) d
	WHERE (d.lease_expires_at IS NULL OR d.lease_expires_at <= ?)
		AND NOT EXISTS (SELECT 1 FROM endpoints e WHERE e.id = d.endpoint_id)`

// leaseQuery leases the deliveries whose ids ?5 lists (see idList) for
// which ?3 is due and ?4 past their lease, until ?1, for node ?2 (none if
// empty; see TakeOverLeases). The unary plus keeps
// the planner from reading the due deliveries by status (a backlog's
// length) instead of looking the few ids up by key.
var leaseQuery = `UPDATE deliveries
	SET lease_id = lower(hex(randomblob(16))), lease_expires_at = ?, lease_node = nullif(?, '')
	WHERE +status = 'pending' AND +next_attempt_at <= ?
		AND (lease_expires_at IS NULL OR lease_expires_at <= ?)
		AND id IN ` + idList + `
	RETURNING lease_id, ` + deliveryColumns

// lease gives each candidate a fresh random lease id and returns the
// claims, earliest due first.
func lease(ctx context.Context, tx txn, candidates []candidate, q hookbridge.ClaimQuery) ([]*hookbridge.Claim, error) {
	now := toMicros(q.Now)
	ids := make([]string, len(candidates))
	for i, c := range candidates {
		ids[i] = c.id
	}
	rows, err := tx.QueryContext(ctx, leaseQuery, toMicros(q.Now.Add(q.Lease)), q.Node, now, now, jsonList(ids))
	claims, err := collect(rows, err, scanClaim)
	if err != nil {
		return nil, fmt.Errorf("lease due deliveries: %w", err)
	}
	// RETURNING gives rows in no particular order.
	slices.SortFunc(claims, func(a, b *hookbridge.Claim) int {
		return cmp.Or(a.Delivery.NextAttemptAt.Compare(b.Delivery.NextAttemptAt), strings.Compare(a.Delivery.ID, b.Delivery.ID))
	})
	return claims, nil
}

// appsByID loads apps by id, within tx.
func appsByID(ctx context.Context, tx txn, ids []string) ([]*hookbridge.App, error) {
	rows, err := tx.QueryContext(ctx,
		`SELECT `+appColumns+` FROM apps WHERE id IN `+idList, jsonList(ids))
	apps, err := collect(rows, err, scanApp)
	if err != nil {
		return nil, fmt.Errorf("load apps: %w", err)
	}
	return apps, nil
}

func appIDs(claims []*hookbridge.Claim) []string {
	ids := make([]string, len(claims))
	for i, c := range claims {
		ids[i] = c.Delivery.AppID
	}
	return ids
}
