package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/hookbridge/hookbridge"
)

// ClaimDeliveries leases up to limit due pending deliveries, longest due
// first, for the given duration, with no cap per endpoint: it is Claim
// with PerEndpoint 0.
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]*hookbridge.Claim, error) {
	return s.Claim(ctx, hookbridge.ClaimQuery{Now: now, Limit: limit, Lease: lease})
}

func scanClaim(row scanner) (*hookbridge.Claim, error) {
	var leaseID string
	d, err := scanDelivery(prefixScanner{row: row, first: &leaseID})
	if err != nil {
		return nil, err
	}
	return &hookbridge.Claim{Delivery: d, LeaseID: leaseID}, nil
}

// prefixScanner scans one extra leading column into first.
type prefixScanner struct {
	row   scanner
	first any
}

func (p prefixScanner) Scan(dest ...any) error {
	return p.row.Scan(append([]any{p.first}, dest...)...)
}

// attachMessagesAndEndpoints loads, within tx, the message and endpoint of
// every claim (each once).
func (s *Store) attachMessagesAndEndpoints(ctx context.Context, tx txn, claims []*hookbridge.Claim) error {
	var messageIDs, endpointIDs []string
	for _, c := range claims {
		messageIDs = append(messageIDs, c.Delivery.MessageID)
		endpointIDs = append(endpointIDs, c.Delivery.EndpointID)
	}
	found, missing := s.recent.lookup(unique(messageIDs))
	messages := slices.Collect(maps.Values(found))
	if len(missing) > 0 {
		read, err := messagesByID(ctx, tx, missing)
		if err != nil {
			return err
		}
		messages = append(messages, read...)
	}
	apps, err := appsByID(ctx, tx, unique(appIDs(claims)))
	if err != nil {
		return err
	}
	endpoints, err := s.endpointsByID(ctx, tx, unique(endpointIDs))
	if err != nil {
		return err
	}
	return hookbridge.AttachClaimed(claims, messages, endpoints, apps)
}

func (s *Store) endpointsByID(ctx context.Context, tx txn, ids []string) ([]*hookbridge.Endpoint, error) {
	rows, err := tx.QueryContext(ctx,
		`SELECT `+endpointColumns+` FROM endpoints WHERE id IN `+idList, jsonList(ids))
	endpoints, err := collect(rows, err, s.scanEndpoint)
	if err != nil {
		return nil, fmt.Errorf("load endpoints: %w", err)
	}
	return endpoints, nil
}

// CompleteAttempt records attempt a (if any) and outcome o of a claimed
// delivery in one transaction, and ends the lease. ErrLeaseLost, and
// nothing written, if the lease is no longer c's. A zero
// o.NextAttemptAt keeps the delivery's current one.
func (s *Store) CompleteAttempt(ctx context.Context, c *hookbridge.Claim, a *hookbridge.Attempt, o hookbridge.Outcome) error {
	// Encoded before the write transaction: the single writer is the
	// store's bottleneck, so what can be done outside it is.
	done, err := newCompletion(hookbridge.Completion{Claim: c, Attempt: a, Outcome: o})
	if err == nil {
		err = s.inWriteTx(ctx, func(tx txn) error { return done.record(ctx, tx) })
	}
	if err != nil {
		return fmt.Errorf("complete delivery %s: %w", c.Delivery.ID, err)
	}
	return nil
}

// CompleteAttempts records each completion as CompleteAttempt does, in one
// write transaction: a lost lease fails only its own completion, which
// writes nothing. Should another error fail the transaction, each
// completion is recorded on its own.
func (s *Store) CompleteAttempts(ctx context.Context, cs []hookbridge.Completion) []error {
	errs := make([]error, len(cs))
	all := make([]*completion, 0, len(cs))
	for i, c := range cs {
		done, err := newCompletion(c)
		if err != nil {
			errs[i] = fmt.Errorf("complete delivery %s: %w", c.Claim.Delivery.ID, err)
			continue
		}
		done.index = i
		all = append(all, done)
	}
	lost := make([]bool, len(cs))
	err := s.inWriteTx(ctx, func(tx txn) error {
		clear(lost) // a transaction run again starts afresh
		for _, done := range all {
			err := done.record(ctx, tx)
			if errors.Is(err, hookbridge.ErrLeaseLost) {
				lost[done.index] = true
				continue
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	for _, done := range all {
		i := done.index
		switch {
		case err != nil:
			errs[i] = s.CompleteAttempt(ctx, cs[i].Claim, cs[i].Attempt, cs[i].Outcome)
		case lost[i]:
			errs[i] = fmt.Errorf("complete delivery %s: %w", cs[i].Claim.Delivery.ID, hookbridge.ErrLeaseLost)
		}
	}
	return errs
}

// completion is a completion ready to be recorded: its attempt's row
// encoded, its due time in the store's units.
type completion struct {
	hookbridge.Completion
	row       attemptRow
	next      sql.NullInt64
	attempted int
	// index is the completion's place among those recorded together.
	index int
}

func newCompletion(c hookbridge.Completion) (*completion, error) {
	done := &completion{Completion: c}
	if !c.Outcome.NextAttemptAt.IsZero() {
		done.next = sql.NullInt64{Int64: toMicros(c.Outcome.NextAttemptAt), Valid: true}
	}
	if c.Attempt != nil {
		done.attempted = 1
		var err error
		if done.row, err = newAttemptRow(c.Claim.Delivery, c.Attempt); err != nil {
			return nil, err
		}
	}
	return done, nil
}

// record writes the completion within tx: ErrLeaseLost, and nothing
// written, if the lease is no longer its claim's.
func (done *completion) record(ctx context.Context, tx txn) error {
	c, o := done.Claim, done.Outcome
	err := execOne(ctx, tx, `UPDATE deliveries
		SET status = ?, next_attempt_at = coalesce(?, next_attempt_at), last_error = ?,
			attempts = attempts + ?, lease_id = NULL, lease_expires_at = NULL, updated_at = ?
		WHERE id = ? AND lease_id = ?`,
		string(o.Status), done.next, o.LastError, done.attempted, toMicros(time.Now()), c.Delivery.ID, c.LeaseID)
	if errors.Is(err, hookbridge.ErrNotFound) {
		return hookbridge.ErrLeaseLost
	}
	if err != nil {
		return err
	}
	if done.Attempt != nil {
		if err := insertAttempt(ctx, tx, done.row); err != nil {
			return err
		}
	}
	return recordConsequences(ctx, tx, c, o)
}

// attemptRow is an attempt ready to be inserted: ids and time filled in,
// headers encoded.
type attemptRow struct {
	a                       *hookbridge.Attempt
	endpointID              string
	reqHeaders, respHeaders string
	warnings                string
	batchSize, batchIndex   int
}

// newAttemptRow fills in a's id, delivery and time if they are unset and
// encodes what it stores as JSON.
func newAttemptRow(d *hookbridge.Delivery, a *hookbridge.Attempt) (attemptRow, error) {
	if a.ID == "" {
		a.ID = hookbridge.NewID("att")
	}
	a.DeliveryID = d.ID
	if a.CreatedAt.IsZero() {
		a.CreatedAt = time.Now()
	}
	row := attemptRow{a: a, endpointID: d.EndpointID}
	var err error
	if row.reqHeaders, err = toJSON(a.Request.Headers, "{}"); err != nil {
		return attemptRow{}, fmt.Errorf("encode request headers: %w", err)
	}
	if row.respHeaders, err = toJSON(a.ResponseHeaders, "{}"); err != nil {
		return attemptRow{}, fmt.Errorf("encode response headers: %w", err)
	}
	if row.warnings, err = toJSON(a.Warnings, "[]"); err != nil {
		return attemptRow{}, fmt.Errorf("encode warnings: %w", err)
	}
	if a.Batch != nil {
		row.batchSize, row.batchIndex = a.Batch.Size, a.Batch.Index
	}
	return row, nil
}

func insertAttempt(ctx context.Context, tx txn, row attemptRow) error {
	a := row.a
	_, err := tx.ExecContext(ctx, `INSERT INTO attempts (`+attemptColumns+`, endpoint_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.DeliveryID, a.Request.Method, a.Request.URL, row.reqHeaders, a.Request.Body,
		a.ResponseStatus, row.respHeaders, a.ResponseBody, int64(a.Duration), a.Error, toMicros(a.CreatedAt),
		row.batchSize, row.batchIndex, row.warnings, a.TransformationVersion, row.endpointID)
	if err != nil {
		return fmt.Errorf("record attempt %s: %w", a.ID, err)
	}
	return nil
}

// ReleaseClaim ends a lease without recording anything, so the delivery
// can be claimed again at once. ErrLeaseLost if the lease is no longer c's
// (then the current holder keeps it).
func (s *Store) ReleaseClaim(ctx context.Context, c *hookbridge.Claim) error {
	err := execOne(ctx, s.write,
		`UPDATE deliveries SET lease_id = NULL, lease_expires_at = NULL WHERE id = ? AND lease_id = ?`,
		c.Delivery.ID, c.LeaseID)
	if errors.Is(err, hookbridge.ErrNotFound) {
		err = hookbridge.ErrLeaseLost
	}
	if err != nil {
		return fmt.Errorf("release delivery %s: %w", c.Delivery.ID, err)
	}
	return nil
}

// unique returns ids without repeats, sorted.
func unique(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func anySlice(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
