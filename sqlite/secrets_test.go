package sqlite_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

// TestSecretsAreSealedAtRest writes credentials and signing secrets through
// the store, then reads the database file directly and checks that no
// plaintext secret appears in any column of any table, nor anywhere in the
// files on disk.
func TestSecretsAreSealedAtRest(t *testing.T) {
	s, path := openTestStore(t)
	ctx := t.Context()
	now := time.Now().UTC()
	secrets := []string{
		"whsec_c2lnbmluZyBzZWNyZXQgb25lIGZvciB0ZXN0",
		"whsec_c2lnbmluZyBzZWNyZXQgdHdvIGZvciB0ZXN0",
		"cio-api-key-0f1e2d3c4b5a69788796a5b4c3d2e1f0",
		"segment-write-key-9a8b7c6d5e4f3a2b1c0d",
	}
	if err := s.CreateApp(ctx, &hookbridge.App{ID: "acme", Name: "Acme", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	source := &hookbridge.Source{ID: hookbridge.NewID("src"), AppID: "acme", Name: "platform", CreatedAt: now, UpdatedAt: now,
		Secrets: []hookbridge.SourceSecret{{Secret: secrets[0], CreatedAt: now}}}
	if err := s.CreateSource(ctx, source); err != nil {
		t.Fatal(err)
	}
	source.Secrets = append(source.Secrets, hookbridge.SourceSecret{Secret: secrets[1], CreatedAt: now})
	if err := s.UpdateSource(ctx, source); err != nil {
		t.Fatal(err)
	}
	endpoint := &hookbridge.Endpoint{ID: hookbridge.NewID("ep"), AppID: "acme", Name: "cio", Integration: "customerio",
		Credentials: hookbridge.Credentials{"site_id": "site", "api_key": secrets[2]}, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.CreateEndpoint(ctx, endpoint); err != nil {
		t.Fatal(err)
	}
	endpoint.Credentials = hookbridge.Credentials{"write_key": secrets[3]}
	if err := s.UpdateEndpoint(ctx, endpoint); err != nil {
		t.Fatal(err)
	}

	// The store must still give the secrets back.
	got, err := s.GetEndpoint(ctx, "acme", endpoint.ID)
	if err != nil || got.Credentials["write_key"] != secrets[3] {
		t.Fatalf("credentials do not round-trip: %v", err)
	}

	checkNoPlaintextInTables(t, path, secrets)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	checkNoPlaintextInFiles(t, filepath.Dir(path), secrets)
}

func checkNoPlaintextInTables(t *testing.T, path string, secrets []string) {
	t.Helper()
	db := rawDB(t, path)
	tables := queryStrings(t, db, "SELECT name FROM sqlite_master WHERE type = 'table'")
	if len(tables) < 7 {
		t.Fatalf("found only tables %v", tables)
	}
	for _, table := range tables {
		rows, err := db.Query(fmt.Sprintf("SELECT * FROM %q", table))
		if err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		columns, _ := rows.Columns()
		for rows.Next() {
			values := make([]any, len(columns))
			pointers := make([]any, len(columns))
			for i := range values {
				pointers[i] = &values[i]
			}
			if err := rows.Scan(pointers...); err != nil {
				t.Fatal(err)
			}
			for i, v := range values {
				text := fmt.Sprint(v)
				if b, ok := v.([]byte); ok {
					text = string(b)
				}
				for _, secret := range secrets {
					if bytes.Contains([]byte(text), []byte(secret)) {
						t.Errorf("table %s, column %s holds a secret in plain text", table, columns[i])
					}
				}
			}
		}
		rows.Close()
	}
}

func checkNoPlaintextInFiles(t *testing.T, dir string, secrets []string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range secrets {
			if bytes.Contains(data, []byte(secret)) {
				t.Errorf("file %s holds a secret in plain text", e.Name())
			}
		}
	}
}

func queryStrings(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}
