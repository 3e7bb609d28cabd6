package httpapi

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/secretbox"
)

// portalServer is a server of the fixture's store with dashboard sessions.
func (f *cacheFixture) portalServer(t *testing.T) *Server {
	t.Helper()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	ring, err := secretbox.New(key)
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{Store: f.store, Integrations: hookbridge.NewIntegrations(), Sessions: ring})
	s.now = func() time.Time { return f.now }
	return s
}

// portalLink asks for a portal link of acme and returns its path and query.
func portalLink(t *testing.T, s *Server, secret string) string {
	t.Helper()
	var link struct{ URL string }
	rec := mustCall(t, s, secret, "POST", "/api/v1/apps/acme/portal-link", "", http.StatusCreated)
	if err := json.Unmarshal(rec.Body.Bytes(), &link); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(link.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u.RequestURI()
}

func TestPortalLinkOpenedConcurrentlySignsInOnce(t *testing.T) {
	f := newCacheFixture(t)
	s := f.portalServer(t)
	link := portalLink(t, s, f.appToken)

	const opens = 24
	codes := make(chan int, opens)
	var wg sync.WaitGroup
	for range opens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest("GET", link, nil))
			codes <- rec.Code
		}()
	}
	wg.Wait()
	close(codes)
	signedIn := 0
	for code := range codes {
		switch code {
		case http.StatusSeeOther:
			signedIn++
		case http.StatusUnauthorized:
		default:
			t.Errorf("opening the link: %d, want 303 or 401", code)
		}
	}
	if signedIn != 1 {
		t.Errorf("%d of %d concurrent opens signed in, want 1", signedIn, opens)
	}
	tokens, err := f.store.ListTokens(t.Context(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	sessions := 0
	for _, tok := range tokens {
		if tok.Name == "portal session" {
			sessions++
		}
	}
	if sessions != 1 {
		t.Errorf("%d portal session tokens stored, want 1", sessions)
	}
}

func TestTokenMadeInAPortalSessionExpiresWithIt(t *testing.T) {
	f := newCacheFixture(t)
	s := f.portalServer(t)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", portalLink(t, s, f.appToken), nil))
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("opening the link: %d %s", rec.Code, rec.Body)
	}
	cookie := rec.Result().Cookies()[0]

	mint := func(body string) *hookbridge.Token {
		t.Helper()
		req := httptest.NewRequest("GET", "/auth/session", nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		var info struct {
			CSRF string `json:"csrf_token"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &info); err != nil || info.CSRF == "" {
			t.Fatalf("session: %d %s", rec.Code, rec.Body)
		}
		req = httptest.NewRequest("POST", "/api/v1/apps/acme/tokens", strings.NewReader(body))
		req.AddCookie(cookie)
		req.Header.Set(csrfHeader, info.CSRF)
		rec = httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			t.Fatalf("making a token in the session: %d %s", rec.Code, rec.Body)
		}
		var tok hookbridge.Token
		if err := json.Unmarshal(rec.Body.Bytes(), &tok); err != nil {
			t.Fatal(err)
		}
		return &tok
	}
	sessionEnds := f.now.Add(SessionTTL)
	for _, body := range []string{`{"name":"forever"}`, `{"name":"a year","expires_at":"` + f.now.AddDate(1, 0, 0).Format(time.RFC3339) + `"}`} {
		tok := mint(body)
		if tok.ExpiresAt == nil || tok.ExpiresAt.After(sessionEnds) {
			t.Errorf("token %s made in a portal session expires at %v, want by the session's end %v", body, tok.ExpiresAt, sessionEnds)
		}
	}
	soon := f.now.Add(time.Hour).UTC().Truncate(time.Second)
	if tok := mint(`{"name":"an hour","expires_at":"` + soon.Format(time.RFC3339) + `"}`); tok.ExpiresAt == nil || !tok.ExpiresAt.Equal(soon) {
		t.Errorf("a token asked to expire within the session expires at %v, want %v", tok.ExpiresAt, soon)
	}
}
