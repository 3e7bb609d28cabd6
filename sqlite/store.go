package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/migration"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

//go:embed migrations/*.sql
var embeddedMigrations embed.FS

// Migrations returns the schema migrations of the store, as migration.Run
// reads them.
func Migrations() fs.FS {
	sub, err := fs.Sub(embeddedMigrations, "migrations")
	if err != nil {
		panic("sqlite: embedded migrations: " + err.Error())
	}
	return sub
}

// busyTimeoutMillis is how long a connection waits for a lock held by
// another process (a second hookbridge on the same file, a backup) before
// failing with SQLITE_BUSY.
const busyTimeoutMillis = 10_000

// Store is a hookbridge.Store on one SQLite database file.
type Store struct {
	// write is the only connection that writes; its transactions are
	// IMMEDIATE.
	write *sql.DB
	// writer runs transactions on write, committing them in groups.
	writer *writer
	// checkpointer copies the write-ahead log into the database file.
	checkpointer *checkpointer
	// read is a pool of query-only connections.
	read *sql.DB
	// readStmts keeps read's hot statements prepared.
	readStmts *statements
	cipher    hookbridge.Cipher
	// recent keeps the newest messages for the claims that follow.
	recent *recentMessages

	// lock, if Exclusive, keeps other processes from opening the file.
	lock *fileLock
	// takenBack counts the leases Open took back from a dead predecessor.
	takenBack int

	closeOnce sync.Once
	closeErr  error
}

var _ hookbridge.Store = (*Store)(nil)

// Open opens (creating it if needed) the database file at path, applies the
// schema migrations it lacks, and returns a Store that seals secrets with
// cipher. The path must name a file: an in-memory database cannot be shared
// by the write connection and the read pool.
func Open(ctx context.Context, path string, cipher hookbridge.Cipher, opts ...Option) (*Store, error) {
	o := options{commitDelay: DefaultCommitDelay}
	for _, opt := range opts {
		opt(&o)
	}
	if err := checkPath(path); err != nil {
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}
	if cipher == nil {
		return nil, errors.New("open sqlite store: no cipher")
	}
	var lock *fileLock
	if o.exclusive {
		var err error
		if lock, err = acquireLock(lockPath(path)); err != nil {
			return nil, fmt.Errorf("open sqlite store %s: %w", path, err)
		}
	}
	s, err := open(ctx, path, cipher, o)
	if err != nil {
		return nil, errors.Join(err, lock.unlock())
	}
	s.lock = lock
	return s, nil
}

// open opens the store once Open holds the lock it needs. Holding the file
// alone (o.exclusive), it takes back the leases of the process that held
// it before: that one died, or it would still hold the lock.
func open(ctx context.Context, path string, cipher hookbridge.Cipher, o options) (*Store, error) {
	write, err := openWriter(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open sqlite store %s: %w", path, err)
	}
	if _, err := migration.Run(ctx, write, Migrations(), migration.SQLite()); err != nil {
		return nil, errors.Join(fmt.Errorf("migrate sqlite store %s: %w", path, err), write.Close())
	}
	takenBack := 0
	if o.exclusive {
		if takenBack, err = takeBackAll(ctx, write); err != nil {
			return nil, errors.Join(fmt.Errorf("open sqlite store %s: %w", path, err), write.Close())
		}
	}
	read, err := openReaders(ctx, path)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite store %s: %w", path, err), write.Close())
	}
	checkpoints, err := openCheckpointer(ctx, path)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite store %s: %w", path, err), read.Close(), write.Close())
	}
	s := &Store{
		write: write, writer: startWriter(write, o.commitDelay, checkpoints.committed), checkpointer: checkpoints,
		read: read, readStmts: newStatements(read), cipher: cipher,
		recent: newRecentMessages(recentMessagesCount, recentMessagesBytes), takenBack: takenBack,
	}
	if err := s.sealPlaintextHeaders(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("open sqlite store %s: %w", path, err), s.Close())
	}
	return s, nil
}

// Option changes how Open opens a store.
type Option func(*options)

type options struct {
	commitDelay time.Duration
	exclusive   bool
}

// Exclusive makes Open hold the database file for this process alone, with
// an exclusive lock on a lock file beside it (the file's name and
// ".lock") into which it writes its pid, until Close. A second Open with
// Exclusive, in any process, fails with a *LockedError naming the holder.
// Holding the file alone, Open takes back every lease a dead predecessor
// left (see TakenBack) and forgets its nodes, so that what it had in
// flight is due at once instead of when the leases run out. Opens without
// Exclusive (hookbridge rotate-key, for one) are not refused.
func Exclusive() Option {
	return func(o *options) { o.exclusive = true }
}

// WithCommitDelay sets how long the writer waits for more transactions
// when others are writing before it commits a group (default
// DefaultCommitDelay; zero or negative: it never waits).
func WithCommitDelay(d time.Duration) Option {
	return func(o *options) { o.commitDelay = d }
}

func checkPath(path string) error {
	switch {
	case path == "":
		return errors.New("empty database path")
	case strings.Contains(path, ":memory:") || strings.Contains(path, "mode=memory"):
		return errors.New("an in-memory database cannot be shared by two connection pools; use a file")
	case strings.ContainsAny(path, "?#"):
		return fmt.Errorf("database path %q must not contain '?' or '#'", path)
	}
	return nil
}

// openWriter opens the single write connection. It sets the file to WAL
// (a persistent setting) before any reader connects.
func openWriter(ctx context.Context, path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn(path, url.Values{
		"_txlock": {"immediate"},
		"_pragma": {
			fmt.Sprintf("busy_timeout(%d)", busyTimeoutMillis),
			"journal_mode(WAL)",
			"synchronous(NORMAL)",
			"foreign_keys(ON)",
			// The savepoints of grouped transactions (see writer) keep
			// the pages they change in a sub-journal: in memory, not in a
			// temporary file written for every change.
			"temp_store(MEMORY)",
			// The checkpointer copies the log; this is its backstop.
			fmt.Sprintf("wal_autocheckpoint(%d)", writerCheckpointPages),
		},
	}))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("connect writer: %w", err), db.Close())
	}
	return db, nil
}

// openReaders opens the read pool. query_only makes any write through it
// fail, so a read can never turn into a write transaction by mistake.
func openReaders(ctx context.Context, path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn(path, url.Values{
		"_pragma": {
			fmt.Sprintf("busy_timeout(%d)", busyTimeoutMillis),
			"foreign_keys(ON)",
			"query_only(ON)",
		},
	}))
	if err != nil {
		return nil, err
	}
	readers := max(4, runtime.GOMAXPROCS(0))
	db.SetMaxOpenConns(readers)
	db.SetMaxIdleConns(readers)
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("connect readers: %w", err), db.Close())
	}
	return db, nil
}

// dsn names the file as a plain path (not a file: URI, whose path would be
// percent-decoded) followed by the driver's parameters.
func dsn(path string, params url.Values) string {
	return path + "?" + params.Encode()
}

// Ping checks that both the writer and the readers answer.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.write.PingContext(ctx); err != nil {
		return fmt.Errorf("ping sqlite writer: %w", err)
	}
	if err := s.read.PingContext(ctx); err != nil {
		return fmt.Errorf("ping sqlite readers: %w", err)
	}
	return nil
}

// TakenBack is how many leases Open took back from a dead predecessor
// (see Exclusive).
func (s *Store) TakenBack() int { return s.takenBack }

// WriterStats tells what the single writer has done since the store
// opened; metrics expose it.
func (s *Store) WriterStats() hookbridge.WriterStats { return s.writer.stats() }

// Close stops the writer, then closes the readers and the writer
// connection, after letting SQLite refresh its query planner statistics.
// Closing again does nothing.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		writerErr := s.writer.close()
		checkpointerErr := s.checkpointer.close()
		readStmtsErr := s.readStmts.close()
		_, optimizeErr := s.write.Exec("PRAGMA optimize")
		readErr := s.read.Close()
		writeErr := s.write.Close()
		lockErr := s.lock.unlock()
		if err := errors.Join(writerErr, checkpointerErr, readStmtsErr, optimizeErr, readErr, writeErr, lockErr); err != nil {
			s.closeErr = fmt.Errorf("close sqlite store: %w", err)
		}
	})
	return s.closeErr
}

// inWriteTx runs fn in an IMMEDIATE transaction on the write connection,
// possibly together with other callers' (see writer), and commits if fn
// returns nil. It returns once the outcome is durable or undone. fn may
// run twice, its first run undone (see writer.do): it must only write
// through tx and set its results.
func (s *Store) inWriteTx(ctx context.Context, fn func(tx txn) error) error {
	return storageError(s.writer.do(ctx, fn))
}

// exec runs a statement on the write connection outside the writer's
// transactions.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := s.write.ExecContext(ctx, query, args...)
	return res, storageError(err)
}

// readTx begins a read-only transaction: one snapshot, no write lock. end
// finishes it and prepares the statements it ran unprepared.
func (s *Store) readTx(ctx context.Context) (tx txn, end func(), err error) {
	sqlTx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return txn{}, nil, err
	}
	end = func() {
		_ = sqlTx.Rollback() // read-only; nothing to undo
		_ = s.readStmts.prepareMissed(ctx)
	}
	return txn{Tx: sqlTx, stmts: s.readStmts}, end, nil
}

// queryRow runs a hot single-row query on the read pool, prepared.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	st := s.readStmts.lookup(query)
	if st == nil && s.readStmts.prepareMissed(ctx) == nil {
		st = s.readStmts.lookup(query)
	}
	if st == nil {
		return s.read.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// execOne runs a write statement that must touch exactly one row;
// ErrNotFound if it touched none.
func execOne(ctx context.Context, db execer, query string, args ...any) error {
	n, err := affected(db.ExecContext(ctx, query, args...))
	if err != nil {
		return storageError(err)
	}
	if n == 0 {
		return hookbridge.ErrNotFound
	}
	return nil
}

// affected says how many rows the statement that gave res and err changed.
func affected(res sql.Result, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}
