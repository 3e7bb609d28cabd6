package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
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
