package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
)

// sealedSecret is how one source secret is written inside the sealed
// sources.sealed_secrets column.
type sealedSecret struct {
	Secret    string     `json:"secret"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// CreateSource stores a source, its secrets sealed.
func (s *Store) CreateSource(ctx context.Context, src *hookbridge.Source) error {
	if err := hookbridge.CheckSourceStorable(src); err != nil {
		return fmt.Errorf("create source: %w", err)
	}
	secrets, err := s.sealSecrets(src.Secrets)
	if err != nil {
		return fmt.Errorf("create source: %w", err)
	}
	_, err = s.pool.Exec(ctx, `
		INSERT INTO sources (id, app_id, name, sealed_secrets, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		src.ID, src.AppID, src.Name, secrets, utc(src.CreatedAt), updatedAt(src.CreatedAt, src.UpdatedAt))
	if err != nil {
		return dbError("create source", err)
	}
	return nil
}

// GetSource finds a source of an app, or of any app if appID is empty.
func (s *Store) GetSource(ctx context.Context, appID, id string) (*hookbridge.Source, error) {
	return queryOne(ctx, s.pool, "get source", s.scanSource, `
		SELECT id, app_id, name, sealed_secrets, created_at, updated_at FROM sources
		WHERE id = $2 AND ($1 = '' OR app_id = $1)`, appID, id)
}

// ListSources returns the sources of an app, oldest first.
func (s *Store) ListSources(ctx context.Context, appID string) ([]*hookbridge.Source, error) {
	return queryAll(ctx, s.pool, "list sources", s.scanSource, `
		SELECT id, app_id, name, sealed_secrets, created_at, updated_at FROM sources
		WHERE app_id = $1 ORDER BY created_at, id`, appID)
}

// UpdateSource replaces the name and secrets of a source. src.UpdatedAt is
// set to the current time if it is zero.
func (s *Store) UpdateSource(ctx context.Context, src *hookbridge.Source) error {
	if err := hookbridge.CheckSourceStorable(src); err != nil {
		return fmt.Errorf("update source: %w", err)
	}
	secrets, err := s.sealSecrets(src.Secrets)
	if err != nil {
		return fmt.Errorf("update source: %w", err)
	}
	src.UpdatedAt = orNow(src.UpdatedAt)
	return execOne(ctx, s.pool, "update source", `
		UPDATE sources SET name = $3, sealed_secrets = $4, updated_at = $5
		WHERE app_id = $1 AND id = $2`,
		src.AppID, src.ID, src.Name, secrets, src.UpdatedAt)
}

// DeleteSource removes a source. Its messages stay.
func (s *Store) DeleteSource(ctx context.Context, appID, id string) error {
	return execOne(ctx, s.pool, "delete source", `DELETE FROM sources WHERE app_id = $1 AND id = $2`, appID, id)
}

func (s *Store) scanSource(row pgx.CollectableRow) (*hookbridge.Source, error) {
	var (
		src    hookbridge.Source
		sealed []byte
	)
	if err := row.Scan(&src.ID, &src.AppID, &src.Name, &sealed, &src.CreatedAt, &src.UpdatedAt); err != nil {
		return nil, err
	}
	secrets, err := s.openSecrets(sealed)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", src.ID, err)
	}
	src.Secrets = secrets
	return &src, nil
}

func (s *Store) sealSecrets(secrets []hookbridge.SourceSecret) ([]byte, error) {
	list := make([]sealedSecret, len(secrets))
	for i, sec := range secrets {
		list[i] = sealedSecret{Secret: sec.Secret, CreatedAt: utc(sec.CreatedAt), ExpiresAt: utcPtr(sec.ExpiresAt)}
	}
	return hookbridge.SealJSON(s.cipher, "source secrets", list)
}

func (s *Store) openSecrets(sealed []byte) ([]hookbridge.SourceSecret, error) {
	var list []sealedSecret
	if err := hookbridge.OpenJSON(s.cipher, "source secrets", sealed, &list); err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, nil
	}
	secrets := make([]hookbridge.SourceSecret, len(list))
	for i, sec := range list {
		secrets[i] = hookbridge.SourceSecret{Secret: sec.Secret, CreatedAt: sec.CreatedAt, ExpiresAt: sec.ExpiresAt}
	}
	return secrets, nil
}
