//go:build race

package delivery_test

// raceEnabled is true when the tests run with the race detector, which
// makes the dispatcher and the stores many times slower: tests that measure
// rates against the clock do not run then.
const raceEnabled = true
