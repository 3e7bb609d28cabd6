package main

import (
	"fmt"
	"log/slog"
	"math"
	"net"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hookbridge/hookbridge/js"
	"github.com/hookbridge/hookbridge/netguard"
	"github.com/hookbridge/hookbridge/node"
	"github.com/hookbridge/hookbridge/retention"
)

func newServeCommand() *cobra.Command {
	var s settings
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run hookbridge: the API, the dashboard and the delivery workers",
		Long: `Run hookbridge: the API, the dashboard and the delivery workers.

With no configuration it keeps everything in an embedded database under
./hookbridge-data and listens on 127.0.0.1:8080. On first start it prints an
admin API token once. Every flag can also be set by its environment variable
(see "hookbridge config").`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkEnv(); err != nil {
				return err
			}
			return serve(cmd, &s)
		},
	}
	bindSettings(cmd.Flags(), &s)
	return cmd
}

func newConfigCommand() *cobra.Command {
	var s settings
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Print the effective configuration (secrets hidden) with each setting's flag and environment variable",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkEnv(); err != nil {
				return err
			}
			fmt.Fprint(cmd.OutOrStdout(), describe(&s))
			return nil
		},
	}
	bindSettings(cmd.Flags(), &s)
	return cmd
}

func serve(cmd *cobra.Command, s *settings) error {
	log, err := newLogger(s)
	if err != nil {
		return err
	}
	cfg, err := nodeConfig(s, log)
	if err != nil {
		return err
	}
	cfg.TokenOut = cmd.OutOrStdout()
	rt := node.TuneRuntime(os.Getenv, log)
	ctx := cmd.Context()
	n, err := node.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer n.Close()
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.Addr, err)
	}
	log.Info("hookbridge is running", "url", "http://"+ln.Addr().String(), "data_dir", s.DataDir, "database", databaseKind(s),
		"gogc", rt.GCPercent, "gomemlimit", memoryLimitText(rt.MemoryLimit))
	if err := n.Run(ctx, ln); err != nil {
		return err
	}
	log.Info("hookbridge stopped")
	return nil
}

func nodeConfig(s *settings, log *slog.Logger) (node.Config, error) {
	overrides, err := netguard.ParseHostOverrides(s.HostOverrides)
	if err != nil {
		return node.Config{}, fmt.Errorf("HOOKBRIDGE_HOST_OVERRIDES: %w", err)
	}
	cidrs, err := netguard.ParseCIDRs(s.AllowedCIDRs)
	if err != nil {
		return node.Config{}, fmt.Errorf("HOOKBRIDGE_ALLOWED_CIDRS: %w", err)
	}
	if s.TransformTimeout > js.MaxTimeout {
		return node.Config{}, fmt.Errorf("HOOKBRIDGE_TRANSFORM_TIMEOUT: %v is longer than the %v a transformation may take", s.TransformTimeout, js.MaxTimeout)
	}
	if s.CommitDelay < 0 {
		return node.Config{}, fmt.Errorf("HOOKBRIDGE_SQLITE_COMMIT_DELAY: %v is negative; give a duration, or 0s for no delay", s.CommitDelay)
	}
	if s.EndpointConcurrency < 0 {
		return node.Config{}, fmt.Errorf("HOOKBRIDGE_ENDPOINT_CONCURRENCY: %d is negative; give a number of deliveries, or 0 for three quarters of the workers", s.EndpointConcurrency)
	}
	if err := checkTransformLimits(s); err != nil {
		return node.Config{}, err
	}
	if (s.SlackClientID == "") != (s.SlackClientSecret == "") {
		return node.Config{}, fmt.Errorf("HOOKBRIDGE_SLACK_CLIENT_ID and HOOKBRIDGE_SLACK_CLIENT_SECRET go together: set both for Add to Slack, or neither")
	}
	if err := retention.ValidateDays(s.RetentionDays); err != nil {
		return node.Config{}, fmt.Errorf("HOOKBRIDGE_RETENTION_DAYS: %w", err)
	}
	return node.Config{
		DataDir:             s.DataDir,
		DatabaseURL:         s.DatabaseURL,
		SecretKey:           s.SecretKey,
		AdminToken:          s.AdminToken,
		HostOverrides:       overrides,
		AllowPrivate:        s.AllowPrivateDestinations,
		LoopbackOnly:        s.LoopbackOnly,
		AllowCIDRs:          cidrs,
		Workers:             s.Workers,
		CommitDelay:         node.CommitDelaySetting(s.CommitDelay),
		EndpointConcurrency: s.EndpointConcurrency,
		RequestTimeout:      s.RequestTimeout,
		Lease:               s.Lease,
		Retention:           retention.Config{DefaultDays: s.RetentionDays},
		TransformTimeout:    s.TransformTimeout,
		MaxIngestBytes:      s.MaxIngestBytes,
		Logger:              log,

		TransformMaxMemory: s.TransformMaxMemory,
		MaxEndpointsPerApp: s.MaxEndpointsPerApp,
		APIRateLimit:       float64(s.APIRateLimit),
		APIRateBurst:       s.APIRateBurst,
		DisableMetrics:     !s.Metrics,
		MetricsToken:       s.MetricsToken,
		SlackOAuth: node.SlackOAuth{ClientID: s.SlackClientID, ClientSecret: s.SlackClientSecret,
			RedirectURL: s.SlackRedirectURL},

		TransformConcurrency:    s.TransformConcurrency,
		TransformAppConcurrency: s.TransformAppConcurrency,
		TransformTotalMemory:    s.TransformTotalMemory,
	}, nil
}

// checkTransformLimits refuses negative bounds of running transformations,
// and a memory budget that cannot hold one run.
func checkTransformLimits(s *settings) error {
	switch {
	case s.TransformConcurrency < 0:
		return fmt.Errorf("HOOKBRIDGE_TRANSFORM_CONCURRENCY: %d is negative; give a number of runs, or 0 for twice the CPUs", s.TransformConcurrency)
	case s.TransformAppConcurrency < 0:
		return fmt.Errorf("HOOKBRIDGE_TRANSFORM_APP_CONCURRENCY: %d is negative; give a number of runs, or 0 for half of HOOKBRIDGE_TRANSFORM_CONCURRENCY", s.TransformAppConcurrency)
	case s.TransformTotalMemory < 0:
		return fmt.Errorf("HOOKBRIDGE_TRANSFORM_TOTAL_MEMORY: %d is negative; give bytes, or 0 for HOOKBRIDGE_TRANSFORM_CONCURRENCY times HOOKBRIDGE_TRANSFORM_MAX_MEMORY", s.TransformTotalMemory)
	case s.TransformTotalMemory > 0 && s.TransformMaxMemory > 0 && s.TransformTotalMemory < s.TransformMaxMemory:
		return fmt.Errorf("HOOKBRIDGE_TRANSFORM_TOTAL_MEMORY: %d bytes cannot hold one run's HOOKBRIDGE_TRANSFORM_MAX_MEMORY of %d", s.TransformTotalMemory, s.TransformMaxMemory)
	}
	return nil
}

// memoryLimitText shows a soft memory limit for the log.
func memoryLimitText(limit int64) string {
	if limit == math.MaxInt64 {
		return "none"
	}
	return fmt.Sprintf("%d MiB", limit>>20)
}

func databaseKind(s *settings) string {
	if s.DatabaseURL != "" {
		return "postgres"
	}
	return "sqlite"
}

func newLogger(s *settings) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(s.LogLevel)); err != nil {
		return nil, fmt.Errorf("log level %q: use debug, info, warn or error", s.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(s.LogFormat) {
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, opts)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(os.Stderr, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: use text or json", s.LogFormat)
}
