package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge/node"
)

var update = flag.Bool("update", false, "rewrite docs/configuration.md from the setting table")

// TestConfigurationDoc keeps docs/configuration.md in step with the
// settings serve really reads.
func TestConfigurationDoc(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Configuration\n\n")
	b.WriteString("Every setting of `hookbridge serve` can be given as a flag, as an environment variable, or\n")
	b.WriteString("in a configuration file named by `--config` or `HOOKBRIDGE_CONFIG`: lines of `KEY=VALUE` whose\n")
	b.WriteString("keys are the environment variables below (the format of systemd's `EnvironmentFile` and\n")
	b.WriteString("`docker --env-file`; `#` starts a comment, values may be quoted). A flag wins over the\n")
	b.WriteString("environment, the environment over the file, the file over the default. `hookbridge config`\n")
	b.WriteString("prints the effective values, secrets hidden.\n\n")
	b.WriteString("This file is generated from the setting table in `cmd/hookbridge/config.go` by\n")
	b.WriteString("`go test ./cmd/hookbridge -run TestConfigurationDoc -update`.\n\n")
	b.WriteString("| flag | environment variable | default | secret | meaning |\n| --- | --- | --- | --- | --- |\n")
	for _, st := range settingTable {
		def := st.Default
		if def == "" {
			def = "(none)"
		}
		secret := ""
		if st.Secret {
			secret = "yes"
		}
		fmt.Fprintf(&b, "| `--%s` | `%s` | `%s` | %s | %s |\n", st.Flag, st.Env, def, secret, st.Help)
	}
	fmt.Fprintf(&b, runtimeSettingsDoc, node.DefaultGCPercent)
	const path = "../../docs/configuration.md"
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != b.String() {
		t.Fatalf("%s is out of date: run go test ./cmd/hookbridge -run TestConfigurationDoc -update", path)
	}
}

// runtimeSettingsDoc ends docs/configuration.md: the Go runtime's own
// settings, which serve reads only from the environment.
const runtimeSettingsDoc = `
## Transformations running at once

Every transformation run — a delivery's, a test run's (` + "`POST …/transformations/test`" + `), the
check of an endpoint's new or changed code — is admitted first: at most ` + "`--transform-concurrency`" + ` run at
once (by default twice GOMAXPROCS: 4 on two cores), at most ` + "`--transform-app-concurrency`" + ` of
them one app's (half: 2 on two cores), at most half of those one endpoint's (1 on two cores;
the test runs of an app count as one endpoint's), and each reserves its ` + "`--transform-max-memory`" + ` of
` + "`--transform-total-memory`" + ` (by default the other two multiplied: 256 MiB on two cores). A run
that may not start waits its turn; when a run ends, the next to start is the waiting run of the
app with the fewest running, so one app's queue never holds back another app's runs, nor one
endpoint's bad code the other endpoints of its app. A
delivery waits up to 10 s, then is due again a second later, without an attempt and without
counting against its retries; a test run or a code check waits up to 2 s, then the call is
answered 429 (the app's own runs are in the way) or 503 (all the server's are), with
` + "`Retry-After: 1`" + ` and a message naming the limit.

The per-run memory limit is measured on the whole process (how far the live heap grew since the
run started; see the package documentation of ` + "`js`" + `), so it cannot tell runs apart: what
bounds the memory that runs hold together is how many may hold it at once. Running
transformations keep at most about ` + "`--transform-total-memory`" + ` live, plus what runs that just
ended leave until the next collection; the heap around it is larger by GOGC, below.

## The Go runtime

Two environment variables of Go itself are read too (not from the configuration file):

- ` + "`GOGC`" + ` — how far the heap may grow between garbage collections, in percent of what is
  live. Unset, ` + "`hookbridge serve`" + ` uses %d rather than Go's 100: it keeps little alive but
  allocates much per event, and collecting less often buys ~15 %% more events per second for
  ~40 MB more memory under load (see [benchmarks.md](benchmarks.md)). Set ` + "`GOGC=100`" + ` to spend
  CPU instead of memory.
- ` + "`GOMEMLIMIT`" + ` — a soft limit on the Go heap (for example ` + "`GOMEMLIMIT=400MiB`" + `); near it the
  collector runs as often as it must, whatever GOGC says. Unset, inside a container (a cgroup)
  with a memory limit, ` + "`hookbridge serve`" + ` sets it to 80 %% of that limit and logs it;
  ` + "`AUTOMEMLIMIT=off`" + ` leaves it unset.

A larger GOGC also makes the transformation memory limit (` + "`--transform-max-memory`" + `)
act later: it is checked against what the latest collection found live, so a handler that keeps
what it allocates is stopped at the collection after it passed its budget, with the heap up to
five times its live size by then instead of twice.
`
