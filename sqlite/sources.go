package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/hookbridge/hookbridge"
)

// storedSecret is how a source secret is encoded before sealing
// (hookbridge.SourceSecret hides Secret from JSON on purpose).
type storedSecret struct {
	Secret    string     `json:"secret"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

func (s *Store) sealSecrets(secrets []hookbridge.SourceSecret) ([]byte, error) {
	stored := make([]storedSecret, len(secrets))
	for i, sec := range secrets {
		stored[i] = storedSecret{Secret: sec.Secret, CreatedAt: atMicros(sec.CreatedAt), ExpiresAt: atMicrosPtr(sec.ExpiresAt)}
	}
	return hookbridge.SealJSON(s.cipher, "source secrets", stored)
}

func (s *Store) unsealSecrets(sealed []byte) ([]hookbridge.SourceSecret, error) {
	var stored []storedSecret
	if err := hookbridge.OpenJSON(s.cipher, "source secrets", sealed, &stored); err != nil {
		return nil, err
	}
	secrets := make([]hookbridge.SourceSecret, len(stored))
	for i, sec := range stored {
		secrets[i] = hookbridge.SourceSecret{Secret: sec.Secret, CreatedAt: sec.CreatedAt, ExpiresAt: sec.ExpiresAt}
	}
	return secrets, nil
}

const sourceColumns = `id, app_id, name, sealed_secrets, created_at, updated_at`

// CreateSource stores a source with its secrets sealed.
func (s *Store) CreateSource(ctx context.Context, src *hookbridge.Source) error {
	if err := hookbridge.CheckSourceStorable(src); err != nil {
		return fmt.Errorf("create source: %w", err)
	}
	sealed, err := s.sealSecrets(src.Secrets)
	if err != nil {
		return fmt.Errorf("create source %s: %w", src.ID, err)
	}
	_, err = s.exec(ctx,
		`INSERT INTO sources (`+sourceColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		src.ID, src.AppID, src.Name, sealed, toMicros(src.CreatedAt), toMicros(src.UpdatedAt))
	if isUniqueViolation(err) {
		return fmt.Errorf("create source %s: %w", src.ID, hookbridge.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create source %s: %w", src.ID, err)
	}
	return nil
}

// GetSource finds a source of an app, or of any app if appID is empty.
func (s *Store) GetSource(ctx context.Context, appID, id string) (*hookbridge.Source, error) {
	src, err := s.scanSource(s.read.QueryRowContext(ctx,
		`SELECT `+sourceColumns+` FROM sources WHERE id = ? AND (? = '' OR app_id = ?)`, id, appID, appID))
	if err != nil {
		return nil, fmt.Errorf("get source %s: %w", id, notFound(err))
	}
	return src, nil
}

// ListSources returns the sources of an app, oldest first.
func (s *Store) ListSources(ctx context.Context, appID string) ([]*hookbridge.Source, error) {
	rows, err := s.read.QueryContext(ctx,
		`SELECT `+sourceColumns+` FROM sources WHERE app_id = ? ORDER BY created_at, id`, appID)
	sources, err := collect(rows, err, s.scanSource)
	if err != nil {
		return nil, fmt.Errorf("list sources of app %s: %w", appID, err)
	}
	return sources, nil
}

// UpdateSource replaces the name and secrets of a source (and its
// UpdatedAt).
func (s *Store) UpdateSource(ctx context.Context, src *hookbridge.Source) error {
	if err := hookbridge.CheckSourceStorable(src); err != nil {
		return fmt.Errorf("update source: %w", err)
	}
	sealed, err := s.sealSecrets(src.Secrets)
	if err != nil {
		return fmt.Errorf("update source %s: %w", src.ID, err)
	}
	err = execOne(ctx, s.write,
		`UPDATE sources SET name = ?, sealed_secrets = ?, updated_at = ? WHERE app_id = ? AND id = ?`,
		src.Name, sealed, toMicros(src.UpdatedAt), src.AppID, src.ID)
	if err != nil {
		return fmt.Errorf("update source %s: %w", src.ID, err)
	}
	return nil
}

// DeleteSource removes a source; its messages stay.
func (s *Store) DeleteSource(ctx context.Context, appID, id string) error {
	if err := execOne(ctx, s.write, `DELETE FROM sources WHERE app_id = ? AND id = ?`, appID, id); err != nil {
		return fmt.Errorf("delete source %s: %w", id, err)
	}
	return nil
}

func (s *Store) scanSource(row scanner) (*hookbridge.Source, error) {
	var (
		src              hookbridge.Source
		sealed           []byte
		created, updated int64
	)
	if err := row.Scan(&src.ID, &src.AppID, &src.Name, &sealed, &created, &updated); err != nil {
		return nil, err
	}
	secrets, err := s.unsealSecrets(sealed)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", src.ID, err)
	}
	src.Secrets = secrets
	src.CreatedAt = fromMicros(created)
	src.UpdatedAt = fromMicros(updated)
	return &src, nil
}
