package postgres_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge/storetest"
)

// TestSecretHeadersSealedAtRest stores an endpoint with a header named like
// a credential and one marked secret, and reads the row itself: the secret
// values are only in sealed_headers, sealed, and the plain header stays in
// headers.
func TestSecretHeadersSealedAtRest(t *testing.T) {
	dbURL := freshDatabase(t)
	s := openStore(t, dbURL)
	f := newFixture(t, s)
	ep := f.endpoint
	ep.Headers = map[string]string{"Authorization": "Bearer pg-header-token-0123456789", "X-Custom": "pg-marked-secret-9876", "X-Team": "growth"}
	ep.SecretHeaders = []string{"X-Custom"}
	if err := s.UpdateEndpoint(t.Context(), ep); err != nil {
		t.Fatal(err)
	}
	var headers string
	var sealed []byte
	query(t, dbURL, `SELECT headers::text, sealed_headers FROM endpoints WHERE id = '`+ep.ID+`'`, &headers, &sealed)
	if strings.Contains(headers, "pg-header-token") || strings.Contains(headers, "pg-marked-secret") || !strings.Contains(headers, "growth") {
		t.Fatalf("headers column: %s", headers)
	}
	if bytes.Contains(sealed, []byte("pg-header-token")) || bytes.Contains(sealed, []byte("pg-marked-secret")) {
		t.Fatal("sealed_headers holds a secret in plain text")
	}
	opened, err := storetest.NewTestCipher().Open(sealed)
	if err != nil || !bytes.Contains(opened, []byte("pg-header-token")) || !bytes.Contains(opened, []byte("pg-marked-secret")) {
		t.Fatalf("sealed_headers does not hold the secret headers once opened: %v", err)
	}
}

// TestPlaintextSecretHeadersAreSealedOnOpen writes a row as the store did
// before secret headers were sealed (an Authorization header in headers),
// and opens the store again: the header is sealed, and the endpoint still
// sends it.
func TestPlaintextSecretHeadersAreSealedOnOpen(t *testing.T) {
	ctx := context.Background()
	dbURL := freshDatabase(t)
	s := openStore(t, dbURL)
	f := newFixture(t, s)
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	old := `{"Authorization": "Bearer legacy-plain-token-0123", "X-Team": "growth"}`
	if _, err := conn.Exec(ctx, `UPDATE endpoints SET headers = $1::jsonb, sealed_headers = NULL WHERE id = $2`, old, f.endpoint.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetEndpoint(ctx, f.app.ID, f.endpoint.ID)
	if err != nil || got.Headers["Authorization"] != "Bearer legacy-plain-token-0123" || !got.IsSecretHeader("Authorization") {
		t.Fatalf("a plaintext row before it is sealed: %v, %v", got.Headers, err)
	}

	again := openStore(t, dbURL)
	var headers string
	var sealed []byte
	query(t, dbURL, `SELECT headers::text, sealed_headers FROM endpoints WHERE id = '`+f.endpoint.ID+`'`, &headers, &sealed)
	if strings.Contains(headers, "legacy-plain-token") || sealed == nil || bytes.Contains(sealed, []byte("legacy-plain-token")) {
		t.Fatalf("after open: headers %s, sealed %d bytes", headers, len(sealed))
	}
	got, err = again.GetEndpoint(ctx, f.app.ID, f.endpoint.ID)
	if err != nil || got.Headers["Authorization"] != "Bearer legacy-plain-token-0123" || got.Headers["X-Team"] != "growth" {
		t.Fatalf("after open the endpoint has headers %v, %v", got.Headers, err)
	}
	if n, err := again.ResealSecrets(ctx, func([]byte) bool { return true }); err != nil || n != 2 {
		t.Fatalf("resealed %d values (credentials and secret headers), want 2: %v", n, err)
	}
}
