package lifecycle

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hookbridge/hookbridge/e2e/internal/realbin"
)

// binary is the hookbridge executable built for this package's tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hookbridge-lifecycle-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "hookbridge")
	code := 1
	if err := realbin.Build(binary, false); err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// serve starts hookbridge serve with the given environment (beyond the
// settings every test shares) and waits until it listens.
func serve(t *testing.T, dataDir string, env ...string) *realbin.Process {
	t.Helper()
	return realbin.Start(t, binary, "hookbridge", append([]string{
		"HOOKBRIDGE_ADDR=127.0.0.1:0",
		"HOOKBRIDGE_DATA_DIR=" + dataDir,
		"HOOKBRIDGE_ADMIN_TOKEN=" + adminToken,
		"HOOKBRIDGE_API_RATE_LIMIT=0", // the tests post thousands of events with one token
		"HOOKBRIDGE_LOG_LEVEL=info",
	}, env...))
}
