package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/sqlite"
	"github.com/hookbridge/hookbridge/storetest"
)

// secretHeadersEndpoint creates an app and an endpoint with the given
// headers.
func secretHeadersEndpoint(t *testing.T, s *sqlite.Store, headers map[string]string, marked ...string) *hookbridge.Endpoint {
	t.Helper()
	now := time.Now().UTC()
	if err := s.CreateApp(t.Context(), &hookbridge.App{ID: "acme", Name: "Acme", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	ep := &hookbridge.Endpoint{ID: hookbridge.NewID("ep"), AppID: "acme", Name: "hook", Integration: "webhook",
		URL: "https://example.com/hook", Headers: headers, SecretHeaders: marked, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.CreateEndpoint(t.Context(), ep); err != nil {
		t.Fatal(err)
	}
	return ep
}

// readHeaderColumns reads an endpoint's two header columns from the file.
func readHeaderColumns(t *testing.T, path, id string) (headers string, sealed []byte) {
	t.Helper()
	if err := rawDB(t, path).QueryRow(`SELECT headers, sealed_headers FROM endpoints WHERE id = ?`, id).Scan(&headers, &sealed); err != nil {
		t.Fatal(err)
	}
	return headers, sealed
}

// TestSecretHeadersSealedAtRest stores an endpoint with a header named like
// a credential and one marked secret, and reads the row itself: the secret
// values are only in sealed_headers, sealed.
func TestSecretHeadersSealedAtRest(t *testing.T) {
	s, path := openTestStore(t)
	ep := secretHeadersEndpoint(t, s, map[string]string{
		"Authorization": "Bearer lite-header-token-0123456789", "X-Custom": "lite-marked-secret-9876", "X-Team": "growth"}, "X-Custom")
	headers, sealed := readHeaderColumns(t, path, ep.ID)
	if strings.Contains(headers, "lite-header-token") || strings.Contains(headers, "lite-marked-secret") || !strings.Contains(headers, "growth") {
		t.Fatalf("headers column: %s", headers)
	}
	if bytes.Contains(sealed, []byte("lite-header-token")) || bytes.Contains(sealed, []byte("lite-marked-secret")) {
		t.Fatal("sealed_headers holds a secret in plain text")
	}
	opened, err := storetest.NewTestCipher().Open(sealed)
	if err != nil || !bytes.Contains(opened, []byte("lite-header-token")) || !bytes.Contains(opened, []byte("lite-marked-secret")) {
		t.Fatalf("sealed_headers does not hold the secret headers once opened: %v", err)
	}
	checkNoPlaintextInTables(t, path, []string{"lite-header-token-0123456789", "lite-marked-secret-9876"})
}

// TestPlaintextSecretHeadersAreSealedOnOpen writes a row as the store did
// before secret headers were sealed (an Authorization header in headers),
// and opens the store again: the header is sealed, and the endpoint still
// sends it.
func TestPlaintextSecretHeadersAreSealedOnOpen(t *testing.T) {
	ctx := context.Background()
	s, path := openTestStore(t)
	ep := secretHeadersEndpoint(t, s, map[string]string{"X-Team": "growth"})
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	old := `{"Authorization":"Bearer legacy-plain-token-0123","X-Team":"growth"}`
	if _, err := db.Exec(`UPDATE endpoints SET headers = ?, sealed_headers = NULL WHERE id = ?`, old, ep.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetEndpoint(ctx, "acme", ep.ID)
	if err != nil || got.Headers["Authorization"] != "Bearer legacy-plain-token-0123" || !got.IsSecretHeader("Authorization") {
		t.Fatalf("a plaintext row before it is sealed: %v, %v", got.Headers, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	again, err := sqlite.Open(ctx, path, storetest.NewTestCipher())
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	headers, sealed := readHeaderColumns(t, path, ep.ID)
	if strings.Contains(headers, "legacy-plain-token") || sealed == nil || bytes.Contains(sealed, []byte("legacy-plain-token")) {
		t.Fatalf("after open: headers %s, sealed %d bytes", headers, len(sealed))
	}
	got, err = again.GetEndpoint(ctx, "acme", ep.ID)
	if err != nil || got.Headers["Authorization"] != "Bearer legacy-plain-token-0123" || got.Headers["X-Team"] != "growth" {
		t.Fatalf("after open the endpoint has headers %v, %v", got.Headers, err)
	}
	if n, err := again.ResealSecrets(ctx, func([]byte) bool { return true }); err != nil || n != 2 {
		t.Fatalf("resealed %d values (credentials and secret headers), want 2: %v", n, err)
	}
}
