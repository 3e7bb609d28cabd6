package hookbridge

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a time.Duration that reads and writes JSON as a string such
// as "5s", "30m", "2h" or "5d" (days), the way people write schedules.
type Duration time.Duration

// MarshalJSON writes d as a string, e.g. "5m" or "1h30m".
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(FormatDuration(time.Duration(d)))
}

// UnmarshalJSON reads a string that ParseDuration accepts.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New(`a duration is a string such as "5s", "30m", "2h" or "5d"`)
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// ParseDuration reads a duration as time.ParseDuration does ("90s",
// "1h30m"), and also whole days ("5d", "2d12h"). Negative durations are
// refused.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var days time.Duration
	if before, after, found := strings.Cut(s, "d"); found {
		n, err := strconv.ParseUint(before, 10, 16)
		if err != nil {
			return 0, fmt.Errorf("duration %q: days must be a whole number, as in \"5d\"", s)
		}
		days, s = time.Duration(n)*24*time.Hour, after
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("duration %q: use a number with a unit, such as \"5s\", \"30m\", \"2h\" or \"5d\"", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("duration %q must not be negative", s)
	}
	if days+d < days {
		return 0, fmt.Errorf("duration %q is too long", s)
	}
	return days + d, nil
}

// FormatDuration writes d compactly: "0s", "5s", "5m", "1h30m", "5d",
// "1d2h". Fractions of a second are kept as time.Duration writes them.
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	if d < 0 || d%time.Second != 0 {
		return d.String()
	}
	var b strings.Builder
	const day = 24 * time.Hour
	for _, unit := range []struct {
		size time.Duration
		name string
	}{{day, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}} {
		if n := d / unit.size; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, unit.name)
			d -= n * unit.size
		}
	}
	return b.String()
}
