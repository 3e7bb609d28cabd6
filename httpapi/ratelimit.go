package httpapi

import (
	"maps"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/hookbridge/hookbridge"
)

// tokenLimiter is the management API's rate limit: a token bucket per API
// token, in this process. A nil *tokenLimiter limits nothing.
type tokenLimiter struct {
	limit rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	used time.Time
}

// idleBucket is how long a token's bucket is kept after its last call; a
// bucket idle that long is full again anyway.
const idleBucket = 10 * time.Minute

func newTokenLimiter(perSecond float64, burst int) *tokenLimiter {
	if perSecond <= 0 {
		return nil
	}
	if burst <= 0 {
		burst = max(1, int(math.Ceil(2*perSecond)))
	}
	return &tokenLimiter{limit: rate.Limit(perSecond), burst: burst, buckets: map[string]*bucket{}}
}

// wait says how long the token must wait before its next call; zero means
// it may call now (and the call is counted).
func (l *tokenLimiter) wait(tokenID string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b, ok := l.buckets[tokenID]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.buckets[tokenID] = b
	}
	b.used = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d
	}
	return 0
}

// peek says how long the key must wait before its next call, without
// counting one.
func (l *tokenLimiter) peek(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		return 0
	}
	if b.lim.TokensAt(now) >= 1 {
		return 0
	}
	r := b.lim.ReserveN(now, 1)
	d := r.DelayFrom(now)
	r.CancelAt(now)
	return d
}

// sweep drops idle buckets, at most once a minute.
func (l *tokenLimiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	maps.DeleteFunc(l.buckets, func(_ string, b *bucket) bool { return now.Sub(b.used) > idleBucket })
}

// checkRate refuses a call over the token's rate limit with 429 and a
// Retry-After header.
func (s *Server) checkRate(w http.ResponseWriter, tok *hookbridge.Token) error {
	if s.limiter == nil {
		return nil
	}
	d := s.limiter.wait(tok.ID, s.now())
	if d <= 0 {
		return nil
	}
	s.observer.APIRateLimited()
	seconds := int(math.Ceil(d.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(seconds))
	return errorf(http.StatusTooManyRequests, "rate_limited",
		"too many calls with this token: at most %s per second (bursts of %d); retry in %d s",
		strconv.FormatFloat(float64(s.limiter.limit), 'f', -1, 64), s.limiter.burst, seconds)
}
