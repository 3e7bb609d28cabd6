package main

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/hookbridge/hookbridge/sqlite"
)

// parsedSettings returns serve's settings as the flags in args (and the
// defaults) give them.
func parsedSettings(t *testing.T, args ...string) *settings {
	t.Helper()
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	s := &settings{}
	bindSettings(fs, s)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestEndpointConcurrencyReachesTheDispatcher(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		args []string
		want int
	}{
		{nil, 0}, // the dispatcher's default: three quarters of the workers
		{[]string{"--endpoint-concurrency", "5"}, 5},
	} {
		cfg, err := nodeConfig(parsedSettings(t, tc.args...), log)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if cfg.EndpointConcurrency != tc.want {
			t.Errorf("%v: EndpointConcurrency = %d, want %d", tc.args, cfg.EndpointConcurrency, tc.want)
		}
	}
	_, err := nodeConfig(parsedSettings(t, "--endpoint-concurrency", "-1"), log)
	if err == nil || !strings.Contains(err.Error(), "HOOKBRIDGE_ENDPOINT_CONCURRENCY") {
		t.Errorf("a negative endpoint concurrency: error %v, want one naming the setting", err)
	}
}

func TestTransformTimeoutIsBounded(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := nodeConfig(parsedSettings(t, "--transform-timeout", "10s"), log); err != nil {
		t.Errorf("the longest transform timeout refused: %v", err)
	}
	_, err := nodeConfig(parsedSettings(t, "--transform-timeout", "11s"), log)
	if err == nil || !strings.Contains(err.Error(), "HOOKBRIDGE_TRANSFORM_TIMEOUT") {
		t.Errorf("a transform timeout over 10s: error %v, want one naming the setting", err)
	}
}

func TestSQLiteCommitDelayReachesTheNode(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		args []string
		want time.Duration
	}{
		{nil, sqlite.DefaultCommitDelay},
		{[]string{"--sqlite-commit-delay", "3ms"}, 3 * time.Millisecond},
		{[]string{"--sqlite-commit-delay", "0s"}, -1}, // node.Config: negative is none, zero the default
	} {
		cfg, err := nodeConfig(parsedSettings(t, tc.args...), log)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if cfg.CommitDelay != tc.want {
			t.Errorf("%v: CommitDelay = %v, want %v", tc.args, cfg.CommitDelay, tc.want)
		}
	}
	_, err := nodeConfig(parsedSettings(t, "--sqlite-commit-delay", "-1ms"), log)
	if err == nil || !strings.Contains(err.Error(), "HOOKBRIDGE_SQLITE_COMMIT_DELAY") {
		t.Errorf("a negative commit delay: error %v, want one naming the setting", err)
	}
}
