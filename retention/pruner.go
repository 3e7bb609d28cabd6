package retention

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"
)

// Config tunes a Pruner. Zero values mean the defaults.
type Config struct {
	// DefaultDays is the retention period of apps that set none
	// (default DefaultDays).
	DefaultDays int
	// BatchSize is the most messages deleted in one transaction
	// (default 500), so that no transaction holds locks for long.
	BatchSize int
	// Pause is the rest between two batches (default 100 ms), which leaves
	// the database to ingest and delivery.
	Pause time.Duration
	// Interval is the time between two rounds over every app (default 1 h).
	Interval time.Duration
	// FirstRound is how long after Run starts the first round begins
	// (default 1 min), so that a starting node serves first.
	FirstRound time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger receives a line per round that deleted something, and errors.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.DefaultDays <= 0 {
		c.DefaultDays = DefaultDays
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 500
	}
	if c.Pause <= 0 {
		c.Pause = 100 * time.Millisecond
	}
	if c.Interval <= 0 {
		c.Interval = time.Hour
	}
	if c.FirstRound <= 0 {
		c.FirstRound = time.Minute
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.Logger = cmp.Or(c.Logger, slog.New(slog.DiscardHandler))
	return c
}

// Pruner deletes messages that have outlived their app's retention period.
type Pruner struct {
	store Store
	cfg   Config
}

// NewPruner makes a Pruner over store.
func NewPruner(store Store, cfg Config) *Pruner {
	return &Pruner{store: store, cfg: cfg.withDefaults()}
}

// Run prunes a round every Interval, the first after FirstRound, until ctx
// ends. A round that fails is logged and the next one tries again.
func (p *Pruner) Run(ctx context.Context) {
	timer := time.NewTimer(p.cfg.FirstRound)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		started := time.Now()
		deleted, err := p.PruneAll(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			p.cfg.Logger.Error("retention: pruning old messages failed; trying again next round",
				"err", err, "deleted", deleted, "next_round_in", p.cfg.Interval)
		case deleted > 0:
			p.cfg.Logger.Info("retention: pruned old messages",
				"deleted", deleted, "took", time.Since(started).Round(time.Millisecond))
		}
		timer.Reset(p.cfg.Interval)
	}
}

// PruneAll runs one round: for every app, it deletes batch after batch of
// messages older than the app's retention period until none is left (or
// only those that must stay), and returns how many it deleted. An app that
// fails does not stop the others; their errors are joined.
func (p *Pruner) PruneAll(ctx context.Context) (int, error) {
	days, err := p.store.RetentionDaysByApp(ctx)
	if err != nil {
		return 0, fmt.Errorf("prune: %w", err)
	}
	now := p.cfg.Now()
	var (
		total int
		errs  []error
	)
	for _, appID := range slices.Sorted(maps.Keys(days)) {
		cutoff := Cutoff(now, Effective(days[appID], p.cfg.DefaultDays))
		n, err := p.PruneApp(ctx, appID, cutoff)
		total += n
		if ctx.Err() != nil {
			return total, ctx.Err()
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return total, errors.Join(errs...)
}

// PruneApp deletes an app's messages created before cutoff, BatchSize at a
// time with a Pause between batches, until a batch comes back short, and
// returns how many it deleted.
func (p *Pruner) PruneApp(ctx context.Context, appID string, cutoff time.Time) (int, error) {
	total := 0
	for {
		n, err := p.store.PruneMessages(ctx, appID, cutoff, p.cfg.BatchSize)
		total += n
		if err != nil {
			return total, fmt.Errorf("prune app %s: %w", appID, err)
		}
		if n < p.cfg.BatchSize {
			return total, nil
		}
		if err := sleep(ctx, p.cfg.Pause); err != nil {
			return total, err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
