package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeConfigFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hookbridge.env")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// configLine returns the line of "hookbridge config" for a flag.
func configLine(t *testing.T, out, flag string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, flag+" ") {
			return line
		}
	}
	t.Fatalf("hookbridge config printed no line for %s:\n%s", flag, out)
	return ""
}

func TestConfigFilePrecedence(t *testing.T) {
	path := writeConfigFile(t, `# hookbridge settings
HOOKBRIDGE_ADDR=0.0.0.0:7000
export HOOKBRIDGE_WORKERS="3"
HOOKBRIDGE_LOG_LEVEL='debug'

HOOKBRIDGE_DATA_DIR=/var/lib/from-file
HOOKBRIDGE_ADMIN_TOKEN=hbk_secret-from-the-config-file
`)
	t.Setenv("HOOKBRIDGE_WORKERS", "5") // the environment wins over the file
	out, err := run(t, "", "config", "--config", path, "--data-dir", "/from/flag")
	if err != nil {
		t.Fatalf("config: %v\n%s", err, out)
	}
	for flag, want := range map[string]string{
		"addr":           "0.0.0.0:7000",  // file over default
		"workers":        "5",             // environment over file
		"data-dir":       "/from/flag",    // flag over file
		"log-level":      "debug",         // quotes removed
		"admin-token":    "(set, hidden)", // secret from the file, hidden
		"log-format":     "text",          // default
		"api-rate-limit": "20",
	} {
		if line := configLine(t, out, flag); !strings.HasSuffix(strings.TrimSpace(line), want) {
			t.Errorf("%s: %q, want the value %q", flag, line, want)
		}
	}
	if strings.Contains(out, "secret-from-the-config-file") {
		t.Error("a secret from the file was printed")
	}

	t.Setenv(EnvConfigFile, path)
	out, err = run(t, "", "config")
	if err != nil || !strings.HasSuffix(strings.TrimSpace(configLine(t, out, "addr")), "0.0.0.0:7000") {
		t.Fatalf("HOOKBRIDGE_CONFIG did not name the file: %v\n%s", err, out)
	}
}

func TestConfigFileErrors(t *testing.T) {
	cases := []struct{ name, content, want string }{
		{"unknown key", "HOOKBRIDGE_ADRR=1.2.3.4:80\n", "line 1: HOOKBRIDGE_ADRR is no setting"},
		{"not key=value", "# fine\nHOOKBRIDGE_ADDR\n", "line 2: want KEY=VALUE"},
		{"open quote", `HOOKBRIDGE_ADDR="1.2.3.4:80` + "\n", "the closing quote is missing"},
		{"bad value", "HOOKBRIDGE_WORKERS=hbk_not-a-number-but-maybe-a-secret\n", "line 1: HOOKBRIDGE_WORKERS is not a valid value for --workers"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, "", "config", "--config", writeConfigFile(t, tc.content))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "maybe-a-secret") {
				t.Errorf("the error quotes the value: %v", err)
			}
		})
	}
	if _, err := run(t, "", "config", "--config", filepath.Join(t.TempDir(), "missing.env")); err == nil {
		t.Error("a missing config file was ignored")
	}
}
