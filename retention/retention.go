package retention

import (
	"context"
	"fmt"
	"time"
)

// DefaultDays is how long an app that sets no retention period keeps its
// messages.
const DefaultDays = 90

// MaxDays is the longest retention period an app may set (ten years).
const MaxDays = 3650

// Day is the unit of retention periods.
const Day = 24 * time.Hour

// Store is the storage a Pruner and the app settings API need. Package
// sqlite and package postgres implement it beside hookbridge.Store, and
// storetest holds both to it.
type Store interface {
	// AppRetentionDays returns the retention period an app has set, or 0
	// if it uses the default. hookbridge.ErrNotFound if there is no such
	// app.
	AppRetentionDays(ctx context.Context, appID string) (int, error)
	// SetAppRetentionDays sets an app's retention period; 0 returns it to
	// the default. hookbridge.ErrNotFound if there is no such app.
	SetAppRetentionDays(ctx context.Context, appID string, days int) error
	// RetentionDaysByApp returns the retention period of every app (0 for
	// those using the default).
	RetentionDaysByApp(ctx context.Context) (map[string]int, error)
	// PruneMessages deletes, in one short transaction, up to limit
	// messages of an app created before cutoff, oldest first, together
	// with their deliveries and those deliveries' attempts, and says how
	// many messages it deleted. A message with a pending delivery is never
	// deleted. Rows that another transaction holds may be skipped, to be
	// taken by a later call.
	PruneMessages(ctx context.Context, appID string, cutoff time.Time, limit int) (int, error)
}

// ValidateDays checks a retention period an app asks for: 0 (the default)
// or 1 to MaxDays.
func ValidateDays(days int) error {
	if days < 0 || days > MaxDays {
		return fmt.Errorf("must be between 1 and %d days, or 0 for the default (%d days)", MaxDays, DefaultDays)
	}
	return nil
}

// Effective returns the period that applies to an app whose setting is
// days (0: the default given, or DefaultDays if that is 0 too).
func Effective(days, defaultDays int) int {
	switch {
	case days > 0:
		return days
	case defaultDays > 0:
		return defaultDays
	}
	return DefaultDays
}

// Cutoff is the creation time before which an app's messages may be
// deleted at now, for a retention period of days.
func Cutoff(now time.Time, days int) time.Time {
	return now.Add(-time.Duration(days) * Day)
}
