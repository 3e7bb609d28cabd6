package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"

	"github.com/hookbridge/hookbridge"
)

// sealPlaintextHeaders moves the secret headers that rows written before
// sealed_headers existed keep in plaintext in headers (those named like
// credentials: no header was marked secret then) into sealed_headers. Open
// runs it; a row that changed meanwhile is left to whoever changed it, and
// a row without such headers is not touched, so running it again does
// nothing.
func (s *Store) sealPlaintextHeaders(ctx context.Context) error {
	rows, err := s.read.QueryContext(ctx, `SELECT id, headers FROM endpoints WHERE headers <> '{}' ORDER BY id`)
	stored, err := collect(rows, err, func(row scanner) ([2]string, error) {
		var r [2]string
		err := row.Scan(&r[0], &r[1])
		return r, err
	})
	if err != nil {
		return fmt.Errorf("seal plaintext secret headers: %w", err)
	}
	for _, r := range stored {
		if err := s.sealRowHeaders(ctx, r[0], r[1]); err != nil {
			return fmt.Errorf("seal plaintext secret headers of endpoint %s: %w", r[0], err)
		}
	}
	return nil
}

// sealRowHeaders seals the secret headers of one endpoint's row whose
// headers column holds headers.
func (s *Store) sealRowHeaders(ctx context.Context, id, headers string) error {
	plain, err := fromJSON[map[string]string]("headers", headers)
	if err != nil {
		return err
	}
	// Rows written before secret headers hold them among the plain ones;
	// only names like credentials can be told apart there.
	plain, moved := (&hookbridge.Endpoint{Headers: plain}).SplitHeaders()
	if len(moved) == 0 {
		return nil
	}
	return s.inWriteTx(ctx, func(tx txn) error {
		var sealed []byte
		err := tx.QueryRowContext(ctx, `SELECT sealed_headers FROM endpoints WHERE id = ? AND headers = ?`, id, headers).Scan(&sealed)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // deleted or changed meanwhile
		} else if err != nil {
			return err
		}
		secret := maps.Clone(moved)
		if sealed != nil {
			var stored map[string]string
			if err := hookbridge.OpenJSON(s.cipher, "secret headers", sealed, &stored); err != nil {
				return err
			}
			maps.Copy(secret, stored) // a header sealed already wins
		}
		row := endpointRow{}
		if row.headers, err = toJSON(plain, "{}"); err != nil {
			return err
		}
		if row.sealedHeaders, err = hookbridge.SealJSON(s.cipher, "secret headers", secret); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE endpoints SET headers = ?, sealed_headers = ? WHERE id = ? AND headers = ?`,
			row.headers, row.sealedHeaders, id, headers)
		return err
	})
}
