package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
)

// sealPlaintextHeaders moves the secret headers that rows written before
// sealed_headers existed keep in plaintext in headers (those named like
// credentials: no header was marked secret then) into sealed_headers. Open
// runs it, on every node; a row that changed meanwhile is left to whoever
// changed it, and a row without such headers is not touched, so running it
// again does nothing.
func (s *Store) sealPlaintextHeaders(ctx context.Context) error {
	rows, _ := s.pool.Query(ctx, `SELECT id, headers::text FROM endpoints WHERE headers <> '{}'::jsonb ORDER BY id`)
	type row struct{ ID, Headers string }
	stored, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
	if err != nil {
		return dbError("seal plaintext secret headers", err)
	}
	for _, r := range stored {
		if err := s.sealRowHeaders(ctx, r.ID, r.Headers); err != nil {
			return fmt.Errorf("seal plaintext secret headers of endpoint %s: %w", r.ID, err)
		}
	}
	return nil
}

// sealRowHeaders seals the secret headers of one endpoint's row whose
// headers column holds headers.
func (s *Store) sealRowHeaders(ctx context.Context, id, headers string) error {
	var plain map[string]string
	if err := json.Unmarshal([]byte(headers), &plain); err != nil {
		return fmt.Errorf("decode headers: %w", err)
	}
	// Rows written before secret headers hold them among the plain ones;
	// only names like credentials can be told apart there.
	plain, moved := (&hookbridge.Endpoint{Headers: plain}).SplitHeaders()
	if len(moved) == 0 {
		return nil
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var sealed []byte
		err := tx.QueryRow(ctx, `SELECT sealed_headers FROM endpoints WHERE id = $1 AND headers = $2::jsonb FOR UPDATE`, id, headers).Scan(&sealed)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // deleted or changed meanwhile
		} else if err != nil {
			return dbError("lock endpoint", err)
		}
		secret := maps.Clone(moved)
		if sealed != nil {
			var stored map[string]string
			if err := hookbridge.OpenJSON(s.cipher, "secret headers", sealed, &stored); err != nil {
				return err
			}
			maps.Copy(secret, stored) // a header sealed already wins
		}
		rest, err := json.Marshal(plain)
		if err != nil {
			return fmt.Errorf("encode headers: %w", err)
		}
		again, err := hookbridge.SealJSON(s.cipher, "secret headers", secret)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE endpoints SET headers = $2, sealed_headers = $3 WHERE id = $1`, id, string(rest), again); err != nil {
			return dbError("write sealed headers", err)
		}
		return nil
	})
}
