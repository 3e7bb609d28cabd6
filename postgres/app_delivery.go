package postgres

import (
	"context"

	"github.com/hookbridge/hookbridge"
)

// UpdateAppDelivery stores an app's retry schedule and the time after
// which a failing endpoint is disabled, leaving its other fields alone.
func (s *Store) UpdateAppDelivery(ctx context.Context, app *hookbridge.App) error {
	tag, err := s.pool.Exec(ctx,
		`UPDATE apps SET retry_schedule = $2, disable_endpoint_after = $3 WHERE id = $1`,
		app.ID, scheduleNanos(app.RetrySchedule), int64(app.DisableEndpointAfter))
	if err != nil {
		return dbError("update app", err)
	}
	if tag.RowsAffected() == 0 {
		return notFound("update app")
	}
	return nil
}

// scheduleNanos stores a retry schedule as nanoseconds (never nil: the
// column is NOT NULL).
func scheduleNanos(schedule []hookbridge.Duration) []int64 {
	out := make([]int64, len(schedule))
	for i, d := range schedule {
		out[i] = int64(d)
	}
	return out
}

func scheduleOf(nanos []int64) []hookbridge.Duration {
	if len(nanos) == 0 {
		return nil
	}
	out := make([]hookbridge.Duration, len(nanos))
	for i, n := range nanos {
		out[i] = hookbridge.Duration(n)
	}
	return out
}
