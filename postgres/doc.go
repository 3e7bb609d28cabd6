// Package postgres implements hookbridge.Store on PostgreSQL, for
// installations where several hookbridge processes share one database and
// split the delivery work between them.
//
// Open connects, applies the embedded schema migrations (migrations/*.sql,
// through package migration, under an advisory lock so that processes
// starting at once apply each one once) and returns a Store. Workers on
// different nodes claim due deliveries with row leases taken by one
// UPDATE … FOR UPDATE SKIP LOCKED statement, so no delivery is held by two
// workers while a lease is valid. Store.WaitForWork wakes idle workers
// through LISTEN/NOTIFY on the channel hookbridge_deliveries as soon as any
// node queues work; it needs a session-level connection (a PgBouncer in
// transaction mode drops LISTEN), and workers must keep polling, as
// notifications are a hint, not a queue.
//
// It also implements retention.Store: each app's retention period, and
// PruneMessages, which deletes old history in small transactions that skip
// rows other nodes hold and never take a message with a pending delivery.
//
// Endpoint credentials, secret endpoint headers and source signing secrets
// are written only as the output of the Cipher given to Open. Message payloads and recorded bodies
// are bytea, kept byte for byte (jsonb would reorder keys).
//
// This package must not hold business rules (retry schedules, what a
// transformation does, who may see what beyond the app scoping of the Store
// contract), and must not log secrets or put them in errors.
package postgres
