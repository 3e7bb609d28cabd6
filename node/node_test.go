package node

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/httpapi"
)

var tokenPattern = regexp.MustCompile(`hbk_[A-Za-z0-9_-]{20,}`)

func TestFirstStartCreatesDefaultAppAndPrintsTokenOnce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var out bytes.Buffer
	n, err := Open(ctx, Config{DataDir: dir, TokenOut: &out})
	if err != nil {
		t.Fatal(err)
	}
	token := tokenPattern.FindString(out.String())
	if token == "" {
		t.Fatalf("no token printed at first start:\n%s", out.String())
	}
	if _, err := n.Store.GetApp(ctx, hookbridge.DefaultAppID); err != nil {
		t.Fatalf("default app: %v", err)
	}
	tok, err := n.Store.TokenByHash(ctx, httpapi.HashToken(token))
	if err != nil || !tok.IsAdmin() {
		t.Fatalf("printed token is not a stored admin token: %+v, %v", tok, err)
	}
	n.Close()

	out.Reset()
	n, err = Open(ctx, Config{DataDir: dir, TokenOut: &out})
	if err != nil {
		t.Fatal(err)
	}
	n.Close()
	if out.Len() != 0 {
		t.Fatalf("second start printed %q, want nothing", out.String())
	}
	assertNotInDatabase(t, filepath.Join(dir, "hookbridge.db"), token)
}

func TestConfiguredAdminToken(t *testing.T) {
	ctx := context.Background()
	var out bytes.Buffer
	const secret = "hbk_configured-admin-token-123"
	n, err := Open(ctx, Config{DataDir: t.TempDir(), AdminToken: secret, TokenOut: &out})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if out.Len() != 0 {
		t.Fatalf("printed %q although a token was configured", out.String())
	}
	if _, err := n.Store.TokenByHash(ctx, httpapi.HashToken(secret)); err != nil {
		t.Fatalf("configured token not accepted: %v", err)
	}
	if _, err := Open(ctx, Config{DataDir: t.TempDir(), AdminToken: "short"}); err == nil || !strings.Contains(err.Error(), "16") {
		t.Fatalf("a short admin token: %v, want refused", err)
	}
}

// assertNotInDatabase reads every text and blob column of every table.
func assertNotInDatabase(t *testing.T, path, secret string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	for _, table := range tables {
		r, err := db.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := r.Columns()
		for r.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			r.Scan(ptrs...)
			for i, v := range vals {
				var s string
				switch x := v.(type) {
				case string:
					s = x
				case []byte:
					s = string(x)
				}
				if strings.Contains(s, secret) {
					t.Fatalf("the token appears in plain text in %s.%s", table, cols[i])
				}
			}
		}
		r.Close()
	}
}
