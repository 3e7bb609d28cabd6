package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/internal/groupcommit"
)

// Store is a hookbridge.Store on a PostgreSQL database. It is safe for
// concurrent use, and several Stores (in one process or on many nodes) may
// share one database.
type Store struct {
	pool     *pgxpool.Pool
	cipher   hookbridge.Cipher
	listener *listener
	// ingest stores together the messages of concurrent CreateMessage
	// calls.
	ingest *groupcommit.Group[*hookbridge.Message, ingestResult]
}

var _ hookbridge.Store = (*Store)(nil)

// Option changes how Open sets up a Store.
type Option func(*options)

type options struct {
	log *slog.Logger
}

// WithLogger sets where the Store reports trouble it recovers from by itself
// (a lost LISTEN connection). The default discards these reports.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.log = l }
}

// Open connects to the database at databaseURL (a postgres:// URL or a
// key=value connection string), brings its schema up to date and returns a
// Store that seals secrets with cipher. Several processes may Open the same
// database at once: each migration is applied exactly once.
//
// The URL may tune the connection pool with pgxpool's parameters, such as
// pool_max_conns (default: 4 or the number of CPUs, whichever is greater).
// WaitForWork uses one connection more.
func Open(ctx context.Context, databaseURL string, cipher hookbridge.Cipher, opts ...Option) (*Store, error) {
	if cipher == nil {
		return nil, errors.New("open postgres store: a cipher is required")
	}
	o := options{log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(&o)
	}
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		// The parse error quotes the URL, which may hold a password.
		return nil, errors.New("open postgres store: the database URL cannot be parsed")
	}
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		scanTimesInUTC(c)
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres store: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres store: %w", err)
	}
	if _, err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres store: %w", err)
	}
	s := &Store{pool: pool, cipher: cipher, listener: newListener(cfg.ConnConfig, o.log, newSenderID())}
	s.ingest = newIngestGroup(s)
	if err := s.sealPlaintextHeaders(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres store: %w", err)
	}
	return s, nil
}

// scanTimesInUTC makes timestamptz values come back in UTC rather than the
// process's local zone, so that stored times compare equal to what was
// written.
func scanTimesInUTC(c *pgx.Conn) {
	c.TypeMap().RegisterType(&pgtype.Type{
		Name:  "timestamptz",
		OID:   pgtype.TimestamptzOID,
		Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC},
	})
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("ping postgres: %w", err)
	}
	return nil
}

// Close stops WaitForWork's listener and closes every connection. Calls in
// flight may fail.
func (s *Store) Close() error {
	s.listener.close()
	s.pool.Close()
	return nil
}

// querier is what both the pool and a transaction offer.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// queryAll runs a query on q and scans every row it finds with scan.
// Errors are dbError's, with doing.
func queryAll[T any](ctx context.Context, q querier, doing string, scan pgx.RowToFunc[T], sql string, args ...any) ([]T, error) {
	rows, _ := q.Query(ctx, sql, args...)
	found, err := pgx.CollectRows(rows, scan)
	if err != nil {
		return nil, dbError(doing, err)
	}
	return found, nil
}

// queryOne is queryAll for a query that must find exactly one row:
// hookbridge.ErrNotFound if it finds none.
func queryOne[T any](ctx context.Context, q querier, doing string, scan pgx.RowToFunc[T], sql string, args ...any) (T, error) {
	rows, _ := q.Query(ctx, sql, args...)
	found, err := pgx.CollectExactlyOneRow(rows, scan)
	if err != nil {
		var none T
		return none, dbError(doing, err)
	}
	return found, nil
}

// inTx runs fn in a transaction, committed if fn returns nil and rolled
// back otherwise.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

// Postgres error codes the store turns into domain errors.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
	codeDiskFull            = "53100"
	codeBadText             = "22021" // character_not_in_repertoire
	codeUntranslatable      = "22P05" // untranslatable_character
)

// dbError turns a database error into hookbridge.ErrConflict,
// hookbridge.ErrNotFound or hookbridge.ErrStorageFull where one applies,
// and wraps it with what was being done.
func dbError(doing string, err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s: %w", doing, hookbridge.ErrNotFound)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case codeUniqueViolation:
			return fmt.Errorf("%s: %w", doing, hookbridge.ErrConflict)
		case codeForeignKeyViolation:
			return fmt.Errorf("%s: %w (%s)", doing, hookbridge.ErrNotFound, pgErr.ConstraintName)
		case codeBadText, codeUntranslatable:
			// Text no row holds (a NUL byte, invalid UTF-8) finds nothing;
			// writes refuse such text before (hookbridge.Check…Storable).
			return fmt.Errorf("%s: %w", doing, hookbridge.ErrNotFound)
		case codeDiskFull:
			return fmt.Errorf("%s: %w: %w", doing, hookbridge.ErrStorageFull, err)
		}
	}
	return fmt.Errorf("%s: %w", doing, err)
}

// execOne runs a statement that must touch a row: hookbridge.ErrNotFound
// if it touched none.
func execOne(ctx context.Context, q querier, doing, sql string, args ...any) error {
	tag, err := q.Exec(ctx, sql, args...)
	if err != nil {
		return dbError(doing, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%s: %w", doing, hookbridge.ErrNotFound)
	}
	return nil
}

// utc returns t in UTC, so that what is written and what is read back agree.
func utc(t time.Time) time.Time { return t.UTC() }

// utcPtr is utc for optional times.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// orNow returns t, or the current time if t is zero.
func orNow(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now().UTC()
	}
	return t.UTC()
}

// updatedAt is the update time to store for a new row: the given one, or
// the creation time if none is given.
func updatedAt(created, updated time.Time) time.Time {
	if updated.IsZero() {
		return created.UTC()
	}
	return updated.UTC()
}
