package multinode

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge/e2e/internal/realbin"
)

// buildBinary builds cmd/hookbridge into a temporary directory, with the
// race detector if the test has it, and returns the executable's path.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hookbridge")
	started := time.Now()
	if err := realbin.Build(bin, raceEnabled); err != nil {
		t.Fatal(err)
	}
	t.Logf("built hookbridge in %v", time.Since(started).Round(time.Millisecond))
	return bin
}
