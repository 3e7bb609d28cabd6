package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Times are stored as INTEGER microseconds since the Unix epoch, UTC.

func toMicros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// atMicros is t as the store keeps it: UTC, to the microsecond.
func atMicros(t time.Time) time.Time { return fromMicros(toMicros(t)) }

func atMicrosPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	m := atMicros(*t)
	return &m
}

// toNullMicros stores a nil time, and a zero one, as NULL.
func toNullMicros(t *time.Time) sql.NullInt64 {
	if t == nil || t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: toMicros(*t), Valid: true}
}

func fromNullMicros(us sql.NullInt64) *time.Time {
	if !us.Valid {
		return nil
	}
	t := fromMicros(us.Int64)
	return &t
}

// nullString stores an empty string as NULL.
func nullString(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// toJSON encodes v for a JSON text column; nil maps and slices become {}
// and [] so that the column reads the same for "none" however it was given.
func toJSON[T any](v T, empty string) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	if string(b) == "null" {
		return empty, nil
	}
	return string(b), nil
}

func fromJSON[T any](column, text string) (T, error) {
	var v T
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return v, fmt.Errorf("decode %s: %w", column, err)
	}
	return v, nil
}

// isUniqueViolation reports whether err is a primary key or unique
// constraint failure (not a foreign key or NOT NULL one).
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}

// storageError marks an error of a write refused for lack of space
// (SQLITE_FULL: the disk is full or max_page_count is reached) with
// hookbridge.ErrStorageFull, and returns other errors as they are.
func storageError(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_FULL && !errors.Is(err, hookbridge.ErrStorageFull) {
		return fmt.Errorf("%w: %w", hookbridge.ErrStorageFull, err)
	}
	return err
}

// notFound turns sql.ErrNoRows into hookbridge.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return hookbridge.ErrNotFound
	}
	return err
}

// conditions builds the WHERE clause of a listing from optional filters.
type conditions struct {
	clauses []string
	args    []any
}

func (c *conditions) add(clause string, args ...any) {
	c.clauses = append(c.clauses, clause)
	c.args = append(c.args, args...)
}

// addIfSet adds clause with value as its argument, unless value is empty.
func (c *conditions) addIfSet(clause, value string) {
	if value != "" {
		c.add(clause, value)
	}
}

func (c *conditions) where() string {
	if len(c.clauses) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(c.clauses, " AND ")
}

// sqlLimit is the LIMIT of a listing: all rows when limit is not positive.
func sqlLimit(limit int) int {
	if limit <= 0 {
		return -1
	}
	return limit
}

// idList is an IN list of the ids in a JSON array given as its one
// argument (see jsonList): unlike a list of placeholders, its text does
// not depend on how many there are, so the statement is prepared once.
const idList = `(SELECT value FROM json_each(?))`

// jsonList encodes ids as a JSON array for idList.
func jsonList(ids []string) string {
	b, _ := json.Marshal(ids) // a []string always encodes
	return string(b)
}

// placeholders returns "?, ?, …" for n arguments.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// collect scans every row of rows with scan.
func collect[T any](rows *sql.Rows, err error, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
