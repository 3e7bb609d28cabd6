package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hookbridge/hookbridge"
)

// UpdateAppDelivery stores an app's retry schedule and the time after
// which a failing endpoint is disabled, leaving its other fields alone.
func (s *Store) UpdateAppDelivery(ctx context.Context, app *hookbridge.App) error {
	schedule, err := encodeSchedule(app.RetrySchedule)
	if err != nil {
		return fmt.Errorf("update app %s: %w", app.ID, err)
	}
	err = execOne(ctx, s.write,
		`UPDATE apps SET retry_schedule = ?, disable_endpoint_after = ? WHERE id = ?`,
		schedule, int64(app.DisableEndpointAfter), app.ID)
	if err != nil {
		return fmt.Errorf("update app %s: %w", app.ID, err)
	}
	return nil
}

// encodeSchedule stores a retry schedule as a JSON array of nanoseconds.
func encodeSchedule(schedule []hookbridge.Duration) (string, error) {
	nanos := make([]int64, len(schedule))
	for i, d := range schedule {
		nanos[i] = int64(d)
	}
	b, err := json.Marshal(nanos)
	if err != nil {
		return "", fmt.Errorf("encode retry schedule: %w", err)
	}
	return string(b), nil
}

func decodeSchedule(text string) ([]hookbridge.Duration, error) {
	nanos, err := fromJSON[[]int64]("retry schedule", text)
	if err != nil || len(nanos) == 0 {
		return nil, err
	}
	out := make([]hookbridge.Duration, len(nanos))
	for i, n := range nanos {
		out[i] = hookbridge.Duration(n)
	}
	return out, nil
}
