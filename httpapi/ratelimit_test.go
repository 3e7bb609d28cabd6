package httpapi

import (
	"net/http/httptest"
	"testing"
	"time"
)

func TestTokenLimiter(t *testing.T) {
	l := newTokenLimiter(2, 3)
	now := time.Date(2025, 8, 4, 12, 0, 0, 0, time.UTC)
	for i := range 3 {
		if d := l.wait("tok_a", now); d != 0 {
			t.Fatalf("call %d of the burst waits %v", i+1, d)
		}
	}
	d := l.wait("tok_a", now)
	if d <= 0 || d > 500*time.Millisecond {
		t.Fatalf("the call after the burst waits %v, want up to half a second at 2/s", d)
	}
	if d2 := l.wait("tok_a", now); d2 != d {
		t.Errorf("a refused call used up budget: the next waits %v, not %v", d2, d)
	}
	if d := l.wait("tok_b", now); d != 0 {
		t.Errorf("another token waits %v", d)
	}
	if d := l.wait("tok_a", now.Add(500*time.Millisecond)); d != 0 {
		t.Errorf("after half a second the token still waits %v", d)
	}
	l.wait("tok_c", now.Add(time.Hour))
	if _, kept := l.buckets["tok_b"]; kept {
		t.Error("an idle bucket was not dropped")
	}
	if newTokenLimiter(0, 10) != nil {
		t.Error("a rate of 0 makes a limiter")
	}
	if got := newTokenLimiter(2.5, 0).burst; got != 5 {
		t.Errorf("default burst %d, want twice the rate", got)
	}
}

func TestRequestIDs(t *testing.T) {
	for id, valid := range map[string]bool{
		"4bf92f3577b34da6a3ce929d0e0e4736": true,
		"req_01J9ZQ.abc:def-ghi":           true,
		"":                                 false,
		"has space":                        false,
		"quote\"":                          false,
		string(make([]byte, 101)):          false,
	} {
		if got := validRequestID(id); got != valid {
			t.Errorf("validRequestID(%q) = %v", id, got)
		}
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set(RequestIDHeader, "<script>")
	if id := requestID(r); len(id) < 10 || id[:4] != "req_" {
		t.Errorf("an unusable header gave id %q, want a new one", id)
	}
}
