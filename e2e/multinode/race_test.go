//go:build race

package multinode

// raceEnabled reports whether the test runs with the race detector; the
// hookbridge binary is then built with it too (which also reuses the
// packages the test run compiled).
const raceEnabled = true
