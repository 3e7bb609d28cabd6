package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/logctx"
	"github.com/hookbridge/hookbridge/metrics"
	"github.com/hookbridge/hookbridge/migration"
)

// withContextAttrs returns the node's logger: cfgLogger (or one that
// discards) whose records carry the attributes of their context, such as
// the request id the HTTP server puts there.
func withContextAttrs(cfgLogger *slog.Logger) *slog.Logger {
	if cfgLogger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(logctx.Handler(cfgLogger.Handler()))
}

// queueStatsTimeout bounds the store query a metrics scrape makes.
const queueStatsTimeout = 5 * time.Second

// newMetrics makes the node's metrics, nil when they are disabled.
func newMetrics(cfg Config, store hookbridge.Store) *metrics.Metrics {
	if cfg.DisableMetrics {
		return nil
	}
	m := metrics.New()
	m.WatchQueue(store, queueStatsTimeout)
	m.WatchNodes(store, queueStatsTimeout)
	if w, ok := store.(metrics.WriterSource); ok {
		m.WatchWriter(w)
	}
	return m
}

// migrationChecker is implemented by stores that can tell whether their
// schema is up to date (both of ours).
type migrationChecker interface {
	PendingMigrations(ctx context.Context) (int, error)
}

// ready is the readiness check: the database answers and its schema
// migrations are all applied.
func (n *Node) ready(ctx context.Context) error {
	if err := n.Store.Ping(ctx); err != nil {
		n.log.WarnContext(ctx, "database ping", "err", err)
		return errors.New("the database does not answer (see the server log)")
	}
	mc, ok := n.Store.(migrationChecker)
	if !ok {
		return nil
	}
	pending, err := mc.PendingMigrations(ctx)
	switch {
	case errors.Is(err, migration.ErrNewerSchema):
		// A rolling upgrade: a newer node migrated the database. This one
		// keeps serving until it is replaced (migrations only add).
		n.log.WarnContext(ctx, "the database schema is newer than this program; replace this node with the new version", "err", err)
		return nil
	case err != nil:
		n.log.WarnContext(ctx, "check schema migrations", "err", err)
		return errors.New("the database schema cannot be checked (see the server log)")
	case pending > 0:
		return fmt.Errorf("%d schema migrations are not applied yet", pending)
	}
	return nil
}
