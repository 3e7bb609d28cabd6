package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hookbridge/hookbridge"
)

// maxWritesPerCommit caps the write transactions committed together.
const maxWritesPerCommit = 128

// Group commit delay. A commit writes every page its group changed, and
// most of those (the last page of each table and index that grows by
// increasing ids) are the same for every transaction of a group: under
// load, a larger group costs about as much to commit as a small one. So
// when a group starts with lingerSiblings or more transactions already
// waiting — others are writing now, and more will follow — the writer
// waits up to its commit delay for them before it runs the group, as
// PostgreSQL's commit_delay does when commit_siblings transactions are
// active. It waits so too, whatever is waiting, when it has lately been
// busy at least busyShareToLinger of the time and its waits have lately
// gathered more writes (writerLoad): writes then come one close behind
// another from several callers. Otherwise a lone write is not held back,
// so an idle or lightly loaded store, or a single caller writing one
// transaction after another, is answered without delay. The price is up
// to that much more latency for each write under load, which a sender
// with few connections feels as fewer events accepted per second: a trade
// of sustained deliveries against one sender's rate (why:
// docs/benchmarks.md, “Round 5” and “Commits under load”).
// WithCommitDelay changes it.
const (
	DefaultCommitDelay = time.Millisecond
	lingerSiblings     = 2
	busyShareToLinger  = 0.5
)

// writerLoad is what the writer knows of its recent load: the share of its
// time it spent writing (each group's writing time over the time since the
// group before it ended, its wait for more writes left out) and how many
// more writes its waits gathered, each averaged with the weight on about
// the last ten.
type writerLoad struct {
	share, gain float64
	lastEnd     time.Time
}

// wrote notes a group written from started to ended, after waiting
// lingered for more writes.
func (l *writerLoad) wrote(started, ended time.Time, lingered time.Duration) {
	if !l.lastEnd.IsZero() {
		if span := ended.Sub(l.lastEnd) - lingered; span > 0 {
			l.share = 0.9*l.share + 0.1*min(float64(ended.Sub(started))/float64(span), 1)
		}
	}
	l.lastEnd = ended
}

// waited notes that a wait for more writes gathered n.
func (l *writerLoad) waited(n int) { l.gain = 0.9*l.gain + 0.1*float64(n) }

// worthWaiting reports whether a group that starts alone waits for more
// writes: the writer has lately been busy at least busyShareToLinger of
// the time, and its waits have gathered a write or more each.
func (l *writerLoad) worthWaiting() bool { return l.share >= busyShareToLinger && l.gain >= 1 }

// errStoreClosed answers writes asked for after Close.
var errStoreClosed = errors.New("the store is closed")

// writer runs the store's write transactions on its single write
// connection, and commits them in groups: the transactions that arrive
// while one is being written wait together and then run in one database
// transaction with one commit. A transaction that fails leaves the others
// in its group alone: the group is run again with each in a savepoint of
// its own, and the failed one is rolled back to its savepoint (see
// commitGroup). A failed commit fails them all. So each
// caller still sees its own transaction as atomic and committed when it
// returns, while a burst of writes costs one commit instead of one each —
// the commit is most of a small write's cost (why: docs/benchmarks.md,
// “Round 2”).
type writer struct {
	db    *sql.DB
	stmts *statements
	// committed is called after each commit.
	committed func()
	// linger is the group commit delay (see DefaultCommitDelay).
	linger time.Duration
	// fanOut is the store's fan-out cache, which the writer keeps exact
	// across groups (see fanOutCache).
	fanOut *fanOutCache

	// closing guards sending on requests against close: a send holds it
	// for reading, close for writing, so nothing is queued after the
	// writer has answered what was left.
	closing  sync.RWMutex
	closed   bool
	requests chan *writeRequest
	stop     chan struct{}
	stopped  chan struct{}

	// busyNanos, groups and transactions count the writer's work since it
	// started (see WriterStats).
	busyNanos, groups, transactions atomic.Int64
	// load is the writer's recent load; only run uses it.
	load writerLoad
}

// writeRequest is one caller's transaction.
type writeRequest struct {
	ctx  context.Context
	fn   func(tx txn) error
	done chan error
}

// panicked carries a panic of a transaction's function back to its caller.
type panicked struct{ value any }

func (p panicked) Error() string { return fmt.Sprint("write transaction panicked: ", p.value) }

// startWriter starts the writer of db with a group commit delay of linger
// (none if not positive); committed, if not nil, is called after each
// commit and must not block.
func startWriter(db *sql.DB, linger time.Duration, committed func()) *writer {
	if committed == nil {
		committed = func() {}
	}
	w := &writer{
		db:        db,
		stmts:     newStatements(db),
		committed: committed,
		linger:    linger,
		fanOut:    &fanOutCache{},
		requests:  make(chan *writeRequest, maxWritesPerCommit),
		stop:      make(chan struct{}),
		stopped:   make(chan struct{}),
	}
	go w.run()
	return w
}

// do runs fn in a write transaction and returns once it is committed or
// rolled back. fn must use only tx for the database, and must not call
// do. It may be run twice, the first run rolled back (when another
// transaction of its group fails): so it must have no effect but its
// writes through tx and setting, not adding to, its results. A ctx that
// ends before fn starts keeps it from running; once it runs, it runs to
// its end.
func (w *writer) do(ctx context.Context, fn func(tx txn) error) error {
	r := &writeRequest{ctx: ctx, fn: fn, done: make(chan error, 1)}
	if err := w.enqueue(r); err != nil {
		return err
	}
	// The writer has the request: wait for its outcome even if ctx ends,
	// since it may commit.
	err := <-r.done
	if p, ok := err.(panicked); ok {
		panic(p.value)
	}
	return err
}

func (w *writer) enqueue(r *writeRequest) error {
	w.closing.RLock()
	defer w.closing.RUnlock()
	if w.closed {
		return errStoreClosed
	}
	select {
	case w.requests <- r:
		return nil
	case <-r.ctx.Done():
		return r.ctx.Err()
	}
}

// close stops the writer after the group it is writing, and closes its
// prepared statements. Writes asked for afterwards fail.
func (w *writer) close() error {
	w.closing.Lock()
	w.closed = true
	w.closing.Unlock()
	close(w.stop)
	<-w.stopped
	return w.stmts.close()
}

func (w *writer) run() {
	defer close(w.stopped)
	group := make([]*writeRequest, 0, maxWritesPerCommit)
	for {
		select {
		case r := <-w.requests:
			var lingered time.Duration
			group, lingered = w.collect(append(group[:0], r))
			started := time.Now()
			w.write(group)
			ended := time.Now()
			w.load.wrote(started, ended, lingered)
			w.busyNanos.Add(int64(ended.Sub(started)))
			w.groups.Add(1)
			w.transactions.Add(int64(len(group)))
			clear(group)
		case <-w.stop:
			w.refuseQueued()
			return
		}
	}
}

// stats reads the writer's counters.
func (w *writer) stats() hookbridge.WriterStats {
	return hookbridge.WriterStats{Busy: time.Duration(w.busyNanos.Load()), Commits: w.groups.Load(), Transactions: w.transactions.Load()}
}

// refuseQueued answers the requests still queued at close.
func (w *writer) refuseQueued() {
	for {
		select {
		case r := <-w.requests:
			r.done <- errStoreClosed
		default:
			return
		}
	}
}

// gather adds the requests already waiting to group.
func (w *writer) gather(group []*writeRequest) []*writeRequest {
	for len(group) < maxWritesPerCommit {
		select {
		case r := <-w.requests:
			group = append(group, r)
		default:
			return group
		}
	}
	return group
}

// collect completes the group that starts with group's requests: those
// waiting, and those that arrive within the commit delay when others are
// writing or waiting is worth it (see DefaultCommitDelay). It returns the
// group and how long it waited for more.
func (w *writer) collect(group []*writeRequest) ([]*writeRequest, time.Duration) {
	group = w.gather(group)
	if len(group) < lingerSiblings && !w.load.worthWaiting() {
		return group, 0
	}
	began, waiting := time.Now(), len(group)
	group = w.lingerFor(group)
	w.load.waited(len(group) - waiting)
	return group, time.Since(began)
}

// lingerFor adds to group the requests that arrive within w.linger, until
// it is full or the writer is stopping.
func (w *writer) lingerFor(group []*writeRequest) []*writeRequest {
	if w.linger <= 0 {
		return group
	}
	timer := time.NewTimer(w.linger)
	defer timer.Stop()
	for len(group) < maxWritesPerCommit {
		select {
		case r := <-w.requests:
			group = append(group, r)
		case <-timer.C:
			return group
		case <-w.stop:
			return group
		}
	}
	return group
}

// write runs a group of transactions in one database transaction and
// tells each caller its outcome.
func (w *writer) write(group []*writeRequest) {
	// Prepare what earlier transactions ran unprepared, while the
	// connection is free.
	_ = w.stmts.prepareMissed(context.Background()) // a failure only means running unprepared
	errs := w.commitGroup(group)
	for i, r := range group {
		r.done <- errs[i]
	}
}

// commitGroup runs a group's transactions one after the other in one
// database transaction and commits it. Nearly always every one of them
// succeeds; only if one fails is the whole rolled back and run again with
// each transaction in a savepoint of its own, so that the failed one's
// writes can be undone without undoing the others'. A savepoint costs two
// statements and a copy of every page it changes, which the common case
// does without (why: docs/benchmarks.md, “Round 6”).
func (w *writer) commitGroup(group []*writeRequest) []error {
	errs, done := w.commitWith(group, runTogether)
	if !done {
		errs, _ = w.commitWith(group, runInSavepoints)
	}
	return errs
}

// A groupRunner runs a group's transactions within t, recording each
// outcome in errs. It returns errRunAgain if the group must be rolled back
// and run again with savepoints, or another error if the transaction
// itself is broken.
type groupRunner func(t txn, group []*writeRequest, errs []error) error

var errRunAgain = errors.New("a transaction of the group failed: run the group again in savepoints")

// commitWith runs group with run in one database transaction and commits
// it. It reports false, with nothing written, if run asked for the group
// to be run again.
func (w *writer) commitWith(group []*writeRequest, run groupRunner) (errs []error, done bool) {
	errs = make([]error, len(group))
	tx, err := w.db.BeginTx(context.Background(), nil)
	if err != nil {
		return fill(errs, fmt.Errorf("begin: %w", err)), true
	}
	t := txn{Tx: tx, stmts: w.stmts, detached: true, fanOut: w.fanOut}
	w.fanOut.checkOthers(t)
	committed := false
	defer func() {
		if !committed {
			w.fanOut.invalidate() // a transaction of the group may have kept what is undone
		}
	}()
	if err := run(t, group, errs); err != nil {
		rbErr := rollback(tx)
		switch {
		case !errors.Is(err, errRunAgain):
			return fill(errs, errors.Join(err, rbErr)), true
		case rbErr != nil:
			return fill(errs, rbErr), true
		}
		return nil, false
	}
	if allFailed(errs) {
		// Each keeps its own error: after some (SQLITE_FULL) SQLite has
		// already rolled back, and the rollback's error says only that.
		if err := rollback(tx); err != nil {
			for i := range errs {
				errs[i] = errors.Join(errs[i], err)
			}
		}
		return errs, true
	}
	if err := tx.Commit(); err != nil {
		err = fmt.Errorf("commit: %w", err)
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		return errs, true
	}
	committed = true
	w.committed()
	return errs, true
}

// runTogether runs each request directly in t. A request whose context
// has ended is left out; one that fails makes the group run again, unless
// it is alone (then the failure is its own and t is rolled back).
func runTogether(t txn, group []*writeRequest, errs []error) error {
	for i, r := range group {
		if err := r.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		if errs[i] = runRequest(t, r); errs[i] != nil && len(group) > 1 {
			return errRunAgain
		}
	}
	return nil
}

// runInSavepoints runs each request in a savepoint of its own, undoing
// what a failed one wrote, and records each outcome in errs. It returns an
// error only if the transaction itself is broken and must be rolled back.
func runInSavepoints(t txn, group []*writeRequest, errs []error) error {
	ctx := context.Background()
	for i, r := range group {
		if err := r.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		if _, err := t.ExecContext(ctx, `SAVEPOINT request`); err != nil {
			return fmt.Errorf("savepoint: %w", err)
		}
		errs[i] = runRequest(t, r)
		if errs[i] != nil {
			if _, err := t.ExecContext(ctx, `ROLLBACK TO request`); err != nil {
				return fmt.Errorf("roll back to savepoint after %w: %w", errs[i], err)
			}
			t.endpointsChanged() // what it kept of its own changes is undone
		}
		if _, err := t.ExecContext(ctx, `RELEASE request`); err != nil {
			return fmt.Errorf("release savepoint: %w", err)
		}
	}
	return nil
}

// runRequest runs one caller's function, turning a panic into an error
// that do panics with again on the caller's goroutine.
func runRequest(t txn, r *writeRequest) (err error) {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	defer func() {
		if v := recover(); v != nil {
			err = panicked{value: v}
		}
	}()
	return r.fn(t)
}

func rollback(tx *sql.Tx) error {
	if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("roll back: %w", err)
	}
	return nil
}

func allFailed(errs []error) bool {
	for _, err := range errs {
		if err == nil {
			return false
		}
	}
	return true
}

func fill(errs []error, err error) []error {
	for i := range errs {
		errs[i] = err
	}
	return errs
}
