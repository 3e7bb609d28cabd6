package migration

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// Table is the name of the table that records applied migrations.
const Table = "schema_migrations"

// ErrNewerSchema is the error of Run, Apply and Pending when the database
// records a migration this program does not know: a newer version of it
// migrated the database. Migrations only add, so a running older process
// may go on working; it must not migrate, nor start afresh.
var ErrNewerSchema = errors.New("the database was migrated by a newer version of this program")

// Dialect is what the runner needs to know about a database.
type Dialect struct {
	// Name names the database in error messages ("sqlite", "postgres").
	Name string
	// Placeholder returns the bind parameter marker of the n-th argument
	// of a statement, counting from 1: "?" or "$1".
	Placeholder func(n int) string
	// Lock, if not nil, is called first in every transaction the runner
	// opens. It must block until no other runner holds the lock, and the
	// lock must end with the transaction (Postgres: pg_advisory_xact_lock),
	// so that several processes starting at once apply each migration once.
	// A database with a single writer (SQLite) needs none.
	Lock func(ctx context.Context, tx *sql.Tx) error
}

// SQLite returns the dialect of SQLite: "?" placeholders and no lock, as its
// writes are serialised by the database itself (open the handle with
// immediate transactions so that the first statement takes the write lock).
func SQLite() Dialect {
	return Dialect{Name: "sqlite", Placeholder: QuestionMark}
}

// Postgres returns the dialect of PostgreSQL: "$n" placeholders and a
// transaction-scoped advisory lock on lockKey, which should be a constant
// that no other part of the application uses for advisory locks.
func Postgres(lockKey int64) Dialect {
	return Dialect{
		Name:        "postgres",
		Placeholder: DollarNumber,
		Lock: func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", lockKey)
			return err
		},
	}
}

// QuestionMark is the placeholder style of SQLite and MySQL: "?".
func QuestionMark(int) string { return "?" }

// DollarNumber is the placeholder style of PostgreSQL: "$1", "$2", ….
func DollarNumber(n int) string { return "$" + strconv.Itoa(n) }

// Migration is one schema change read from a file.
type Migration struct {
	Version int64
	Name    string
	// File is the file name, e.g. "0001_init.sql".
	File string
	SQL  string
}

var fileNamePattern = regexp.MustCompile(`^([0-9]+)_([A-Za-z0-9_-]+)\.sql$`)

// Load reads the migrations at the root of fsys (files NNNN_name.sql; other
// files are ignored, a .sql file named otherwise is an error) and checks
// that their versions run 1, 2, 3 … without a gap or a repeat. Use fs.Sub to
// point at a directory of an embed.FS.
func Load(fsys fs.FS) ([]Migration, error) {
	matches, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	migrations := make([]Migration, 0, len(matches))
	for _, file := range matches {
		m, err := readMigration(fsys, file)
		if err != nil {
			return nil, err
		}
		migrations = append(migrations, m)
	}
	slices.SortFunc(migrations, func(a, b Migration) int { return compareInt64(a.Version, b.Version) })
	for i, m := range migrations {
		if want := int64(i + 1); m.Version != want {
			return nil, fmt.Errorf("migration %s: expected version %d (versions must run 1, 2, 3 … without gaps or repeats)", m.File, want)
		}
	}
	return migrations, nil
}

func readMigration(fsys fs.FS, file string) (Migration, error) {
	parts := fileNamePattern.FindStringSubmatch(file)
	if parts == nil {
		return Migration{}, fmt.Errorf("migration %s: name must look like 0001_create_things.sql", file)
	}
	version, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return Migration{}, fmt.Errorf("migration %s: version: %w", file, err)
	}
	body, err := fs.ReadFile(fsys, file)
	if err != nil {
		return Migration{}, fmt.Errorf("read migration %s: %w", file, err)
	}
	return Migration{Version: version, Name: parts[2], File: file, SQL: string(body)}, nil
}

func compareInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Run applies the migrations of fsys (see Load) that db has not applied yet,
// in order, each in its own transaction together with its row in
// schema_migrations, and returns how many it applied. Running it again is a
// no-op. It fails without changing anything if the database records a
// version that fsys does not have (a newer binary migrated it) or a set of
// versions with a gap.
//
// Each file is executed as one statement string, so the driver must accept
// several statements in one Exec without arguments (modernc.org/sqlite and
// pgx's stdlib do). Statements that cannot run inside a transaction (CREATE
// INDEX CONCURRENTLY) are not supported.
func Run(ctx context.Context, db *sql.DB, fsys fs.FS, dialect Dialect) (applied int, err error) {
	ran, err := Apply(ctx, db, fsys, dialect)
	return len(ran), err
}

// Apply is Run that returns the migrations this call applied, in order
// (those another process applied meanwhile are not among them), for a
// command that reports what it did. On error it returns those applied
// before the failure.
func Apply(ctx context.Context, db *sql.DB, fsys fs.FS, dialect Dialect) ([]Migration, error) {
	migrations, err := Load(fsys)
	if err != nil {
		return nil, err
	}
	if err := ensureTable(ctx, db, dialect); err != nil {
		return nil, err
	}
	var ran []Migration
	for _, m := range migrations {
		done, err := apply(ctx, db, dialect, migrations, m)
		if err != nil {
			return ran, err
		}
		if done {
			ran = append(ran, m)
		}
	}
	return ran, nil
}

// Pending says how many migrations of fsys db has not applied yet, for a
// readiness check. It fails if the schema_migrations table does not exist
// (Run never ran) or if the applied versions do not match fsys.
func Pending(ctx context.Context, db *sql.DB, fsys fs.FS) (int, error) {
	migrations, err := Load(fsys)
	if err != nil {
		return 0, err
	}
	versions, err := appliedVersions(ctx, db)
	if err != nil {
		return 0, err
	}
	if err := checkApplied(migrations, versions); err != nil {
		return 0, err
	}
	return len(migrations) - len(versions), nil
}

func ensureTable(ctx context.Context, db *sql.DB, dialect Dialect) error {
	return inTx(ctx, db, dialect, func(tx *sql.Tx) error {
		// applied_at is text (RFC 3339, UTC) so that one definition suits
		// every database; nothing but people read it.
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+Table+` (
			version    BIGINT PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at TEXT NOT NULL
		)`)
		if err != nil {
			return fmt.Errorf("create %s: %w", Table, err)
		}
		return nil
	})
}

// apply runs m unless it is already applied, and reports whether it ran.
// The applied versions are read after taking the lock, so a migration that
// another process applied meanwhile is seen and skipped.
func apply(ctx context.Context, db *sql.DB, dialect Dialect, all []Migration, m Migration) (ran bool, err error) {
	err = inTx(ctx, db, dialect, func(tx *sql.Tx) error {
		versions, err := appliedVersions(ctx, tx)
		if err != nil {
			return err
		}
		if err := checkApplied(all, versions); err != nil {
			return err
		}
		if slices.Contains(versions, m.Version) {
			return nil
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("apply migration %s: %w", m.File, err)
		}
		insert := fmt.Sprintf("INSERT INTO %s (version, name, applied_at) VALUES (%s, %s, %s)",
			Table, dialect.Placeholder(1), dialect.Placeholder(2), dialect.Placeholder(3))
		now := time.Now().UTC().Format(time.RFC3339Nano)
		if _, err := tx.ExecContext(ctx, insert, m.Version, m.Name, now); err != nil {
			return fmt.Errorf("record migration %s: %w", m.File, err)
		}
		ran = true
		return nil
	})
	return ran, err
}

// checkApplied makes sure the applied versions are exactly 1 … n for some n
// no greater than the number of migrations known.
func checkApplied(all []Migration, versions []int64) error {
	for i, v := range versions {
		if v > int64(len(all)) || v < 1 {
			return fmt.Errorf("database has migration version %d, unknown to this program (%d known): %w", v, len(all), ErrNewerSchema)
		}
		if want := int64(i + 1); v != want {
			return fmt.Errorf("database migrations have a gap: version %d is missing", want)
		}
	}
	return nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func appliedVersions(ctx context.Context, q querier) ([]int64, error) {
	rows, err := q.QueryContext(ctx, "SELECT version FROM "+Table+" ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", Table, err)
	}
	defer rows.Close()
	var versions []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read %s: %w", Table, err)
		}
		versions = append(versions, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", Table, err)
	}
	return versions, nil
}

func inTx(ctx context.Context, db *sql.DB, dialect Dialect, fn func(tx *sql.Tx) error) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin migration transaction: %w", err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, rollback(tx))
		}
	}()
	if dialect.Lock != nil {
		if err := dialect.Lock(ctx, tx); err != nil {
			return fmt.Errorf("take %s migration lock: %w", dialect.Name, err)
		}
	}
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit migration transaction: %w", err)
	}
	return nil
}

func rollback(tx *sql.Tx) error {
	if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("roll back migration transaction: %w", err)
	}
	return nil
}
