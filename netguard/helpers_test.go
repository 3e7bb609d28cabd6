package netguard

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeResolver answers from a table, without DNS; other names do not exist.
type fakeResolver map[string][]netip.Addr

func (f fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	ips, ok := f[strings.ToLower(host)]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return ips, nil
}

// addrs parses addresses for a fakeResolver entry.
func addrs(ss ...string) []netip.Addr {
	out := make([]netip.Addr, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParseAddr(s)
	}
	return out
}

// loopbackOnlyDialer stands in for the real dialer: it connects to
// loopback addresses only and fails the test on any other, so that no test
// can reach beyond this machine even if the guard is broken. It records
// what it was asked to dial.
type loopbackOnlyDialer struct {
	t      *testing.T
	mu     sync.Mutex
	dialed []string
}

func (d *loopbackOnlyDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	d.mu.Lock()
	d.dialed = append(d.dialed, address)
	d.mu.Unlock()
	ap, err := netip.ParseAddrPort(address)
	if err != nil || !ap.Addr().IsLoopback() {
		d.t.Errorf("test tried to connect to %s, which is not a loopback address", address)
		return nil, errors.New("test dialer: only loopback addresses")
	}
	var nd net.Dialer
	return nd.DialContext(ctx, network, address)
}

func (d *loopbackOnlyDialer) dials() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.dialed...)
}

// newTestClient makes a client that resolves with a fake resolver (empty
// unless cfg has one) and dials through a loopbackOnlyDialer.
func newTestClient(t *testing.T, cfg Config) (*Client, *loopbackOnlyDialer) {
	t.Helper()
	if cfg.Resolver == nil {
		cfg.Resolver = fakeResolver{}
	}
	c := NewClient(cfg)
	d := &loopbackOnlyDialer{t: t}
	c.guard.dialer = d
	t.Cleanup(c.CloseIdleConnections)
	return c, d
}

// recordingServer is an httptest server that keeps the requests it got.
type recordingServer struct {
	*httptest.Server
	hits atomic.Int32
	mu   sync.Mutex
	last *http.Request
}

// newServer starts a server on 127.0.0.1 that records each request and
// then calls handler (or answers 204 if handler is nil).
func newServer(t *testing.T, handler http.HandlerFunc) *recordingServer {
	t.Helper()
	s := &recordingServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		s.mu.Lock()
		s.last = r.Clone(context.Background())
		s.mu.Unlock()
		if handler == nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		handler(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *recordingServer) lastRequest() *http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// hostPort returns the server's "127.0.0.1:port".
func (s *recordingServer) hostPort() string { return strings.TrimPrefix(s.URL, "http://") }

// port returns the server's port.
func (s *recordingServer) port() string {
	_, port, _ := net.SplitHostPort(s.hostPort())
	return port
}

// get sends a GET with the given headers through c and closes the body.
func get(t *testing.T, c *Client, rawURL string, header http.Header) (*http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatalf("new request %s: %v", rawURL, err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return resp, nil
}

// wantBlocked fails the test unless err is a *BlockedError for ip and
// reason, reached through the *url.Error that net/http returns.
func wantBlocked(t *testing.T, err error, ip, reason string) *BlockedError {
	t.Helper()
	if err == nil {
		t.Fatalf("request succeeded, want it refused as %s (%s)", ip, reason)
	}
	var urlErr *url.Error
	if !errors.As(err, &urlErr) {
		t.Errorf("error %T is not the *url.Error net/http returns", err)
	}
	var blocked *BlockedError
	if !errors.As(err, &blocked) {
		t.Fatalf("error is %v, want a *BlockedError", err)
	}
	if blocked.IP.String() != ip || blocked.Reason != reason {
		t.Errorf("blocked %s (%s), want %s (%s)", blocked.IP, blocked.Reason, ip, reason)
	}
	return blocked
}
