//go:build !linux

package js

import "time"

// processCPUTime is not measured off Linux.
func processCPUTime() (time.Duration, bool) { return 0, false }
