// Package retention keeps history from growing without end: it deletes
// messages older than their app's retention period, together with their
// deliveries and attempts, in small batches that do not hold up delivery.
//
// An app keeps its messages for DefaultDays (90) unless it sets its own
// period (retention_days, PATCH /api/v1/apps/{app}). A Pruner runs in every
// node; each round it walks the apps and asks the store to delete, in
// transactions of at most BatchSize messages with a pause between them,
// messages created before the app's cutoff. The store decides row by row
// what may go: a message with a pending delivery is never deleted,
// whatever its age, so pruning cannot lose work. On PostgreSQL the batches
// skip rows other nodes hold, so pruners on several nodes split the work
// instead of queueing behind each other.
//
// This package holds the policy (how old, how much at once, how often) and
// the Store contract that package sqlite and package postgres implement;
// it must not know SQL, and it must not delete anything itself.
package retention
