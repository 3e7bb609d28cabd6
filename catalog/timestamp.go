package catalog

import (
	"encoding/json"
	"fmt"
	"time"
)

// TimestampLayout is how the platform writes every date-time: RFC 3339 in
// UTC with exactly six fractional digits, e.g. "2025-08-04T05:30:45.182629Z".
const TimestampLayout = "2006-01-02T15:04:05.000000Z07:00"

// Timestamp is a date-time in a payload. It is written in TimestampLayout,
// always in UTC, and read from any RFC 3339 date-time, so that payloads from
// the platform decode and re-encode to the same text.
type Timestamp struct {
	time.Time
}

// MarshalJSON writes the time in UTC with microsecond precision. Like
// time.Time, it refuses years that RFC 3339 cannot express.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	utc := t.UTC()
	if year := utc.Year(); year < 0 || year > 9999 {
		return nil, fmt.Errorf("timestamp: year %d outside [0,9999]", year)
	}
	return json.Marshal(utc.Format(TimestampLayout))
}

// UnmarshalJSON reads an RFC 3339 date-time. A JSON null leaves t unchanged,
// as encoding/json does for its own types.
func (t *Timestamp) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	var text string
	if err := json.Unmarshal(data, &text); err != nil {
		return fmt.Errorf("timestamp: %w", err)
	}
	parsed, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		return fmt.Errorf("timestamp: %w", err)
	}
	t.Time = parsed
	return nil
}
