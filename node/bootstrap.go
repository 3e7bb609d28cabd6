package node

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/httpapi"
)

// bootstrap makes sure the default app and an admin token exist. A token
// generated here is printed once to cfg.TokenOut; only its hash is kept.
func bootstrap(ctx context.Context, store hookbridge.Store, cfg Config, log *slog.Logger) error {
	now := time.Now().UTC()
	err := store.CreateApp(ctx, &hookbridge.App{ID: hookbridge.DefaultAppID, Name: "Default", CreatedAt: now})
	if err != nil && !errors.Is(err, hookbridge.ErrConflict) {
		return fmt.Errorf("create default app: %w", err)
	}
	if cfg.AdminToken != "" {
		return ensureConfiguredToken(ctx, store, cfg.AdminToken, now)
	}
	count, err := store.CountTokens(ctx)
	if err != nil {
		return fmt.Errorf("count tokens: %w", err)
	}
	if count > 0 {
		return nil
	}
	secret, tok, err := httpapi.NewToken("", "admin (generated at first start)", now)
	if err != nil {
		return fmt.Errorf("generate admin token: %w", err)
	}
	if err := store.CreateToken(ctx, tok); err != nil {
		return fmt.Errorf("store admin token: %w", err)
	}
	out := cmp.Or(cfg.TokenOut, io.Discard)
	fmt.Fprintf(out, "\nhookbridge created an admin API token. It is shown only this once; keep it safe:\n\n    %s\n\nUse it as: Authorization: Bearer <token>\n\n", secret)
	log.Info("generated the admin token at first start", "token_id", tok.ID)
	return nil
}

func ensureConfiguredToken(ctx context.Context, store hookbridge.Store, secret string, now time.Time) error {
	if len(secret) < 16 {
		return errors.New("HOOKBRIDGE_ADMIN_TOKEN must be at least 16 characters")
	}
	hash := httpapi.HashToken(secret)
	_, err := store.TokenByHash(ctx, hash)
	if err == nil {
		return nil
	}
	if !errors.Is(err, hookbridge.ErrNotFound) {
		return fmt.Errorf("look up admin token: %w", err)
	}
	tok := &hookbridge.Token{ID: hookbridge.NewID("tok"), Name: "admin (HOOKBRIDGE_ADMIN_TOKEN)", Hash: hash, CreatedAt: now}
	err = store.CreateToken(ctx, tok)
	if errors.Is(err, hookbridge.ErrConflict) {
		// Another node sharing the database stored it meanwhile.
		return nil
	}
	if err != nil {
		return fmt.Errorf("store admin token: %w", err)
	}
	return nil
}
