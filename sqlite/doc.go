// Package sqlite implements hookbridge.Store on an embedded SQLite database
// (modernc.org/sqlite, pure Go): the default store, a single file under the
// data directory and no server to run.
//
// SQLite allows one writer at a time, so the store holds exactly one write
// connection, whose transactions begin IMMEDIATE (they take the write lock
// at once, so a transaction never reads and then fails to upgrade with
// SQLITE_BUSY_SNAPSHOT), and a separate pool of query-only connections for
// reads. The database runs in WAL mode so readers never wait for the writer.
// Its schema migrations are embedded and applied by Open.
//
// It also implements retention.Store (each app's retention period, and the
// pruning of old history in short write transactions).
//
// Endpoint credentials, secret endpoint headers and source signing secrets
// are stored only as the output of the Cipher given to Open. This package must not log, and must
// not put secrets or payloads into error messages. It serves one process:
// several hookbridge nodes sharing work need package postgres.
package sqlite
