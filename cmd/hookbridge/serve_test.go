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

// wantRefused checks that nodeConfig refuses the settings args with an
// error that names the setting.
func wantRefused(t *testing.T, setting string, args ...string) {
	t.Helper()
	_, err := nodeConfig(parsedSettings(t, args...), slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), setting) {
		t.Errorf("%v: error %v, want one naming %s", args, err, setting)
	}
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
	wantRefused(t, "HOOKBRIDGE_ENDPOINT_CONCURRENCY", "--endpoint-concurrency", "-1")
}

func TestTransformTimeoutIsBounded(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := nodeConfig(parsedSettings(t, "--transform-timeout", "10s"), log); err != nil {
		t.Errorf("the longest transform timeout refused: %v", err)
	}
	wantRefused(t, "HOOKBRIDGE_TRANSFORM_TIMEOUT", "--transform-timeout", "11s")
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
	wantRefused(t, "HOOKBRIDGE_SQLITE_COMMIT_DELAY", "--sqlite-commit-delay", "-1ms")
}

func TestTransformLimitsReachTheNode(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	cfg, err := nodeConfig(parsedSettings(t, "--transform-concurrency", "6", "--transform-app-concurrency", "2",
		"--transform-total-memory", "134217728"), log)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.TransformConcurrency != 6 || cfg.TransformAppConcurrency != 2 || cfg.TransformTotalMemory != 128<<20 {
		t.Errorf("node config %d runs, %d per app, %d bytes; want 6, 2, 128 MiB",
			cfg.TransformConcurrency, cfg.TransformAppConcurrency, cfg.TransformTotalMemory)
	}
	wantRefused(t, "HOOKBRIDGE_TRANSFORM_CONCURRENCY", "--transform-concurrency", "-1")
	wantRefused(t, "HOOKBRIDGE_TRANSFORM_APP_CONCURRENCY", "--transform-app-concurrency", "-1")
	wantRefused(t, "HOOKBRIDGE_TRANSFORM_TOTAL_MEMORY", "--transform-total-memory", "-1")
	wantRefused(t, "HOOKBRIDGE_TRANSFORM_TOTAL_MEMORY", "--transform-total-memory", "1048576")
}

func TestSlackAppSettings(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	cfg, err := nodeConfig(parsedSettings(t, "--slack-client-id", "123.456", "--slack-client-secret", "s3cret",
		"--slack-redirect-url", "https://hb.example.com/api/v1/integrations/slack/oauth/callback"), log)
	if err != nil || cfg.SlackOAuth.ClientID != "123.456" || cfg.SlackOAuth.ClientSecret != "s3cret" || cfg.SlackOAuth.RedirectURL == "" {
		t.Errorf("%+v, %v", cfg.SlackOAuth, err)
	}
	for _, half := range [][]string{{"--slack-client-id", "123.456"}, {"--slack-client-secret", "s3cret"}} {
		if _, err := nodeConfig(parsedSettings(t, half...), log); err == nil || !strings.Contains(err.Error(), "go together") {
			t.Errorf("%v alone: %v", half, err)
		}
	}
}
