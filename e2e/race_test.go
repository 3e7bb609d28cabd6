//go:build race

package e2e

// raceEnabled is true when the tests run with the race detector, which
// makes the embedded database and the sandbox many times slower: tests that
// compare how long things take allow for it.
const raceEnabled = true
