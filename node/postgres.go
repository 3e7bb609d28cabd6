package node

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/postgres"
	"github.com/hookbridge/hookbridge/secretbox"
)

func openPostgres(ctx context.Context, url string, ring *secretbox.Keyring, log *slog.Logger) (hookbridge.Store, error) {
	store, err := postgres.Open(ctx, url, ring, postgres.WithLogger(log))
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	return store, nil
}
