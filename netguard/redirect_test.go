package netguard

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// chainServer answers /hop/N with a redirect to /hop/N-1, and /hop/0 with
// 204, so /hop/N takes N redirects.
func chainServer(t *testing.T) *recordingServer {
	return newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
		if err != nil || n == 0 {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
	})
}

func TestRedirectLimit(t *testing.T) {
	tests := []struct {
		maxRedirects int
		redirects    int
		ok           bool
	}{
		{maxRedirects: 0, redirects: 3, ok: true}, // 0 means the default, 3
		{maxRedirects: 0, redirects: 4, ok: false},
		{maxRedirects: 1, redirects: 1, ok: true},
		{maxRedirects: 1, redirects: 2, ok: false},
		{maxRedirects: -1, redirects: 0, ok: true},
		{maxRedirects: -1, redirects: 1, ok: false},
		{maxRedirects: 10, redirects: 10, ok: true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("max %d, %d redirects", tt.maxRedirects, tt.redirects), func(t *testing.T) {
			srv := chainServer(t)
			c, _ := newTestClient(t, Config{AllowPrivate: true, MaxRedirects: tt.maxRedirects})

			resp, err := get(t, c, fmt.Sprintf("%s/hop/%d", srv.URL, tt.redirects), nil)

			if tt.ok {
				if err != nil || resp.StatusCode != http.StatusNoContent {
					t.Fatalf("got %v, want the chain followed to its 204", err)
				}
				return
			}
			if !errors.Is(err, ErrTooManyRedirects) {
				t.Fatalf("got %v, want ErrTooManyRedirects", err)
			}
			limit := max(tt.maxRedirects, 0)
			if tt.maxRedirects == 0 {
				limit = DefaultMaxRedirects
			}
			if n := int(srv.hits.Load()); n != limit+1 {
				t.Errorf("server got %d requests, want %d (the first and %d redirects)", n, limit+1, limit)
			}
		})
	}
}

// redirectingServer redirects every request to the URL in its "to" query
// parameter.
func redirectingServer(t *testing.T) *recordingServer {
	return newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusTemporaryRedirect)
	})
}

func TestRedirectToForbiddenAddressIsRefused(t *testing.T) {
	first := redirectingServer(t)
	second := newServer(t, nil)
	overrides, err := ParseHostOverrides("hooks.example=" + first.URL)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ to, ip, reason string }{
		{second.URL + "/internal", "127.0.0.1", "loopback"},
		{"http://169.254.169.254/latest/meta-data/", "169.254.169.254", "cloud metadata"},
		{"http://[::ffff:10.0.0.1]/", "10.0.0.1", "private"},
	}
	for _, tt := range tests {
		t.Run(tt.to, func(t *testing.T) {
			c, d := newTestClient(t, Config{HostOverrides: overrides})

			_, err := get(t, c, "https://hooks.example/in?to="+url.QueryEscape(tt.to), nil)

			wantBlocked(t, err, tt.ip, tt.reason)
			if first.hits.Load() == 0 {
				t.Error("the allowed first hop was not reached")
			}
			if second.hits.Load() != 0 {
				t.Error("the forbidden second hop was reached")
			}
			for _, addr := range d.dials() {
				if addr != first.hostPort() {
					t.Errorf("dialed %s, want only the override target %s", addr, first.hostPort())
				}
			}
		})
	}
}

func TestRedirectToUnsupportedSchemeIsRefused(t *testing.T) {
	srv := redirectingServer(t)
	c, _ := newTestClient(t, Config{AllowPrivate: true})

	_, err := get(t, c, srv.URL+"/?to="+url.QueryEscape("ftp://127.0.0.1/x"), nil)

	if !errors.Is(err, ErrUnsupportedScheme) {
		t.Fatalf("got %v, want ErrUnsupportedScheme", err)
	}
}

func TestCredentialsAcrossRedirects(t *testing.T) {
	landing := newServer(t, nil)
	start := redirectingServer(t)
	resolver := fakeResolver{
		"a.test":     addrs("127.0.0.1"),
		"sub.a.test": addrs("127.0.0.1"),
		"b.test":     addrs("127.0.0.1"),
	}
	tests := []struct {
		name string
		to   string
		keep bool
	}{
		{"same host, two hops", "http://a.test:" + start.port() + "/?to=" + url.QueryEscape("http://a.test:"+landing.port()+"/"), true},
		{"same host, other port", "http://a.test:" + landing.port() + "/landing", true},
		{"other host", "http://b.test:" + landing.port() + "/landing", false},
		{"subdomain", "http://sub.a.test:" + landing.port() + "/landing", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestClient(t, Config{AllowPrivate: true, Resolver: resolver})
			header := http.Header{"Authorization": {"Bearer sk_test_123"}, "Cookie": {"session=s1"}, "X-Trace": {"t1"}}

			_, err := get(t, c, "http://a.test:"+start.port()+"/?to="+url.QueryEscape(tt.to), header)

			if err != nil {
				t.Fatal(err)
			}
			got := landing.lastRequest()
			if got == nil {
				t.Fatal("the redirect did not arrive")
			}
			for _, h := range []string{"Authorization", "Cookie"} {
				if kept := got.Header.Get(h) != ""; kept != tt.keep {
					t.Errorf("%s kept = %v, want %v", h, kept, tt.keep)
				}
			}
			if got.Header.Get("X-Trace") != "t1" {
				t.Error("a header that is not a credential was dropped")
			}
		})
	}
}

func TestCredentialsMayFollow(t *testing.T) {
	tests := []struct {
		chain []string // the requests so far, then the redirect
		want  bool
	}{
		{[]string{"https://api.example/a", "https://api.example/b"}, true},
		{[]string{"https://api.example/a", "https://API.example:8443/b"}, true},
		{[]string{"http://api.example/a", "https://api.example/b"}, true},
		{[]string{"https://api.example/a", "http://api.example/b"}, false},
		{[]string{"https://api.example/a", "https://other.example/b"}, false},
		{[]string{"https://example.com/a", "https://www.example.com/b"}, false},
		{[]string{"https://api.example/a", "https://other.example/b", "https://api.example/c"}, false},
		{[]string{"https://api.example/a", "http://api.example/b", "https://api.example/c"}, false},
	}
	for _, tt := range tests {
		var reqs []*http.Request
		for _, raw := range tt.chain {
			u, err := url.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			reqs = append(reqs, &http.Request{URL: u})
		}
		last := len(reqs) - 1
		if got := credentialsMayFollow(reqs[:last], reqs[last]); got != tt.want {
			t.Errorf("credentialsMayFollow(%v) = %v, want %v", tt.chain, got, tt.want)
		}
	}
}
