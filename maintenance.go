package hookbridge

import (
	"context"
	"time"
)

// QueueStats describes the deliveries waiting to be made, for monitoring.
type QueueStats struct {
	// Pending counts deliveries not yet final; Due those of them whose
	// next attempt time has come.
	Pending int
	Due     int
	// OldestPendingCreatedAt is when the oldest pending delivery was
	// queued; zero if none is pending.
	OldestPendingCreatedAt time.Time
	// OldestDueAt is the earliest next attempt time of a due delivery:
	// how far behind the workers are. Zero if none is due.
	OldestDueAt time.Time
}

// WriterStats is what a store's single writer (SQLite's) has done since
// the store opened, for monitoring. Busy over elapsed time is how much of
// the writer's capacity is in use: near 1, writes queue for it, and the
// store is at what one writer can do (docs/scaling.md).
type WriterStats struct {
	// Busy is the time spent running and committing groups of
	// transactions.
	Busy time.Duration
	// Commits counts the groups committed (or rolled back) together.
	Commits int64
	// Transactions counts the callers' transactions in them.
	Transactions int64
}

// MaintenanceStore answers operators' questions about the whole store and
// carries out whole-store chores.
type MaintenanceStore interface {
	// QueueStats counts pending deliveries of every app, as of now.
	QueueStats(ctx context.Context, now time.Time) (*QueueStats, error)
	// ResealSecrets seals again, with the store's Cipher, every sealed
	// value (endpoint credentials, source secrets) for which stale returns
	// true, and says how many it resealed. It works row by row, each in a
	// short transaction that re-reads the row, so that it may run while
	// other processes use the store; a row changed meanwhile is sealed
	// afresh by whoever changed it and is left alone.
	ResealSecrets(ctx context.Context, stale func(sealed []byte) bool) (int, error)
}
