package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/sqlite"
)

// settings is the effective configuration of serve. Every field is
// declared once in settingTable, which gives its flag, its environment
// variable, its default and its documentation.
type settings struct {
	Addr                     string
	DataDir                  string
	DatabaseURL              string
	AdminToken               string
	SecretKey                string
	HostOverrides            string
	AllowPrivateDestinations bool
	LoopbackOnly             bool
	AllowedCIDRs             string
	Workers                  int
	CommitDelay              time.Duration
	EndpointConcurrency      int
	RequestTimeout           time.Duration
	Lease                    time.Duration
	RetentionDays            int
	TransformTimeout         time.Duration
	MaxIngestBytes           int64
	LogFormat                string
	LogLevel                 string
	TransformMaxMemory       int64
	TransformConcurrency     int
	TransformAppConcurrency  int
	TransformTotalMemory     int64
	MaxEndpointsPerApp       int
	APIRateLimit             int
	APIRateBurst             int
	Metrics                  bool
	MetricsToken             string
	SlackClientID            string
	SlackClientSecret        string
	SlackRedirectURL         string
}

// setting describes one configuration value.
type setting struct {
	Flag    string
	Env     string
	Default string
	Secret  bool
	Help    string
	bind    func(fs *pflag.FlagSet, s *settings, def string)
	show    func(s *settings) string
}

func stringSetting(flag, env, def, help string, secret bool, field func(*settings) *string) setting {
	return setting{Flag: flag, Env: env, Default: def, Help: help, Secret: secret,
		bind: func(fs *pflag.FlagSet, s *settings, d string) { fs.StringVar(field(s), flag, d, help) },
		show: func(s *settings) string { return *field(s) },
	}
}

func boolSetting(flag, env, def, help string, field func(*settings) *bool) setting {
	return setting{Flag: flag, Env: env, Default: def, Help: help,
		bind: func(fs *pflag.FlagSet, s *settings, d string) {
			v, _ := strconv.ParseBool(d)
			fs.BoolVar(field(s), flag, v, help)
		},
		show: func(s *settings) string { return strconv.FormatBool(*field(s)) },
	}
}

func intSetting(flag, env, def, help string, field func(*settings) *int) setting {
	return setting{Flag: flag, Env: env, Default: def, Help: help,
		bind: func(fs *pflag.FlagSet, s *settings, d string) {
			v, _ := strconv.Atoi(d)
			fs.IntVar(field(s), flag, v, help)
		},
		show: func(s *settings) string { return strconv.Itoa(*field(s)) },
	}
}

func int64Setting(flag, env, def, help string, field func(*settings) *int64) setting {
	return setting{Flag: flag, Env: env, Default: def, Help: help,
		bind: func(fs *pflag.FlagSet, s *settings, d string) {
			v, _ := strconv.ParseInt(d, 10, 64)
			fs.Int64Var(field(s), flag, v, help)
		},
		show: func(s *settings) string { return strconv.FormatInt(*field(s), 10) },
	}
}

func durationSetting(flag, env, def, help string, field func(*settings) *time.Duration) setting {
	return setting{Flag: flag, Env: env, Default: def, Help: help,
		bind: func(fs *pflag.FlagSet, s *settings, d string) {
			v, _ := time.ParseDuration(d)
			fs.DurationVar(field(s), flag, v, help)
		},
		show: func(s *settings) string { return field(s).String() },
	}
}

// settingTable lists every setting of hookbridge serve; docs/configuration.md
// is generated from it.
var settingTable = []setting{
	stringSetting("addr", "HOOKBRIDGE_ADDR", "127.0.0.1:8080", "address to listen on", false, func(s *settings) *string { return &s.Addr }),
	stringSetting("data-dir", "HOOKBRIDGE_DATA_DIR", "./hookbridge-data", "directory for the embedded database and the generated secret key", false, func(s *settings) *string { return &s.DataDir }),
	stringSetting("database-url", "HOOKBRIDGE_DATABASE_URL", "", "postgres://… URL to use PostgreSQL instead of the embedded SQLite database", true, func(s *settings) *string { return &s.DatabaseURL }),
	stringSetting("admin-token", "HOOKBRIDGE_ADMIN_TOKEN", "", "admin API token to accept (otherwise one is generated at first start and printed once)", true, func(s *settings) *string { return &s.AdminToken }),
	stringSetting("secret-key", "HOOKBRIDGE_SECRET_KEY", "", "base64 or hex 32-byte key(s), comma-separated, that encrypt secrets at rest; the first encrypts (otherwise a key is generated into the data directory)", true, func(s *settings) *string { return &s.SecretKey }),
	stringSetting("host-overrides", "HOOKBRIDGE_HOST_OVERRIDES", "", "host=URL pairs, comma-separated, sending a destination host's requests elsewhere (for testing against fakes)", false, func(s *settings) *string { return &s.HostOverrides }),
	boolSetting("loopback-only", "HOOKBRIDGE_LOOPBACK_ONLY", "false", "deliver to this machine only: a destination host without a host override is refused (for tests against fakes)", func(s *settings) *bool { return &s.LoopbackOnly }),
	boolSetting("allow-private-destinations", "HOOKBRIDGE_ALLOW_PRIVATE_DESTINATIONS", "false", "allow deliveries to loopback, private and link-local addresses", func(s *settings) *bool { return &s.AllowPrivateDestinations }),
	stringSetting("allowed-cidrs", "HOOKBRIDGE_ALLOWED_CIDRS", "", "address ranges, comma-separated, that deliveries may reach even though they are private", false, func(s *settings) *string { return &s.AllowedCIDRs }),
	intSetting("workers", "HOOKBRIDGE_WORKERS", strconv.Itoa(delivery.DefaultWorkers), "deliveries in flight at once", func(s *settings) *int { return &s.Workers }),
	durationSetting("sqlite-commit-delay", "HOOKBRIDGE_SQLITE_COMMIT_DELAY", sqlite.DefaultCommitDelay.String(), "how long the embedded database waits for more writes, when others are writing or it is busy, before it commits them together: less CPU per event and more events per second under load, for up to this much more latency per write (0s: it never waits)", func(s *settings) *time.Duration { return &s.CommitDelay }),
	intSetting("endpoint-concurrency", "HOOKBRIDGE_ENDPOINT_CONCURRENCY", "0", "most deliveries of one endpoint in flight at once, counted across all nodes, so that a slow endpoint leaves workers to the others (0: three quarters of --workers)", func(s *settings) *int { return &s.EndpointConcurrency }),
	durationSetting("request-timeout", "HOOKBRIDGE_REQUEST_TIMEOUT", "15s", "how long a destination has to answer", func(s *settings) *time.Duration { return &s.RequestTimeout }),
	durationSetting("lease", "HOOKBRIDGE_LEASE", "0s", "how long a claimed delivery stays reserved to this process; if it dies, its deliveries are taken over within about 10 s (SQLite: at the restart), and the lease is only the backstop; no request may take more than three quarters of it (0: the longest request timeout, at least 60 s, plus 1 minute)", func(s *settings) *time.Duration { return &s.Lease }),
	intSetting("retention-days", "HOOKBRIDGE_RETENTION_DAYS", "90", "days messages are kept, with their deliveries and attempts, unless an app sets its own retention_days (messages with pending deliveries are kept)", func(s *settings) *int { return &s.RetentionDays }),
	durationSetting("transform-timeout", "HOOKBRIDGE_TRANSFORM_TIMEOUT", "1s", "how long a transformation may run per event (at most 10s)", func(s *settings) *time.Duration { return &s.TransformTimeout }),
	int64Setting("max-ingest-bytes", "HOOKBRIDGE_MAX_INGEST_BYTES", "1048576", "largest accepted event body in bytes", func(s *settings) *int64 { return &s.MaxIngestBytes }),
	stringSetting("log-format", "HOOKBRIDGE_LOG_FORMAT", "text", "log format: text or json", false, func(s *settings) *string { return &s.LogFormat }),
	stringSetting("log-level", "HOOKBRIDGE_LOG_LEVEL", "info", "log level: debug, info, warn or error", false, func(s *settings) *string { return &s.LogLevel }),
	int64Setting("transform-max-memory", "HOOKBRIDGE_TRANSFORM_MAX_MEMORY", "67108864", "bytes the heap may grow by while one transformation runs before it is stopped (negative: no limit)", func(s *settings) *int64 { return &s.TransformMaxMemory }),
	intSetting("transform-concurrency", "HOOKBRIDGE_TRANSFORM_CONCURRENCY", "0", "most transformations running at once in the process; more wait their turn (0: twice the CPUs Go uses, GOMAXPROCS)", func(s *settings) *int { return &s.TransformConcurrency }),
	intSetting("transform-app-concurrency", "HOOKBRIDGE_TRANSFORM_APP_CONCURRENCY", "0", "most transformations of one app running at once, so that one app's code leaves room for the others' (0: half of --transform-concurrency, at least 1); one endpoint's runs may take half of its app's", func(s *settings) *int { return &s.TransformAppConcurrency }),
	int64Setting("transform-total-memory", "HOOKBRIDGE_TRANSFORM_TOTAL_MEMORY", "0", "bytes the heap may grow by for all running transformations together: each reserves --transform-max-memory of it, and runs wait while it is spent (0: --transform-concurrency times --transform-max-memory)", func(s *settings) *int64 { return &s.TransformTotalMemory }),
	intSetting("max-endpoints-per-app", "HOOKBRIDGE_MAX_ENDPOINTS_PER_APP", "1000", "most endpoints one app may have", func(s *settings) *int { return &s.MaxEndpointsPerApp }),
	intSetting("api-rate-limit", "HOOKBRIDGE_API_RATE_LIMIT", "20", "management API calls per second and token (0: no limit); more are answered 429 with Retry-After", func(s *settings) *int { return &s.APIRateLimit }),
	intSetting("api-rate-burst", "HOOKBRIDGE_API_RATE_BURST", "100", "management API calls a token may make at once before the rate limit applies", func(s *settings) *int { return &s.APIRateBurst }),
	boolSetting("metrics", "HOOKBRIDGE_METRICS", "true", "serve Prometheus metrics at /metrics", func(s *settings) *bool { return &s.Metrics }),
	stringSetting("metrics-token", "HOOKBRIDGE_METRICS_TOKEN", "", "bearer token that scrapes of /metrics must send (none: /metrics is open)", true, func(s *settings) *string { return &s.MetricsToken }),
	stringSetting("slack-client-id", "HOOKBRIDGE_SLACK_CLIENT_ID", "", "client id of your Slack app: with its secret, the Slack card offers Add to Slack (OAuth v2, incoming-webhook scope) besides pasting a webhook URL", false, func(s *settings) *string { return &s.SlackClientID }),
	stringSetting("slack-client-secret", "HOOKBRIDGE_SLACK_CLIENT_SECRET", "", "client secret of that Slack app", true, func(s *settings) *string { return &s.SlackClientSecret }),
	stringSetting("slack-redirect-url", "HOOKBRIDGE_SLACK_REDIRECT_URL", "", "public URL of /api/v1/integrations/slack/oauth/callback, as listed in the Slack app's Redirect URLs (none: taken from the host each flow is started on)", false, func(s *settings) *string { return &s.SlackRedirectURL }),
}

// bindSettings declares every setting as a flag whose default is taken
// from its environment variable when set, so flags win over the
// environment and the environment over built-in defaults.
func bindSettings(fs *pflag.FlagSet, s *settings) {
	for _, st := range settingTable {
		def := st.Default
		if v, ok := os.LookupEnv(st.Env); ok {
			def = v
		}
		st.bind(fs, s, def)
	}
}

// checkEnv reports environment values that do not parse, since pflag would
// silently fall back to zero for them.
func checkEnv() error {
	for _, st := range settingTable {
		v, ok := os.LookupEnv(st.Env)
		if !ok {
			continue
		}
		fs := pflag.NewFlagSet("check", pflag.ContinueOnError)
		st.bind(fs, &settings{}, st.Default)
		if err := fs.Set(st.Flag, v); err != nil {
			return fmt.Errorf("%s=%q: %w", st.Env, v, err)
		}
	}
	return nil
}

// describe prints the effective configuration, secrets masked.
func describe(s *settings) string {
	var b strings.Builder
	for _, st := range settingTable {
		v := st.show(s)
		if st.Secret && v != "" {
			v = "(set, hidden)"
		}
		fmt.Fprintf(&b, "%-28s %-40s %s\n", st.Flag, st.Env, v)
	}
	return b.String()
}
