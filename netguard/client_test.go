package netguard

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"sync"
	"testing"
)

func TestLoopbackRefusedByDefault(t *testing.T) {
	srv := newServer(t, nil)
	c, d := newTestClient(t, Config{})

	_, err := get(t, c, srv.URL+"/hook", nil)

	blocked := wantBlocked(t, err, "127.0.0.1", "loopback")
	if blocked.Host != "127.0.0.1" {
		t.Errorf("Host = %q, want 127.0.0.1", blocked.Host)
	}
	if n := srv.hits.Load(); n != 0 {
		t.Errorf("server got %d requests, want none", n)
	}
	if dials := d.dials(); len(dials) != 0 {
		t.Errorf("dialed %v, want nothing", dials)
	}
}

func TestConfigAllowsLoopback(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		allowed bool
	}{
		{"AllowPrivate", Config{AllowPrivate: true}, true},
		{"AllowCIDRs 127.0.0.0/8", Config{AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}, true},
		{"AllowCIDRs 127.0.0.1/32", Config{AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}, true},
		{"AllowCIDRs elsewhere", Config{AllowCIDRs: []netip.Prefix{
			netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.2/32"),
		}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, nil)
			c, _ := newTestClient(t, tt.cfg)

			resp, err := get(t, c, srv.URL+"/hook", nil)

			if !tt.allowed {
				wantBlocked(t, err, "127.0.0.1", "loopback")
				return
			}
			if err != nil {
				t.Fatalf("request refused: %v", err)
			}
			if resp.StatusCode != http.StatusNoContent || srv.hits.Load() != 1 {
				t.Errorf("status %d after %d requests, want 204 after 1", resp.StatusCode, srv.hits.Load())
			}
		})
	}
}

func TestHostOverrideSendsToTargetAndKeepsRequest(t *testing.T) {
	target := newServer(t, nil)
	other := newServer(t, nil)
	overrides, err := ParseHostOverrides("track.customer.io=" + target.URL)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := newTestClient(t, Config{HostOverrides: overrides})

	resp, err := get(t, c, "https://Track.Customer.IO:8443/api/v1/customers/a%2Fb/events?x=1&y=%2F",
		http.Header{"Authorization": {"Basic c2l0ZTprZXk="}})

	if err != nil {
		t.Fatalf("request to overridden host refused: %v", err)
	}
	got := target.lastRequest()
	if got == nil {
		t.Fatal("override target got no request")
	}
	if got.URL.EscapedPath() != "/api/v1/customers/a%2Fb/events" || got.URL.RawQuery != "x=1&y=%2F" {
		t.Errorf("target got %s?%s, want path and query kept", got.URL.EscapedPath(), got.URL.RawQuery)
	}
	if got.Host != target.hostPort() {
		t.Errorf("Host header %q, want the override's %q", got.Host, target.hostPort())
	}
	if got.Header.Get("Authorization") != "Basic c2l0ZTprZXk=" {
		t.Errorf("Authorization %q, want the caller's credentials kept", got.Header.Get("Authorization"))
	}
	if resp.Request.URL.Host != target.hostPort() {
		t.Errorf("response says it came from %s, want %s", resp.Request.URL.Host, target.hostPort())
	}

	_, err = get(t, c, other.URL+"/hook", nil)
	wantBlocked(t, err, "127.0.0.1", "loopback")
	if other.hits.Load() != 0 {
		t.Error("a loopback port that is not an override target was reached")
	}
}

func TestRewrite(t *testing.T) {
	overrides, err := ParseHostOverrides("track.customer.io=http://127.0.0.1:9001,api.segment.io=https://mock.local")
	if err != nil {
		t.Fatal(err)
	}
	c := NewClient(Config{HostOverrides: overrides})
	tests := []struct{ in, want string }{
		{"https://track.customer.io/api/v1/customers/1?a=b#f", "http://127.0.0.1:9001/api/v1/customers/1?a=b#f"},
		{"https://TRACK.customer.io:443/x%2Fy", "http://127.0.0.1:9001/x%2Fy"},
		{"https://track.customer.io./x", "http://127.0.0.1:9001/x"},
		{"http://key:secret@api.segment.io/v1/batch", "https://key:secret@mock.local/v1/batch"},
		{"https://track.eu.customer.io/api", "https://track.eu.customer.io/api"},
		{"https://customer.io/track.customer.io", "https://customer.io/track.customer.io"},
	}
	for _, tt := range tests {
		in, err := url.Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		before := in.String()
		got := c.Rewrite(in)
		if got.String() != tt.want {
			t.Errorf("Rewrite(%s) = %s, want %s", tt.in, got, tt.want)
		}
		if in.String() != before {
			t.Errorf("Rewrite changed its argument to %s", in)
		}
	}
}

func TestNamesResolvingToForbiddenAddressesAreRefused(t *testing.T) {
	resolver := fakeResolver{
		"internal.example": addrs("10.0.0.5"),
		"mixed.test":       addrs("203.0.113.7", "127.0.0.1"),
		"metadata.test":    addrs("169.254.169.254"),
		"mapped.test":      addrs("::ffff:192.168.1.1"),
		"v6.test":          addrs("fd12:3456::1"),
	}
	tests := []struct{ url, ip, reason string }{
		{"http://internal.example/hook", "10.0.0.5", "private"},
		{"https://mixed.test/hook", "127.0.0.1", "loopback"},
		{"http://metadata.test/latest/meta-data/", "169.254.169.254", "cloud metadata"},
		{"http://mapped.test/", "192.168.1.1", "private"},
		{"http://v6.test:8080/", "fd12:3456::1", "private"},
		{"http://[::ffff:127.0.0.1]:8080/", "127.0.0.1", "loopback"},
		{"http://0.0.0.0:8080/", "0.0.0.0", "unspecified"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			c, d := newTestClient(t, Config{Resolver: resolver})

			_, err := get(t, c, tt.url, nil)

			wantBlocked(t, err, tt.ip, tt.reason)
			if dials := d.dials(); len(dials) != 0 {
				t.Errorf("dialed %v before refusing, want nothing dialed", dials)
			}
		})
	}
}

func TestBlockedErrorMessage(t *testing.T) {
	c, _ := newTestClient(t, Config{Resolver: fakeResolver{"internal.example": addrs("10.0.0.5")}})
	tests := []struct{ url, want string }{
		{"http://internal.example/", "destination 10.0.0.5 (internal.example) is a private address; " +
			"set HOOKBRIDGE_ALLOW_PRIVATE_DESTINATIONS=true or add it to HOOKBRIDGE_ALLOWED_CIDRS to allow it"},
		{"http://127.0.0.1:1/", "destination 127.0.0.1 is a loopback address; " +
			"set HOOKBRIDGE_ALLOW_PRIVATE_DESTINATIONS=true or add it to HOOKBRIDGE_ALLOWED_CIDRS to allow it"},
		{"http://169.254.169.254/", "destination 169.254.169.254 is a cloud metadata address; " +
			"add it to HOOKBRIDGE_ALLOWED_CIDRS to allow it"},
	}
	for _, tt := range tests {
		_, err := get(t, c, tt.url, nil)
		var blocked *BlockedError
		if !errors.As(err, &blocked) {
			t.Fatalf("GET %s: error %v, want a *BlockedError", tt.url, err)
		}
		if blocked.Error() != tt.want {
			t.Errorf("GET %s:\n got  %s\n want %s", tt.url, blocked.Error(), tt.want)
		}
	}
}

// sequenceResolver answers each lookup with the next answer, as a
// rebinding DNS server does.
type sequenceResolver struct{ answers [][]netip.Addr }

func (s *sequenceResolver) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	next := s.answers[0]
	if len(s.answers) > 1 {
		s.answers = s.answers[1:]
	}
	return next, nil
}

func TestRebindingAfterCheckIsRefusedAtConnect(t *testing.T) {
	resolver := &sequenceResolver{answers: [][]netip.Addr{addrs("203.0.113.7"), addrs("127.0.0.1")}}
	c, d := newTestClient(t, Config{Resolver: resolver})
	u, _ := url.Parse("http://rebind.test:8080/hook")

	if err := c.CheckDestination(context.Background(), u); err != nil {
		t.Fatalf("first answer is public, CheckDestination says %v", err)
	}
	_, err := get(t, c, u.String(), nil)

	wantBlocked(t, err, "127.0.0.1", "loopback")
	if dials := d.dials(); len(dials) != 0 {
		t.Errorf("dialed %v, want nothing", dials)
	}
}

func TestCloudMetadataNeedsAnExplicitRange(t *testing.T) {
	metadata := netip.MustParseAddr("169.254.169.254")
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"default", Config{}, "cloud metadata"},
		{"AllowPrivate", Config{AllowPrivate: true}, "cloud metadata"},
		{"AllowCIDRs link-local", Config{AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("169.254.0.0/16")}}, ""},
		{"AllowCIDRs the address", Config{AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("169.254.169.254/32")}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGuard(tt.cfg, nil)
			if got := g.refusal(metadata); got != tt.want {
				t.Errorf("refusal = %q, want %q", got, tt.want)
			}
			if got := g.refusal(netip.MustParseAddr("::ffff:169.254.169.254")); got != tt.want {
				t.Errorf("refusal of the IPv4-mapped form = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckDestination(t *testing.T) {
	overrides, _ := ParseHostOverrides("api.segment.io=http://127.0.0.1:9002")
	c, d := newTestClient(t, Config{
		HostOverrides: overrides,
		Resolver: fakeResolver{
			"hooks.example":    addrs("203.0.113.10", "2001:db8::10"),
			"internal.example": addrs("10.0.0.5"),
		},
	})
	tests := []struct {
		url     string
		blocked string // reason, "" if allowed
		scheme  bool   // refused for its scheme
	}{
		{url: "https://hooks.example/in"},
		{url: "https://api.segment.io/v1/batch"},
		{url: "http://internal.example/", blocked: "private"},
		{url: "http://127.0.0.1:9003/", blocked: "loopback"},
		{url: "ftp://hooks.example/", scheme: true},
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.url)
		err := c.CheckDestination(context.Background(), u)
		var blocked *BlockedError
		switch {
		case tt.scheme:
			if !errors.Is(err, ErrUnsupportedScheme) {
				t.Errorf("%s: %v, want ErrUnsupportedScheme", tt.url, err)
			}
		case tt.blocked != "":
			if !errors.As(err, &blocked) || blocked.Reason != tt.blocked {
				t.Errorf("%s: %v, want refused as %s", tt.url, err, tt.blocked)
			}
		case err != nil:
			t.Errorf("%s: %v, want allowed", tt.url, err)
		}
	}
	if dials := d.dials(); len(dials) != 0 {
		t.Errorf("CheckDestination dialed %v, want nothing", dials)
	}
}

func TestUnsupportedSchemesAreRefused(t *testing.T) {
	overrides, _ := ParseHostOverrides("track.customer.io=http://127.0.0.1:9001")
	c, d := newTestClient(t, Config{AllowPrivate: true, HostOverrides: overrides})
	for _, raw := range []string{
		"ftp://127.0.0.1/file", "file:///etc/passwd", "gopher://127.0.0.1:70/", "ws://127.0.0.1/",
		"ftp://track.customer.io/", // an override changes the host, not what the caller asked for
	} {
		u, _ := url.Parse(raw)
		if err := c.CheckDestination(context.Background(), u); !errors.Is(err, ErrUnsupportedScheme) {
			t.Errorf("CheckDestination(%s): %v, want ErrUnsupportedScheme", raw, err)
		}
		_, err := get(t, c, raw, nil)
		if !errors.Is(err, ErrUnsupportedScheme) {
			t.Errorf("GET %s: %v, want ErrUnsupportedScheme", raw, err)
		}
	}
	if dials := d.dials(); len(dials) != 0 {
		t.Errorf("dialed %v, want nothing", dials)
	}
}

// TestConnectionsAreKeptForAsManyRequestsAsWereInFlight sends two rounds
// of requests that are all in flight at once: with IdleConnsPerHost as
// large as a round, the second reuses every connection of the first
// instead of dialling again.
func TestConnectionsAreKeptForAsManyRequestsAsWereInFlight(t *testing.T) {
	const inFlight = DefaultIdleConnsPerHost + 16
	var (
		mu      sync.Mutex
		arrived int
		release = make(chan struct{})
	)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		// Answer only once a whole round has arrived, so that the
		// round holds inFlight connections at once.
		mu.Lock()
		round := release
		if arrived++; arrived == inFlight {
			arrived = 0
			close(release)
			release = make(chan struct{})
		}
		mu.Unlock()
		select {
		case <-round:
		case <-r.Context().Done():
		}
		w.WriteHeader(http.StatusNoContent)
	})
	c, d := newTestClient(t, Config{AllowPrivate: true, IdleConnsPerHost: inFlight})

	for round := range 2 {
		var wg sync.WaitGroup
		for range inFlight {
			wg.Go(func() {
				if _, err := get(t, c, srv.URL+"/hook", nil); err != nil {
					t.Errorf("round %d: %v", round, err)
				}
			})
		}
		wg.Wait()
	}

	if dials := len(d.dials()); dials != inFlight {
		t.Errorf("dialled %d connections for two rounds of %d requests in flight, want %d", dials, inFlight, inFlight)
	}
}

func TestALoopbackOnlyClientRefusesEveryRealHost(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer srv.Close()
	target, _ := url.Parse(srv.URL)
	asked := false
	c := NewClient(Config{AllowPrivate: true, LoopbackOnly: true,
		HostOverrides: map[string]*url.URL{"api.segment.io": target},
		Resolver: resolverFunc(func(context.Context, string, string) ([]netip.Addr, error) {
			asked = true
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
		})})
	for _, u := range []string{"https://hooks.slack.com/services/T/B/x", "http://93.184.216.34/", "http://10.0.0.1/"} {
		req, _ := http.NewRequest("POST", u, nil)
		if _, err := c.Do(req); !errors.Is(err, ErrLeavesLoopback) {
			t.Errorf("%s: error %v, want ErrLeavesLoopback", u, err)
		}
	}
	if asked {
		t.Error("the resolver was asked for a real host's addresses")
	}
	for _, u := range []string{"https://api.segment.io/v1/track", srv.URL} {
		req, _ := http.NewRequest("POST", u, nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Errorf("%s: %v, want it sent to the loopback server", u, err)
			continue
		}
		resp.Body.Close()
	}
}

// resolverFunc is a Resolver made of a function.
type resolverFunc func(ctx context.Context, network, host string) ([]netip.Addr, error)

func (f resolverFunc) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	return f(ctx, network, host)
}
