// Package migration applies numbered SQL schema migrations to a database
// through database/sql: files named NNNN_name.sql, applied in order, each in
// its own transaction, recorded in a schema_migrations table.
//
// It is a deliberately small replacement for a migration framework: the
// stores ship their migrations in the binary (embed.FS) and call Run when
// they open. It knows nothing about any particular database beyond the small
// Dialect a store hands it (bind placeholder style and an optional lock so
// that several processes starting at once apply each migration once). It must
// not import a database driver, and it has no "down" migrations: a schema
// change that needs undoing is a new migration.
//
// Why not goose: it brings about a hundred modules into go.sum and would
// move the modernc.org/libc version that modernc.org/sqlite pins, while
// what hookbridge needs fits in one file.
package migration
