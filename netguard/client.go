package netguard

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client sends delivery requests through the destination guard. It is safe
// for concurrent use; make one per process and share it, so that
// connections are reused.
type Client struct {
	http      *http.Client
	guard     *guard
	overrides map[string]*url.URL
}

// NewClient makes a client from cfg. Overrides whose target is nil are
// ignored; cfg is copied, so changing it later has no effect.
func NewClient(cfg Config) *Client {
	c := &Client{overrides: copyOverrides(cfg.HostOverrides)}
	c.guard = newGuard(cfg, c.overrides)
	c.http = &http.Client{
		Transport:     &rewritingTransport{rewrite: c.Rewrite, next: newTransport(c.guard, cfg.idleConnsPerHost())},
		CheckRedirect: redirectPolicy(cfg.maxRedirects()),
	}
	return c
}

// newTransport makes the transport under the guard, keeping up to
// idlePerHost connections to a host for reuse. Proxy is nil on purpose:
// see the package documentation.
func newTransport(g *guard, idlePerHost int) *http.Transport {
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           g.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          max(512, idlePerHost),
		MaxIdleConnsPerHost:   idlePerHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

// copyOverrides copies overrides with keys in matching form, dropping nil
// targets.
func copyOverrides(overrides map[string]*url.URL) map[string]*url.URL {
	out := make(map[string]*url.URL, len(overrides))
	for host, target := range overrides {
		if target != nil {
			out[normalizeHost(host)] = &url.URL{Scheme: strings.ToLower(target.Scheme), Host: target.Host}
		}
	}
	return out
}

// Do sends req, following redirects, and returns the response; the caller
// must close its body. Time limits come from req's context. Refusals are
// errors wrapped in a *url.Error: *BlockedError, ErrUnsupportedScheme,
// ErrTooManyRedirects. The response's Request.URL is the URL actually
// contacted, after any host override.
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	return c.http.Do(req)
}

// HTTPClient returns the guarded *http.Client that Do uses, for code that
// wants one. Do not change its fields: it is shared.
func (c *Client) HTTPClient() *http.Client { return c.http }

// CloseIdleConnections closes connections kept for reuse.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// Rewrite returns the URL a request for u is sent to: a copy of u, with
// scheme and host:port replaced if u's host name has an override. Path,
// query, fragment and user info are kept. Callers use it to record both
// the URL they meant and the one contacted.
func (c *Client) Rewrite(u *url.URL) *url.URL {
	out := *u
	if target, ok := c.overrides[normalizeHost(u.Hostname())]; ok {
		out.Scheme = target.Scheme
		out.Host = target.Host
	}
	return &out
}

// CheckDestination says, without sending anything, whether a request to u
// would be refused: it applies the host overrides, checks the scheme,
// resolves the host and checks every address. It is for telling users
// early, when an endpoint is saved or tested; the check that counts is
// made again on every connection, because DNS answers change.
func (c *Client) CheckDestination(ctx context.Context, u *url.URL) error {
	if err := checkScheme(u); err != nil {
		return err
	}
	target := c.Rewrite(u)
	if err := checkScheme(target); err != nil {
		return err
	}
	_, err := c.guard.allowedAddrs(ctx, "tcp", target.Hostname(), portOf(target))
	return err
}

// checkScheme refuses every URL scheme but http and https.
func checkScheme(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w %q: only http and https are allowed", ErrUnsupportedScheme, u.Scheme)
	}
	return nil
}

// rewritingTransport refuses schemes other than http and https and sends
// each request, the first and every redirect, to its overridden host.
type rewritingTransport struct {
	rewrite func(*url.URL) *url.URL
	next    *http.Transport
}

func (t *rewritingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	target := t.rewrite(req.URL)
	if err := cmp.Or(checkScheme(req.URL), checkScheme(target)); err != nil {
		if req.Body != nil {
			req.Body.Close() // a RoundTripper always closes the body
		}
		return nil, err
	}
	if target.Scheme == req.URL.Scheme && target.Host == req.URL.Host {
		return t.next.RoundTrip(req)
	}
	out := req.Clone(req.Context())
	out.URL = target
	out.Host = "" // send Host: the override's host:port
	return t.next.RoundTrip(out)
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// transport.
func (t *rewritingTransport) CloseIdleConnections() { t.next.CloseIdleConnections() }
