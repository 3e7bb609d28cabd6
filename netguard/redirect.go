package netguard

import (
	"fmt"
	"net/http"
	"net/url"
)

// redirectPolicy returns an http.Client CheckRedirect that follows at most
// max redirects and removes credentials from those that leave the first
// request's host. Each hop's destination is checked when it connects.
//
// net/http removes credentials on its own too, but lets them follow to
// subdomains and from https to http; a delivery's credentials are meant for
// one API host only.
func redirectPolicy(max int) func(*http.Request, []*http.Request) error {
	return func(next *http.Request, via []*http.Request) error {
		if len(via) > max {
			return fmt.Errorf("%w: stopped after %d", ErrTooManyRedirects, max)
		}
		if !credentialsMayFollow(via, next) {
			next.Header.Del("Authorization")
			next.Header.Del("Proxy-Authorization")
			next.Header.Del("Cookie")
		}
		return nil
	}
}

// credentialsMayFollow reports whether a redirect to next, after the
// requests in via, stays with the first request's host: the same host name
// (any port) on every hop, and no step down from https to http. Once a
// chain has left the host, credentials do not come back even if it returns.
func credentialsMayFollow(via []*http.Request, next *http.Request) bool {
	first := via[0].URL
	for _, r := range via[1:] {
		if !sameCredentialScope(first, r.URL) {
			return false
		}
	}
	return sameCredentialScope(first, next.URL)
}

// sameCredentialScope reports whether credentials meant for first may be
// sent to u.
func sameCredentialScope(first, u *url.URL) bool {
	if first.Scheme == "https" && u.Scheme != "https" {
		return false
	}
	return normalizeHost(first.Hostname()) == normalizeHost(u.Hostname())
}
