package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
)

// maxPreparedStatements bounds the statements kept prepared per pool. The
// store's queries are constants, so this is never reached in practice; it
// keeps a query built with a varying text from growing the cache.
const maxPreparedStatements = 256

// statements keeps a pool's statements prepared, by their SQL text, so that
// SQLite parses each query once per connection rather than at every call
// (why: docs/benchmarks.md, “Round 2”).
//
// A transaction may not prepare on its own pool: the writer has a single
// connection, which the transaction holds, so preparing would wait for
// ever. So a transaction uses only what is already prepared and notes what
// it missed, and the missed statements are prepared afterwards, outside any
// transaction, by prepareMissed.
type statements struct {
	db *sql.DB

	mu       sync.Mutex
	prepared map[string]*sql.Stmt
	missed   map[string]struct{}
}

func newStatements(db *sql.DB) *statements {
	return &statements{db: db, prepared: map[string]*sql.Stmt{}, missed: map[string]struct{}{}}
}

// lookup returns the prepared statement for query, or nil (noting the
// miss) if there is none yet.
func (c *statements) lookup(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.prepared[query]; ok {
		return st
	}
	if len(c.prepared)+len(c.missed) < maxPreparedStatements {
		c.missed[query] = struct{}{}
	}
	return nil
}

// prepareMissed prepares the statements that lookups missed. It must not
// be called within a transaction of the pool.
func (c *statements) prepareMissed(ctx context.Context) error {
	c.mu.Lock()
	if len(c.missed) == 0 {
		c.mu.Unlock()
		return nil
	}
	queries := slices.Collect(maps.Keys(c.missed))
	clear(c.missed)
	c.mu.Unlock()

	var errs []error
	for _, q := range queries {
		st, err := c.db.PrepareContext(ctx, q)
		if err != nil {
			errs = append(errs, fmt.Errorf("prepare %.60q: %w", q, err))
			continue
		}
		c.mu.Lock()
		c.prepared[q] = st
		c.mu.Unlock()
	}
	return errors.Join(errs...)
}

// close closes every prepared statement.
func (c *statements) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for q, st := range c.prepared {
		if err := st.Close(); err != nil {
			errs = append(errs, err)
		}
		delete(c.prepared, q)
	}
	return errors.Join(errs...)
}

// txn is a transaction whose statements run prepared when they can. All
// of the store's statements within transactions go through it.
type txn struct {
	*sql.Tx
	stmts *statements
	// detached makes statements ignore the end of their context once they
	// started: the driver interrupts a statement whose context ends, and an
	// interrupted write rolls back the whole transaction — in a batch of
	// writes (see writer) that would undo other callers' work. A context
	// that has ended already still stops a statement from starting.
	detached bool
	// fanOut is the writer's fan-out cache, in its transactions only.
	fanOut *fanOutCache
}

// endpointsChanged tells the fan-out cache that this transaction changed
// an endpoint (see fanOutCache).
func (t txn) endpointsChanged() {
	if t.fanOut != nil {
		t.fanOut.invalidate()
	}
}

func (t txn) statementContext(ctx context.Context) (context.Context, error) {
	if !t.detached {
		return ctx, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return context.WithoutCancel(ctx), nil
}

// ExecContext runs a statement that returns no rows.
func (t txn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx, err := t.statementContext(ctx)
	if err != nil {
		return nil, err
	}
	if st := t.stmts.lookup(query); st != nil {
		return t.Tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

// QueryContext runs a query.
func (t txn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx, err := t.statementContext(ctx)
	if err != nil {
		return nil, err
	}
	if st := t.stmts.lookup(query); st != nil {
		return t.Tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a query that returns at most one row.
func (t txn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	runCtx, err := t.statementContext(ctx)
	if err != nil {
		// A Row carries its error to Scan: the ended context gives it.
		return t.Tx.QueryRowContext(ctx, query, args...)
	}
	ctx = runCtx
	if st := t.stmts.lookup(query); st != nil {
		return t.Tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}

// PrepareContext returns the statement for use within the transaction,
// already prepared if it was before. Its runs are detached as the
// transaction's own statements are.
func (t txn) PrepareContext(ctx context.Context, query string) (*txStmt, error) {
	ctx, err := t.statementContext(ctx)
	if err != nil {
		return nil, err
	}
	if st := t.stmts.lookup(query); st != nil {
		return &txStmt{st: t.Tx.StmtContext(ctx, st), tx: t}, nil
	}
	st, err := t.Tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return &txStmt{st: st, tx: t}, nil
}

// txStmt is a statement prepared within a txn, run with the txn's
// statement context (see txn.detached).
type txStmt struct {
	st *sql.Stmt
	tx txn
}

// ExecContext runs the statement, which returns no rows.
func (s *txStmt) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	ctx, err := s.tx.statementContext(ctx)
	if err != nil {
		return nil, err
	}
	return s.st.ExecContext(ctx, args...)
}

// QueryContext runs the statement as a query.
func (s *txStmt) QueryContext(ctx context.Context, args ...any) (*sql.Rows, error) {
	ctx, err := s.tx.statementContext(ctx)
	if err != nil {
		return nil, err
	}
	return s.st.QueryContext(ctx, args...)
}

// Close closes the statement.
func (s *txStmt) Close() error { return s.st.Close() }
