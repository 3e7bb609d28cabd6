package golden

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// Request writes a request as a golden file shows it: the request line,
// the headers sorted by name, a blank line and the body.
func Request(req *hookbridge.OutboundRequest) string {
	var b strings.Builder
	b.WriteString(req.Method + " " + req.URL + "\n")
	names := make([]string, 0, len(req.Headers))
	for name := range req.Headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		b.WriteString(name + ": " + req.Headers[name] + "\n")
	}
	b.WriteString("\n")
	b.Write(req.Body)
	b.WriteString("\n")
	return b.String()
}

// Check compares got with testdata/<name>, or rewrites the file with -update.
func Check(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
