package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The configuration file. Settings may come from flags, from the
// environment and from a file; a flag wins over the environment, the
// environment over the file, the file over the default. The file is named
// by --config or HOOKBRIDGE_CONFIG and holds KEY=VALUE lines whose keys are
// the settings' environment variables, as in:
//
//	# /etc/hookbridge/hookbridge.env
//	HOOKBRIDGE_ADDR=0.0.0.0:8080
//	HOOKBRIDGE_DATABASE_URL="postgres://hookbridge@db/hookbridge"
//
// the same format systemd's EnvironmentFile and docker's --env-file read.
// Blank lines and lines starting with # are ignored; a value may be quoted
// with "…" or '…'; "export " before a key is allowed.

// EnvConfigFile names the configuration file when --config is not given.
const EnvConfigFile = "HOOKBRIDGE_CONFIG"

// addConfigFlag declares --config on cmd and every command beneath it.
func addConfigFlag(cmd *cobra.Command) {
	cmd.PersistentFlags().String("config", os.Getenv(EnvConfigFile),
		"file of KEY=VALUE lines setting HOOKBRIDGE_* variables (flags and the environment win over it)")
}

// applyConfigFile reads the configuration file, if one is named, into the
// flags of cmd that neither the command line nor the environment set.
func applyConfigFile(cmd *cobra.Command) error {
	path, err := cmd.Flags().GetString("config")
	if err != nil || path == "" {
		return nil
	}
	values, err := readConfigFile(path)
	if err != nil {
		return err
	}
	return applyConfigValues(cmd.Flags(), values, path)
}

// configValue is one KEY=VALUE line of the file.
type configValue struct {
	value string
	line  int
}

// readConfigFile parses the file, refusing keys that name no setting.
func readConfigFile(path string) (map[string]configValue, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	known := map[string]bool{}
	for _, st := range settingTable {
		known[st.Env] = true
	}
	values := map[string]configValue{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		key, value, ok, err := parseConfigLine(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("config file %s, line %d: %w", path, n, err)
		}
		if !ok {
			continue
		}
		if !known[key] {
			return nil, fmt.Errorf("config file %s, line %d: %s is no setting (\"hookbridge config\" lists them)", path, n, key)
		}
		values[key] = configValue{value: value, line: n}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	return values, nil
}

// parseConfigLine reads one line; ok is false for blank and comment lines.
func parseConfigLine(line string) (key, value string, ok bool, err error) {
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "#") {
		return "", "", false, nil
	}
	line = strings.TrimPrefix(line, "export ")
	key, value, found := strings.Cut(line, "=")
	key = strings.TrimSpace(key)
	if !found || key == "" {
		return "", "", false, fmt.Errorf("want KEY=VALUE")
	}
	value = strings.TrimSpace(value)
	if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') {
		if value[len(value)-1] != value[0] {
			return "", "", false, fmt.Errorf("%s: the closing quote is missing", key)
		}
		value = value[1 : len(value)-1]
	}
	return key, value, true, nil
}

// applyConfigValues sets, from the file's values, every flag of fs that
// was not set on the command line and whose variable is not in the
// environment. A value is never quoted in an error: it may be a secret.
func applyConfigValues(fs *pflag.FlagSet, values map[string]configValue, path string) error {
	for _, st := range settingTable {
		v, inFile := values[st.Env]
		f := fs.Lookup(st.Flag)
		if !inFile || f == nil || f.Changed {
			continue
		}
		if _, inEnv := os.LookupEnv(st.Env); inEnv {
			continue
		}
		if err := fs.Set(st.Flag, v.value); err != nil {
			return fmt.Errorf("config file %s, line %d: %s is not a valid value for --%s", path, v.line, st.Env, st.Flag)
		}
	}
	return nil
}
