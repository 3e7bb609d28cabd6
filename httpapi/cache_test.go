package httpapi

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/integration/builtin"
	"github.com/hookbridge/hookbridge/secretbox"
	"github.com/hookbridge/hookbridge/sqlite"
)

func TestTTLCacheKeepsForTheTTL(t *testing.T) {
	c := newTTLCache[string, int](2*time.Second, 10)
	t0 := time.Date(2025, 8, 4, 12, 0, 0, 0, time.UTC)
	c.put("a", 1, c.currentGeneration(), t0)
	if v, ok := c.get("a", t0.Add(2*time.Second-time.Nanosecond)); !ok || v != 1 {
		t.Fatalf("within the TTL: %v %v, want 1", v, ok)
	}
	if _, ok := c.get("a", t0.Add(2*time.Second)); ok {
		t.Fatal("kept past the TTL")
	}
	if _, ok := c.get("b", t0); ok {
		t.Fatal("found a key never put")
	}
}

func TestTTLCacheInvalidationWinsOverAStaleRead(t *testing.T) {
	c := newTTLCache[string, int](time.Minute, 10)
	t0 := time.Now()
	c.put("a", 1, c.currentGeneration(), t0)
	c.put("b", 2, c.currentGeneration(), t0)
	readBefore := c.currentGeneration() // a store read starts…
	c.invalidate(func(key string, _ int) bool { return key == "a" })
	c.put("a", 1, readBefore, t0) // …and ends after the change
	if _, ok := c.get("a", t0); ok {
		t.Fatal("a value read before the invalidation was kept")
	}
	if v, ok := c.get("b", t0); !ok || v != 2 {
		t.Fatalf("an entry the invalidation did not match was dropped: %v %v", v, ok)
	}
	c.put("a", 3, c.currentGeneration(), t0)
	if v, ok := c.get("a", t0); !ok || v != 3 {
		t.Fatalf("a value read after the invalidation: %v %v, want 3", v, ok)
	}
}

func TestTTLCacheIsBounded(t *testing.T) {
	c := newTTLCache[int, int](time.Minute, 100)
	t0 := time.Now()
	for i := range 1000 {
		c.put(i, i, c.currentGeneration(), t0)
	}
	if n := c.len(); n != 100 {
		t.Fatalf("holds %d entries, want the bound of 100", n)
	}
	c.put(5000, 5000, c.currentGeneration(), t0)
	if v, ok := c.get(5000, t0); !ok || v != 5000 {
		t.Fatal("a full cache did not take a new entry")
	}
	// Expired entries make room before live ones are pushed out.
	later := t0.Add(time.Minute)
	c.put(-1, -1, c.currentGeneration(), later)
	if n := c.len(); n != 1 {
		t.Fatalf("after the TTL passed, holds %d entries, want only the new one", n)
	}
}

func TestTTLCacheOffKeepsNothing(t *testing.T) {
	for _, ttl := range []time.Duration{0, -time.Second} {
		c := newTTLCache[string, int](ttl, 10)
		c.put("a", 1, c.currentGeneration(), time.Now())
		c.invalidate(func(string, int) bool { return true })
		if _, ok := c.get("a", time.Now()); ok || c.len() != 0 {
			t.Fatalf("a cache with TTL %v kept a value", ttl)
		}
	}
}

// countingStore counts the reads the caches save.
type countingStore struct {
	*sqlite.Store
	tokenReads, appReads atomic.Int64
}

func (s *countingStore) TokenByHash(ctx context.Context, hash []byte) (*hookbridge.Token, error) {
	s.tokenReads.Add(1)
	return s.Store.TokenByHash(ctx, hash)
}

func (s *countingStore) GetApp(ctx context.Context, id string) (*hookbridge.App, error) {
	s.appReads.Add(1)
	return s.Store.GetApp(ctx, id)
}

// cacheFixture is a store with the app "acme", an admin token and a token
// of acme, and servers on it whose clock the test sets.
type cacheFixture struct {
	store    *countingStore
	admin    string
	appToken string
	now      time.Time
}

func newCacheFixture(t *testing.T) *cacheFixture {
	t.Helper()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	ring, err := secretbox.New(key)
	if err != nil {
		t.Fatal(err)
	}
	store, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "cache.db"), ring)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	f := &cacheFixture{store: &countingStore{Store: store}, now: time.Now().UTC()}
	if err := store.CreateApp(t.Context(), &hookbridge.App{ID: "acme", Name: "Acme", CreatedAt: f.now}); err != nil {
		t.Fatal(err)
	}
	f.admin = f.addToken(t, "", nil)
	f.appToken = f.addToken(t, "acme", nil)
	return f
}

// addToken stores a token of app (admin if "") and returns its secret.
func (f *cacheFixture) addToken(t *testing.T, app string, expires *time.Time) string {
	t.Helper()
	secret, tok, err := NewToken(app, "test", f.now)
	if err != nil {
		t.Fatal(err)
	}
	tok.ExpiresAt = expires
	if err := f.store.CreateToken(t.Context(), tok); err != nil {
		t.Fatal(err)
	}
	return secret
}

// server is a node on the fixture's store, on the fixture's clock.
func (f *cacheFixture) server(ttl time.Duration) *Server {
	s := New(Config{Store: f.store, Integrations: hookbridge.NewIntegrations(builtin.All()...), EventTypes: catalog.All(), CacheTTL: ttl})
	s.now = func() time.Time { return f.now }
	return s
}

func call(t *testing.T, s *Server, secret, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+secret)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

func mustCall(t *testing.T, s *Server, secret, method, path, body string, want int) *httptest.ResponseRecorder {
	t.Helper()
	rec := call(t, s, secret, method, path, body)
	if rec.Code != want {
		t.Fatalf("%s %s: %d %s, want %d", method, path, rec.Code, rec.Body, want)
	}
	return rec
}

func TestCachedTokenAndAppSaveStoreReads(t *testing.T) {
	f := newCacheFixture(t)
	s := f.server(0) // the default TTL
	mustCall(t, s, f.appToken, "GET", "/api/v1/apps/acme", "", http.StatusOK)
	tokens, apps := f.store.tokenReads.Load(), f.store.appReads.Load()
	for range 3 {
		mustCall(t, s, f.appToken, "GET", "/api/v1/apps/acme", "", http.StatusOK)
	}
	if got := f.store.tokenReads.Load() - tokens; got != 0 {
		t.Errorf("cached token read %d more times", got)
	}
	if got := f.store.appReads.Load() - apps; got != 0 {
		t.Errorf("cached app read %d more times", got)
	}
	f.now = f.now.Add(DefaultCacheTTL)
	mustCall(t, s, f.appToken, "GET", "/api/v1/apps/acme", "", http.StatusOK)
	if f.store.tokenReads.Load() == tokens || f.store.appReads.Load() == apps {
		t.Error("token and app were not read again after the TTL")
	}
}

func TestCacheOffReadsTheStoreEveryTime(t *testing.T) {
	f := newCacheFixture(t)
	s := f.server(-1)
	for range 3 {
		mustCall(t, s, f.appToken, "GET", "/api/v1/apps/acme", "", http.StatusOK)
	}
	if tokens, apps := f.store.tokenReads.Load(), f.store.appReads.Load(); tokens != 3 || apps != 3 {
		t.Errorf("read the token %d and the app %d times for 3 calls, want 3 each", tokens, apps)
	}
}

func TestRevokedCachedTokenIsRefusedAtOnce(t *testing.T) {
	f := newCacheFixture(t)
	s := f.server(time.Hour)
	var second struct{ ID, Token string }
	rec := mustCall(t, s, f.appToken, "POST", "/api/v1/apps/acme/tokens", `{"name":"second"}`, http.StatusCreated)
	if err := json.Unmarshal(rec.Body.Bytes(), &second); err != nil {
		t.Fatal(err)
	}
	mustCall(t, s, second.Token, "GET", "/api/v1/apps/acme", "", http.StatusOK) // cached now
	mustCall(t, s, f.appToken, "DELETE", "/api/v1/apps/acme/tokens/"+second.ID, "", http.StatusNoContent)
	rec = mustCall(t, s, second.Token, "GET", "/api/v1/apps/acme", "", http.StatusUnauthorized)
	if !strings.Contains(rec.Body.String(), "revoked") {
		t.Errorf("answer %s, want one that says the token is revoked", rec.Body)
	}
	// The token that revoked it is still good.
	mustCall(t, s, f.appToken, "GET", "/api/v1/apps/acme", "", http.StatusOK)
}

func TestExpiredCachedTokenIsRefusedAtOnce(t *testing.T) {
	f := newCacheFixture(t)
	expires := f.now.Add(time.Second)
	short := f.addToken(t, "acme", &expires)
	s := f.server(time.Hour)
	mustCall(t, s, short, "GET", "/api/v1/apps/acme", "", http.StatusOK) // cached for an hour
	f.now = expires
	mustCall(t, s, short, "GET", "/api/v1/apps/acme", "", http.StatusUnauthorized)
}

func TestAppChangedThroughTheAPIIsSeenAtOnce(t *testing.T) {
	f := newCacheFixture(t)
	s := f.server(time.Hour)
	schedule := func() []string {
		var app struct {
			RetrySchedule []string `json:"retry_schedule"`
		}
		rec := mustCall(t, s, f.admin, "GET", "/api/v1/apps/acme", "", http.StatusOK)
		if err := json.Unmarshal(rec.Body.Bytes(), &app); err != nil {
			t.Fatal(err)
		}
		return app.RetrySchedule
	}
	if got := schedule(); len(got) != 0 {
		t.Fatalf("schedule %v, want none", got)
	}
	mustCall(t, s, f.admin, "PATCH", "/api/v1/apps/acme", `{"retry_schedule":["0s","1m"]}`, http.StatusOK)
	if got := fmt.Sprint(schedule()); got != "[0s 1m]" {
		t.Fatalf("after the change, schedule %s, want [0s 1m]", got)
	}
	// A refused change leaves the cached app as it was.
	mustCall(t, s, f.admin, "PATCH", "/api/v1/apps/acme", `{"retry_schedule":["5s"]}`, http.StatusUnprocessableEntity)
	if got := fmt.Sprint(schedule()); got != "[0s 1m]" {
		t.Fatalf("after a refused change, schedule %s, want [0s 1m]", got)
	}
}

// TestAnotherNodeSeesARevocationWithinTheTTL: a node caches a token for
// the TTL at most, so a revocation on another node reaches it by then.
func TestAnotherNodeSeesARevocationWithinTheTTL(t *testing.T) {
	f := newCacheFixture(t)
	nodeA, nodeB := f.server(DefaultCacheTTL), f.server(DefaultCacheTTL)
	var second struct{ ID, Token string }
	rec := mustCall(t, nodeA, f.admin, "POST", "/api/v1/apps/acme/tokens", `{}`, http.StatusCreated)
	if err := json.Unmarshal(rec.Body.Bytes(), &second); err != nil {
		t.Fatal(err)
	}
	mustCall(t, nodeB, second.Token, "GET", "/api/v1/apps/acme", "", http.StatusOK)
	mustCall(t, nodeA, f.admin, "DELETE", "/api/v1/apps/acme/tokens/"+second.ID, "", http.StatusNoContent)
	mustCall(t, nodeA, second.Token, "GET", "/api/v1/apps/acme", "", http.StatusUnauthorized)
	// Node B has not heard of it yet…
	mustCall(t, nodeB, second.Token, "GET", "/api/v1/apps/acme", "", http.StatusOK)
	// …but after the TTL it reads the token again.
	f.now = f.now.Add(DefaultCacheTTL)
	mustCall(t, nodeB, second.Token, "GET", "/api/v1/apps/acme", "", http.StatusUnauthorized)
}

func TestUnknownTokensAreNotCached(t *testing.T) {
	f := newCacheFixture(t)
	s := f.server(time.Hour)
	for i := range 50 {
		mustCall(t, s, fmt.Sprintf("hbk_unknown%d", i), "GET", "/api/v1/apps/acme", "", http.StatusUnauthorized)
	}
	if n := s.tokens.len(); n != 0 {
		t.Fatalf("the token cache holds %d entries after unknown tokens only", n)
	}
	mustCall(t, s, f.appToken, "GET", "/api/v1/apps/nobody", "", http.StatusNotFound)
	mustCall(t, s, f.admin, "GET", "/api/v1/apps/nobody", "", http.StatusNotFound)
	if n := s.apps.len(); n != 0 {
		t.Fatalf("the app cache holds %d entries after unknown apps only", n)
	}
}

// TestCacheKeepsNoSecret: the token cache is keyed by the hash of the
// secret, and holds no secret.
func TestCacheKeepsNoSecret(t *testing.T) {
	f := newCacheFixture(t)
	s := f.server(time.Hour)
	mustCall(t, s, f.appToken, "GET", "/api/v1/apps/acme", "", http.StatusOK)
	if s.tokens.len() != 1 {
		t.Fatalf("the token cache holds %d entries, want 1", s.tokens.len())
	}
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	for key, e := range s.tokens.entries {
		dump := fmt.Sprintf("%+v %+v", key, e)
		if strings.Contains(dump, f.appToken) || bytes.Contains(key[:], []byte(f.appToken)) {
			t.Fatalf("the cache holds the secret: %s", dump)
		}
		if !bytes.Equal(key[:], HashToken(f.appToken)) {
			t.Fatalf("key %x is not the hash of the secret", key)
		}
	}
}
