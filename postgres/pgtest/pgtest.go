package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultServerURL is the test server when HOOKBRIDGE_TEST_POSTGRES_URL is
// not set.
const DefaultServerURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// RequireEnv names the environment variable that turns a missing server
// from a skip into a failure.
const RequireEnv = "HOOKBRIDGE_REQUIRE_POSTGRES"

// ServerURL returns the URL of a database on the test server through which
// databases can be created.
func ServerURL() string {
	if u := os.Getenv("HOOKBRIDGE_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return DefaultServerURL
}

// Required reports whether tests must fail, rather than skip, when no
// PostgreSQL server answers.
func Required() bool {
	return os.Getenv(RequireEnv) == "1"
}

// FreshDatabase creates an empty database for the test, dropped when the
// test ends, and returns its URL. When no server answers it skips the test,
// or fails it if Required.
func FreshDatabase(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, ServerURL())
	if err != nil {
		Missing(t, err)
	}
	defer admin.Close(context.Background())
	name := "hookbridge_test_" + randomHex(t, 6)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() { dropDatabase(t, name) })
	return WithDatabase(t, ServerURL(), name)
}

// Missing ends a test that needs PostgreSQL after connecting failed with
// err: a skip that says how to start a server, or a failure if Required.
func Missing(t testing.TB, err error) {
	t.Helper()
	msg := "PostgreSQL is missing (" + err.Error() + "). Start one with trust auth on 127.0.0.1:5432 " +
		"(e.g. `docker run --rm -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:15`, " +
		"or `pg_ctlcluster 15 main start`), or point HOOKBRIDGE_TEST_POSTGRES_URL at a server " +
		"where the user may create databases."
	if Required() {
		t.Fatal(msg + " " + RequireEnv + "=1: failing instead of skipping.")
	}
	t.Skip(msg)
}

func dropDatabase(t testing.TB, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, ServerURL())
	if err != nil {
		t.Errorf("drop test database %s: %v", name, err)
		return
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		t.Errorf("drop test database %s: %v", name, err)
	}
}

// WithDatabase returns connString (a URL or a key=value string) pointing at
// database name instead.
func WithDatabase(t testing.TB, connString, name string) string {
	t.Helper()
	if !strings.Contains(connString, "://") {
		return connString + " dbname=" + name
	}
	u, err := url.Parse(connString)
	if err != nil {
		t.Fatalf("HOOKBRIDGE_TEST_POSTGRES_URL is not a valid URL")
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(t testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
