package httpapi

import (
	"context"
	"crypto/sha256"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/hookbridge/hookbridge"
)

// Every authenticated request needs its token and, for app routes, its app.
// Reading both from the database costs two queries per request before any
// work is done, so the server keeps what it read for a short while
// (Config.CacheTTL, DefaultCacheTTL unless set).
//
// What this server changes through its API is seen at once: revoking a
// token drops it, changing an app drops the app, and an expired token is
// refused whether it was cached or not. A change made by another node
// sharing the database (or directly in the database) is seen by this node
// within the TTL, at the latest: a token revoked on node A may still work
// on node B for up to CacheTTL.
//
// Only what the store found is kept, never a miss, so unknown tokens cannot
// fill the cache; and each cache holds at most maxCacheEntries. Tokens are
// keyed by the hash of their secret: no secret is kept.

// DefaultCacheTTL is how long a token or an app read from the store is
// kept, unless Config.CacheTTL says otherwise.
const DefaultCacheTTL = 2 * time.Second

// maxCacheEntries bounds each cache: past it, an entry makes room by
// pushing out another.
const maxCacheEntries = 10_000

// ttlCache keeps values read from the store for a short time. A nil
// *ttlCache keeps nothing.
//
// Invalidation must win over a store read that raced with it: a value read
// before a change was committed must not be kept after the change dropped
// it. So put is given the generation taken before the read, and keeps the
// value only if no invalidation happened since.
type ttlCache[K comparable, V any] struct {
	ttl        time.Duration
	maxEntries int

	mu         sync.Mutex
	entries    map[K]cacheEntry[V]
	generation uint64
	swept      time.Time
}

type cacheEntry[V any] struct {
	value   V
	expires time.Time
}

// newTTLCache makes a cache of at most maxEntries values kept for ttl; a
// ttl of zero or less makes none (nil).
func newTTLCache[K comparable, V any](ttl time.Duration, maxEntries int) *ttlCache[K, V] {
	if ttl <= 0 || maxEntries <= 0 {
		return nil
	}
	return &ttlCache[K, V]{ttl: ttl, maxEntries: maxEntries, entries: make(map[K]cacheEntry[V])}
}

// get returns the value kept for key, if it has not expired by now.
func (c *ttlCache[K, V]) get(key K, now time.Time) (V, bool) {
	var zero V
	if c == nil {
		return zero, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return zero, false
	}
	if !now.Before(e.expires) {
		delete(c.entries, key)
		return zero, false
	}
	return e.value, true
}

// currentGeneration is taken before reading the store, for put.
func (c *ttlCache[K, V]) currentGeneration() uint64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.generation
}

// put keeps value for key until now+ttl, unless an invalidation happened
// since generation was taken (the value may then be stale).
func (c *ttlCache[K, V]) put(key K, value V, generation uint64, now time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if generation != c.generation {
		return
	}
	if _, replacing := c.entries[key]; !replacing {
		c.makeRoom(now)
	}
	c.entries[key] = cacheEntry[V]{value: value, expires: now.Add(c.ttl)}
}

// makeRoom drops expired entries (at most once per ttl, so that a full
// cache costs no scan per put) and then, if the cache is still full, one
// entry, whichever the map gives first.
func (c *ttlCache[K, V]) makeRoom(now time.Time) {
	if now.Sub(c.swept) >= c.ttl {
		c.swept = now
		maps.DeleteFunc(c.entries, func(_ K, e cacheEntry[V]) bool { return !now.Before(e.expires) })
	}
	for key := range c.entries {
		if len(c.entries) < c.maxEntries {
			return
		}
		delete(c.entries, key)
	}
}

// invalidate drops every entry that drop matches, and makes puts of values
// read before now refuse.
func (c *ttlCache[K, V]) invalidate(drop func(K, V) bool) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generation++
	maps.DeleteFunc(c.entries, func(key K, e cacheEntry[V]) bool { return drop(key, e.value) })
}

// len returns how many entries the cache holds, expired ones included.
func (c *ttlCache[K, V]) len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// tokenHash is a token cache key: the SHA-256 of the secret.
type tokenHash [sha256.Size]byte

// tokenByHash finds a token by the hash of its secret, from the cache if
// it was read lately. The caller gets its own copy.
func (s *Server) tokenByHash(ctx context.Context, hash []byte) (*hookbridge.Token, error) {
	if len(hash) != sha256.Size {
		return s.store.TokenByHash(ctx, hash)
	}
	return s.cachedToken(ctx, tokenHash(hash))
}

// cachedToken is tokenByHash for a hash of the right size.
func (s *Server) cachedToken(ctx context.Context, key tokenHash) (*hookbridge.Token, error) {
	if tok, ok := s.tokens.get(key, s.now()); ok {
		return &tok, nil
	}
	generation := s.tokens.currentGeneration()
	hash := key // only a miss needs the hash as a slice (on the heap)
	tok, err := s.store.TokenByHash(ctx, hash[:])
	if err != nil {
		return nil, err
	}
	s.tokens.put(key, *tok, generation, s.now())
	return tok, nil
}

// revokeStoredToken revokes a token of the app and drops it from the
// cache, so that this server refuses it from now on.
func (s *Server) revokeStoredToken(ctx context.Context, appID, id string, at time.Time) error {
	err := s.store.RevokeToken(ctx, appID, id, at)
	// Dropped even on an error: the revocation may have been stored.
	s.tokens.invalidate(func(_ tokenHash, tok hookbridge.Token) bool { return tok.ID == id })
	return err
}

// loadApp reads an app, from the cache if it was read lately. The caller
// gets its own copy, which it may change.
func (s *Server) loadApp(ctx context.Context, id string) (*hookbridge.App, error) {
	if app, ok := s.apps.get(id, s.now()); ok {
		return cloneApp(app), nil
	}
	generation := s.apps.currentGeneration()
	app, err := s.store.GetApp(ctx, id)
	if err != nil {
		return nil, err
	}
	s.apps.put(id, *cloneApp(*app), generation, s.now())
	return app, nil
}

// appChanged drops an app from the cache after a change to it.
func (s *Server) appChanged(id string) {
	s.apps.invalidate(func(key string, _ hookbridge.App) bool { return key == id })
}

func cloneApp(app hookbridge.App) *hookbridge.App {
	app.RetrySchedule = slices.Clone(app.RetrySchedule)
	return &app
}
