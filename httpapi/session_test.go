package httpapi

import (
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/postgres"
	"github.com/hookbridge/hookbridge/postgres/pgtest"
	"github.com/hookbridge/hookbridge/secretbox"
	"github.com/hookbridge/hookbridge/sqlite"
)

// sessionNodes are two API servers (nodes) on one store, with the app
// "acme" and a token of it, signing sessions with the same key ring.
type sessionNodes struct {
	a, b  *Server
	token string
	tokID string
}

func newRing(t *testing.T, keys ...[]byte) *secretbox.Keyring {
	t.Helper()
	ring, err := secretbox.New(keys...)
	if err != nil {
		t.Fatal(err)
	}
	return ring
}

func randomKey() []byte {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return key
}

// openSessionStores opens, for each store, two handles on one database as
// two nodes would.
func openSessionStores(t *testing.T, ring *secretbox.Keyring) map[string][2]hookbridge.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sessions.db")
	lite, err := sqlite.Open(t.Context(), path, ring)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lite.Close() })
	stores := map[string][2]hookbridge.Store{"sqlite": {lite, lite}}

	url := pgtest.FreshDatabase(t)
	var pair [2]hookbridge.Store
	for i := range pair {
		pg, err := postgres.Open(t.Context(), url, ring)
		if err != nil {
			pgtest.Missing(t, err)
		}
		t.Cleanup(func() { pg.Close() })
		pair[i] = pg
	}
	stores["postgres"] = pair
	return stores
}

func newSessionNodes(t *testing.T, ring *secretbox.Keyring, stores [2]hookbridge.Store) *sessionNodes {
	t.Helper()
	now := time.Now().UTC()
	if err := stores[0].CreateApp(t.Context(), &hookbridge.App{ID: "acme", Name: "Acme", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	secret, tok, err := NewToken("acme", "dashboard", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := stores[0].CreateToken(t.Context(), tok); err != nil {
		t.Fatal(err)
	}
	node := func(store hookbridge.Store) *Server {
		return New(Config{Store: store, Integrations: hookbridge.NewIntegrations(), Sessions: ring})
	}
	return &sessionNodes{a: node(stores[0]), b: node(stores[1]), token: secret, tokID: tok.ID}
}

// signIn signs in on s and returns the session cookie.
func signIn(t *testing.T, s *Server, token string) *http.Cookie {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/auth/login", strings.NewReader(`{"token":"`+token+`"}`))
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("sign in: %d %s", rec.Code, rec.Body)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	t.Fatal("sign in set no session cookie")
	return nil
}

func withCookie(t *testing.T, s *Server, c *http.Cookie, method, path string) int {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	req.AddCookie(c)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec.Code
}

func checkSessionStatus(t *testing.T, s *Server, c *http.Cookie, node string, want int) {
	t.Helper()
	for _, path := range []string{"/auth/session", "/api/v1/apps/acme/endpoints"} {
		if got := withCookie(t, s, c, http.MethodGet, path); got != want {
			t.Errorf("node %s: GET %s with the session: %d, want %d", node, path, got, want)
		}
	}
}

func TestSignOutEndsTheSessionOnEveryNode(t *testing.T) {
	ring := newRing(t, randomKey())
	for name, stores := range openSessionStores(t, ring) {
		t.Run(name, func(t *testing.T) {
			n := newSessionNodes(t, ring, stores)
			cookie := signIn(t, n.a, n.token)
			other := signIn(t, n.a, n.token)
			checkSessionStatus(t, n.a, cookie, "a", http.StatusOK)
			checkSessionStatus(t, n.b, cookie, "b", http.StatusOK)

			if got := withCookie(t, n.a, cookie, http.MethodPost, "/auth/logout"); got != http.StatusNoContent {
				t.Fatalf("sign out: %d", got)
			}
			// The browser was told to drop the cookie; one that kept it
			// (or a stolen copy) is refused by every node.
			checkSessionStatus(t, n.a, cookie, "a", http.StatusUnauthorized)
			checkSessionStatus(t, n.b, cookie, "b", http.StatusUnauthorized)
			// Another sign-in of the same token goes on.
			checkSessionStatus(t, n.b, other, "b", http.StatusOK)
		})
	}
}

func TestRevokingTheTokenEndsItsSessions(t *testing.T) {
	ring := newRing(t, randomKey())
	for name, stores := range openSessionStores(t, ring) {
		t.Run(name, func(t *testing.T) {
			n := newSessionNodes(t, ring, stores)
			cookie := signIn(t, n.a, n.token)
			checkSessionStatus(t, n.a, cookie, "a", http.StatusOK)
			mustCall(t, n.a, n.token, http.MethodDelete, "/api/v1/apps/acme/tokens/"+n.tokID, "", http.StatusNoContent)
			checkSessionStatus(t, n.a, cookie, "a", http.StatusUnauthorized)
			// Another node sees the revocation within its cache's time
			// (CacheTTL); this one caches nothing.
			uncached := New(Config{Store: stores[1], Integrations: hookbridge.NewIntegrations(), Sessions: ring, CacheTTL: -1})
			checkSessionStatus(t, uncached, cookie, "b", http.StatusUnauthorized)
		})
	}
}

func TestKeyRotationEndsSessions(t *testing.T) {
	oldKey := randomKey()
	ring := newRing(t, oldKey)
	stores := openSessionStores(t, ring)["sqlite"]
	n := newSessionNodes(t, ring, stores)
	cookie := signIn(t, n.a, n.token)
	checkSessionStatus(t, n.a, cookie, "a", http.StatusOK)

	// After the rotation the ring leads with a new key and keeps the old
	// one to read stored secrets; sessions sealed under the old one end.
	rotated := New(Config{Store: stores[0], Integrations: hookbridge.NewIntegrations(), Sessions: newRing(t, randomKey(), oldKey)})
	checkSessionStatus(t, rotated, cookie, "rotated", http.StatusUnauthorized)
	fresh := signIn(t, rotated, n.token)
	checkSessionStatus(t, rotated, fresh, "rotated", http.StatusOK)
}

func signInFrom(s *Server, addr, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/auth/login", strings.NewReader(`{"token":"`+token+`"}`))
	req.RemoteAddr = addr
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

func TestFailedSignInsAreLimitedPerClientAddress(t *testing.T) {
	ring := newRing(t, randomKey())
	n := newSessionNodes(t, ring, openSessionStores(t, ring)["sqlite"])
	now := time.Now()
	n.a.now = func() time.Time { return now }
	const attacker, colleague = "203.0.113.7:50000", "198.51.100.9:40000"

	// Successful sign-ins are not counted.
	for i := range 2 * failedSignInBurst {
		if rec := signInFrom(n.a, attacker, n.token); rec.Code != http.StatusOK {
			t.Fatalf("sign-in %d with the right token: %d %s", i+1, rec.Code, rec.Body)
		}
	}
	for i := range failedSignInBurst {
		if rec := signInFrom(n.a, attacker, "hbk_guess"); rec.Code != http.StatusUnauthorized {
			t.Fatalf("failed sign-in %d: %d %s, want 401", i+1, rec.Code, rec.Body)
		}
	}
	// Past the burst even the right token waits, so guessing cannot go on.
	rec := signInFrom(n.a, attacker, n.token)
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("sign-in after %d failures: %d (Retry-After %q), want 429 with Retry-After",
			failedSignInBurst, rec.Code, rec.Header().Get("Retry-After"))
	}
	if rec := signInFrom(n.a, colleague, n.token); rec.Code != http.StatusOK {
		t.Errorf("another address was refused: %d %s", rec.Code, rec.Body)
	}
	now = now.Add(time.Duration(float64(time.Second) / failedSignInRate))
	if rec := signInFrom(n.a, attacker, n.token); rec.Code != http.StatusOK {
		t.Errorf("a sign-in once the wait is over: %d %s", rec.Code, rec.Body)
	}
}
