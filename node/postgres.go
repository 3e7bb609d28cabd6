package node

import (
	"context"
	"fmt"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/postgres"
	"github.com/hookbridge/hookbridge/secretbox"
)

func openPostgres(ctx context.Context, url string, ring *secretbox.Keyring) (hookbridge.Store, error) {
	store, err := postgres.Open(ctx, url, ring)
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	return store, nil
}
