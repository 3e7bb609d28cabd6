// Package receiver is a plain webhook destination for the tests that kill,
// pause and restart real hookbridge processes (e2e/lifecycle,
// e2e/multinode): it notes every request as it arrives, by its webhook-id
// (the delivery's idempotency key), answers 200 after a delay, and notes
// which requests the sender gave up on (cut off by a kill) before the
// answer.
package receiver

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Hit is one request as the receiver saw it.
type Hit struct {
	// Key is its webhook-id header.
	Key      string
	Received time.Time
	// CutOff says the sender went away before the answer.
	CutOff bool
}

// Receiver is a loopback webhook destination.
type Receiver struct {
	URL     string
	latency time.Duration

	mu   sync.Mutex
	hits []Hit
}

// New starts a receiver that answers each request 200 after latency; it
// stops when the test ends.
func New(t testing.TB, latency time.Duration) *Receiver {
	r := &Receiver{latency: latency}
	srv := httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(srv.Close)
	r.URL = srv.URL
	return r
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	// Read the body first: only then does the server notice a sender that
	// goes away while the answer is delayed.
	_, _ = io.Copy(io.Discard, req.Body)
	r.mu.Lock()
	i := len(r.hits)
	r.hits = append(r.hits, Hit{Key: req.Header.Get("webhook-id"), Received: time.Now()})
	r.mu.Unlock()
	timer := time.NewTimer(r.latency)
	defer timer.Stop()
	select {
	case <-timer.C:
		w.WriteHeader(http.StatusOK)
	case <-req.Context().Done():
		r.mu.Lock()
		r.hits[i].CutOff = true
		r.mu.Unlock()
	}
}

// Hits returns every request so far, in the order they arrived.
func (r *Receiver) Hits() []Hit {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Hit(nil), r.hits...)
}

// Keys counts the requests per key.
func (r *Receiver) Keys() map[string]int {
	out := map[string]int{}
	for _, h := range r.Hits() {
		out[h.Key]++
	}
	return out
}

// Duplicates is how many requests repeated a key already received.
func (r *Receiver) Duplicates() int {
	n := 0
	for _, c := range r.Keys() {
		n += c - 1
	}
	return n
}

// ResentAfter returns, for each key whose request arrived before
// cutBefore and was cut off, when it first arrived again at or after from
// (zero if it has not).
func (r *Receiver) ResentAfter(cutBefore, from time.Time) map[string]time.Time {
	hits := r.Hits()
	out := map[string]time.Time{}
	for _, h := range hits {
		if h.CutOff && h.Received.Before(cutBefore) {
			out[h.Key] = time.Time{}
		}
	}
	for _, h := range hits {
		if at, ok := out[h.Key]; ok && at.IsZero() && !h.Received.Before(from) {
			out[h.Key] = h.Received
		}
	}
	return out
}
