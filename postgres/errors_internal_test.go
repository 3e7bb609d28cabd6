package postgres

import (
	"errors"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestDBErrorMapsDomainErrors(t *testing.T) {
	tests := []struct {
		code string
		want error
	}{
		{"23505", hookbridge.ErrConflict},
		{"23503", hookbridge.ErrNotFound},
		{"53100", hookbridge.ErrStorageFull}, // disk_full
	}
	for _, tt := range tests {
		pgErr := &pgconn.PgError{Code: tt.code, Message: "from the server"}
		err := dbError("store something", pgErr)
		if !errors.Is(err, tt.want) {
			t.Errorf("SQLSTATE %s: %v, want %v", tt.code, err, tt.want)
		}
	}
	if err := dbError("store something", &pgconn.PgError{Code: "53200"}); errors.Is(err, hookbridge.ErrStorageFull) {
		t.Errorf("out of memory (53200) taken for a full disk: %v", err)
	}
}
