package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	sqlitedriver "modernc.org/sqlite"

	"github.com/hookbridge/hookbridge/storetest"
)

func openInternalStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "writer.db"), storetest.NewTestCipher())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.write.Exec(`CREATE TABLE scratch (v INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return s
}

func insertScratch(v int) func(tx txn) error {
	return func(tx txn) error {
		_, err := tx.ExecContext(context.Background(), `INSERT INTO scratch (v) VALUES (?)`, v)
		return err
	}
}

func scratchValues(t *testing.T, s *Store) []int {
	t.Helper()
	rows, err := s.read.Query(`SELECT v FROM scratch ORDER BY v`)
	values, err := collect(rows, err, func(r scanner) (int, error) {
		var v int
		err := r.Scan(&v)
		return v, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return values
}

// holdWriter makes the writer busy with a transaction that waits until the
// returned function is called, so that writes asked for meanwhile are
// committed together.
func holdWriter(t *testing.T, s *Store) (release func()) {
	t.Helper()
	started, proceed := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.inWriteTx(t.Context(), func(tx txn) error {
			close(started)
			<-proceed
			return insertScratch(0)(tx)
		})
	}()
	<-started
	return func() {
		close(proceed)
		if err := <-done; err != nil {
			t.Errorf("holding transaction: %v", err)
		}
	}
}

// TestGroupCommitKeepsEachTransactionAtomic: transactions that wait
// together are committed in one database transaction, yet one that fails
// after writing leaves no trace and does not undo the others. Without a
// failure each runs once; with one, the group is run again (the first run
// undone, having stopped at the failure), and what is committed is the
// second run's, once.
func TestGroupCommitKeepsEachTransactionAtomic(t *testing.T) {
	broken := errors.New("changed my mind")
	for _, tt := range []struct {
		name    string
		failing int // the transaction that fails, 0 for none
	}{
		{"all succeed", 0},
		{"one fails", 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := openInternalStore(t)
			release := holdWriter(t, s)

			var (
				mu     sync.Mutex
				lastTx = map[int]*sql.Tx{} // transaction → the database transaction of its last run
				runs   = map[int]int{}
				wg     sync.WaitGroup
				errs   = make([]error, 6)
			)
			for i := 1; i <= 6; i++ {
				wg.Go(func() {
					errs[i-1] = s.inWriteTx(t.Context(), func(tx txn) error {
						mu.Lock()
						lastTx[i] = tx.Tx
						runs[i]++
						mu.Unlock()
						if err := insertScratch(i)(tx); err != nil {
							return err
						}
						if i == tt.failing {
							return broken // after writing: its row must go
						}
						return nil
					})
				})
				waitForQueuedWriters(t, s, i) // so that they are queued in order
			}
			release()
			wg.Wait()

			want := []int{0}
			for i, err := range errs {
				switch {
				case i+1 == tt.failing && !errors.Is(err, broken):
					t.Errorf("transaction %d: %v, want its own error", i+1, err)
				case i+1 != tt.failing && err != nil:
					t.Errorf("transaction %d: %v", i+1, err)
				case i+1 != tt.failing:
					want = append(want, i+1)
				}
				wantRuns := 1
				if i+1 <= tt.failing {
					wantRuns = 2 // up to the failure: in both runs
				}
				if runs[i+1] != wantRuns {
					t.Errorf("transaction %d ran %d times, want %d", i+1, runs[i+1], wantRuns)
				}
			}
			if got := scratchValues(t, s); !slices.Equal(got, want) {
				t.Errorf("committed %v, want %v", got, want)
			}
			committedIn := map[*sql.Tx]bool{}
			for _, tx := range lastTx {
				committedIn[tx] = true
			}
			if len(committedIn) != 1 {
				t.Errorf("the six waiting transactions were committed in %d database transactions, want 1", len(committedIn))
			}
		})
	}
}

// TestWriterStatsCountGroupsAndTheirTime: the writer's counters, which the
// metrics expose, count each group once, each transaction in it, and the
// time the groups took.
func TestWriterStatsCountGroupsAndTheirTime(t *testing.T) {
	s := openInternalStore(t)
	before := s.WriterStats()
	const held = 30 * time.Millisecond
	release := holdWriter(t, s)
	wg := queueWrites(t, s, 1, 2, 3, 4, 5)
	time.Sleep(held)
	release()
	wg.Wait()

	after := s.WriterStats()
	if commits := after.Commits - before.Commits; commits != 2 {
		t.Errorf("%d commits, want 2: the held transaction's, then the five queued behind it together", commits)
	}
	if txs := after.Transactions - before.Transactions; txs != 6 {
		t.Errorf("%d transactions counted, want 6", txs)
	}
	if busy := after.Busy - before.Busy; busy < held {
		t.Errorf("busy %v, want at least the %v the first group was held", busy, held)
	}
}

// TestWriterLingersWhenOthersAreWriting: a group that starts with others
// waiting waits for the writes that follow it closely, and commits them
// together.
func TestWriterLingersWhenOthersAreWriting(t *testing.T) {
	s := openInternalStore(t)
	s.writer.linger = 500 * time.Millisecond // long enough for a slow machine
	before := s.WriterStats()
	release := holdWriter(t, s)
	wg := queueWrites(t, s, 1, 2)
	release()
	time.Sleep(50 * time.Millisecond) // the group of two is lingering now
	if err := s.inWriteTx(t.Context(), insertScratch(3)); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if commits := s.WriterStats().Commits - before.Commits; commits != 2 {
		t.Errorf("%d commits, want 2: the held transaction's, then the two queued behind it with the one that followed", commits)
	}
	if got, want := scratchValues(t, s), []int{0, 1, 2, 3}; !slices.Equal(got, want) {
		t.Errorf("committed %v, want %v", got, want)
	}
}

// TestALoneWriteLingersWhenTheWriterIsBusy: a group that starts alone
// waits for the writes that follow it closely, and commits them together,
// when the writer has lately been busy at least half the time.
func TestALoneWriteLingersWhenTheWriterIsBusy(t *testing.T) {
	s := openInternalStore(t)
	s.writer.linger = 500 * time.Millisecond // long enough for a slow machine
	release := holdWriter(t, s)
	s.writer.load.share, s.writer.load.gain = 0.9, 3 // the writer's goroutine reads them only after release
	release()
	before := s.WriterStats()
	first := make(chan error, 1)
	go func() { first <- s.inWriteTx(t.Context(), insertScratch(1)) }()
	time.Sleep(50 * time.Millisecond) // the group of one is lingering now
	if err := s.inWriteTx(t.Context(), insertScratch(2)); err != nil {
		t.Fatal(err)
	}
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if commits := s.WriterStats().Commits - before.Commits; commits != 1 {
		t.Errorf("%d commits, want 1: the lone write waited for the one that followed", commits)
	}
}

// TestWriterLoad: a group that starts alone waits for more writes when
// the writer has lately been busy at least half the time (its waits left
// out) and its waits have lately gathered more writes.
func TestWriterLoad(t *testing.T) {
	start := time.Unix(0, 0)
	run := func(l *writerLoad, groups int, write, idle, lingered time.Duration, gathered int) {
		for range groups {
			started := l.lastEnd.Add(idle + lingered)
			if lingered > 0 {
				l.waited(gathered)
			}
			l.wrote(started, started.Add(write), lingered)
		}
	}
	var l writerLoad
	l.wrote(start, start, 0)
	run(&l, 50, time.Millisecond, 4*time.Millisecond, 0, 0)
	if l.worthWaiting() {
		t.Errorf("waits at a fifth of the time (share %.2f)", l.share)
	}
	run(&l, 50, 2*time.Millisecond, time.Millisecond, time.Millisecond, 4)
	if !l.worthWaiting() {
		t.Errorf("does not wait at two thirds of the time, its waits gathering four (share %.2f, gain %.2f)", l.share, l.gain)
	}
	run(&l, 50, 2*time.Millisecond, 0, time.Millisecond, 0)
	if l.worthWaiting() {
		t.Errorf("waits although its waits gather nothing (share %.2f, gain %.2f)", l.share, l.gain)
	}
	l.gain = 4
	run(&l, 50, time.Millisecond, 9*time.Millisecond, 0, 0)
	if l.worthWaiting() {
		t.Errorf("still waits after load fell to a tenth (share %.2f)", l.share)
	}
}

// TestWritesInTurnAreNotHeldBack: with nobody else writing, a caller's
// transactions are committed at once, however long the writer would wait
// for others: a lone write, and one caller writing one transaction after
// another, which keeps the writer busy.
func TestWritesInTurnAreNotHeldBack(t *testing.T) {
	for _, writes := range []int{1, 200} {
		t.Run(fmt.Sprint(writes), func(t *testing.T) {
			s := openInternalStore(t)
			s.writer.linger = time.Hour
			done := make(chan error, 1)
			go func() {
				for v := range writes {
					if err := s.inWriteTx(t.Context(), insertScratch(v)); err != nil {
						done <- err
						return
					}
				}
				done <- nil
			}()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("writes in turn waited for others")
			}
		})
	}
}

// TestCommitDelayIsAnOption: the writer lingers DefaultCommitDelay unless
// the store is opened with another delay.
func TestCommitDelayIsAnOption(t *testing.T) {
	for _, tc := range []struct {
		opts []Option
		want time.Duration
	}{
		{nil, DefaultCommitDelay},
		{[]Option{WithCommitDelay(5 * time.Millisecond)}, 5 * time.Millisecond},
		{[]Option{WithCommitDelay(-1)}, -1},
	} {
		s, err := Open(t.Context(), filepath.Join(t.TempDir(), "delay.db"), storetest.NewTestCipher(), tc.opts...)
		if err != nil {
			t.Fatal(err)
		}
		if s.writer.linger != tc.want {
			t.Errorf("linger %v, want %v", s.writer.linger, tc.want)
		}
		s.Close()
	}
}

// queueWrites starts a transaction for each value, inserting it, and
// waits until all are queued behind the (held) writer; the returned group
// is done when they have returned.
func queueWrites(t *testing.T, s *Store, values ...int) *sync.WaitGroup {
	t.Helper()
	var wg sync.WaitGroup
	for _, v := range values {
		wg.Go(func() {
			if err := s.inWriteTx(t.Context(), insertScratch(v)); err != nil {
				t.Errorf("transaction %d: %v", v, err)
			}
		})
	}
	waitForQueuedWriters(t, s, len(values))
	return &wg
}

// waitForQueuedWriters waits until n transactions are queued for the
// writer.
func waitForQueuedWriters(t *testing.T, s *Store, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(s.writer.requests) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d transactions queued after 10s, want %d", len(s.writer.requests), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestWriterPanicReachesTheCaller: a panic in a transaction's function is
// raised again in its caller, and the writer goes on serving.
func TestWriterPanicReachesTheCaller(t *testing.T) {
	s := openInternalStore(t)
	func() {
		defer func() {
			if v := recover(); v != "boom" {
				t.Errorf("recovered %v, want the transaction's panic", v)
			}
		}()
		_ = s.inWriteTx(t.Context(), func(tx txn) error {
			if err := insertScratch(1)(tx); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	if err := s.inWriteTx(t.Context(), insertScratch(2)); err != nil {
		t.Fatalf("write after a panic: %v", err)
	}
	if got := scratchValues(t, s); !slices.Equal(got, []int{2}) {
		t.Errorf("committed %v, want only the write after the panic", got)
	}
}

// TestWriterSkipsEndedContextsAndStopsAtClose: a transaction whose context
// ended before it ran writes nothing; after Close, writes fail.
func TestWriterSkipsEndedContextsAndStopsAtClose(t *testing.T) {
	s := openInternalStore(t)
	release := holdWriter(t, s)
	ctx, cancel := context.WithCancel(t.Context())
	ran := make(chan error, 1)
	go func() {
		ran <- s.inWriteTx(ctx, func(tx txn) error {
			t.Error("a transaction ran after its context ended")
			return nil
		})
	}()
	waitForQueuedWriters(t, s, 1)
	cancel()
	release()
	if err := <-ran; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled transaction: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.inWriteTx(t.Context(), insertScratch(9)); !errors.Is(err, errStoreClosed) {
		t.Errorf("write after close: %v, want %v", err, errStoreClosed)
	}
}

// TestAStartedWriteIsNotInterruptedByItsContext: a statement of a write
// transaction, run directly or prepared, runs to its end even if its
// caller's context ends meanwhile. Interrupted, SQLite would roll back the
// whole database transaction, and with it the other transactions of the
// group. The statement itself ends the context, a thousand rows in, and
// gives an interruption time to happen before it goes on.
func TestAStartedWriteIsNotInterruptedByItsContext(t *testing.T) {
	const slowInsert = `INSERT INTO scratch (v)
		WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 200000)
		SELECT end_test_context(x, 1000) FROM n`
	for _, tt := range []struct {
		name string
		run  func(ctx context.Context, tx txn) error
	}{
		{"run directly", func(ctx context.Context, tx txn) error {
			_, err := tx.ExecContext(ctx, slowInsert)
			return err
		}},
		{"prepared", func(ctx context.Context, tx txn) error {
			st, err := tx.PrepareContext(ctx, slowInsert)
			if err != nil {
				return err
			}
			defer st.Close()
			_, err = st.ExecContext(ctx)
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			registerEndTestContext(t)
			s := openInternalStore(t)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			endTestContext.Store(&cancel)
			defer endTestContext.Store(nil)
			err := s.inWriteTx(ctx, func(tx txn) error { return tt.run(ctx, tx) })
			if err != nil {
				t.Fatalf("write: %v, want it to run to its end", err)
			}
			if ctx.Err() == nil {
				t.Fatal("the statement did not end the context")
			}
			if n := len(scratchValues(t, s)); n != 200000 {
				t.Errorf("%d rows committed, want 200000", n)
			}
		})
	}
}

// endTestContext is what the SQL function end_test_context(x, at) calls
// when x reaches at: the context of the test running it.
var endTestContext atomic.Pointer[context.CancelFunc]

// registerEndTestContext registers end_test_context(x, at) with the driver,
// once for every connection opened afterwards: it returns x, and when x
// equals at it ends endTestContext's context and waits 20 ms, long enough
// for the driver to interrupt the statement if it were going to.
var registerEndTestContext = func() func(t *testing.T) {
	var once sync.Once
	return func(t *testing.T) {
		once.Do(func() {
			err := sqlitedriver.RegisterScalarFunction("end_test_context", 2,
				func(_ *sqlitedriver.FunctionContext, args []driver.Value) (driver.Value, error) {
					if args[0] == args[1] {
						if cancel := endTestContext.Load(); cancel != nil {
							(*cancel)()
							time.Sleep(20 * time.Millisecond)
						}
					}
					return args[0], nil
				})
			if err != nil {
				t.Fatalf("register end_test_context: %v", err)
			}
		})
	}
}()
