package node

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ResealSecrets opens the store of cfg and encrypts again, under the first
// key of cfg's key ring, every stored secret encrypted with another key of
// the ring. It is what "hookbridge rotate-key" runs; nodes may serve the
// same database meanwhile, as long as their key rings hold both keys. It
// returns how many secrets it re-encrypted.
func ResealSecrets(ctx context.Context, cfg Config) (int, error) {
	log := withContextAttrs(cfg.Logger)
	if cfg.SecretKey == "" {
		// Without a configured ring, only an existing key file will do:
		// a key generated now could open nothing.
		path := filepath.Join(cfg.DataDir, "secret.key")
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return 0, fmt.Errorf("no key ring: set HOOKBRIDGE_SECRET_KEY, or point --data-dir at the directory holding secret.key")
		}
	}
	ring, err := openKeyring(cfg, log)
	if err != nil {
		return 0, err
	}
	store, err := openStore(ctx, cfg, ring, false, log)
	if err != nil {
		return 0, err
	}
	defer store.Close()
	n, err := store.ResealSecrets(ctx, ring.NeedsResealing)
	if err != nil {
		return n, fmt.Errorf("re-encrypt secrets: %w", err)
	}
	return n, nil
}
