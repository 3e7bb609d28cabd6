// Package netguard is the outbound HTTP client that every delivery uses. It
// keeps deliveries away from addresses they must not reach (loopback,
// private networks, link-local, carrier-grade NAT, multicast, cloud
// metadata services), rewrites requests for configured host overrides, and
// bounds redirects.
//
// It must not decide anything about retries, rate limits, credentials or
// what a response means: it sends one request as it is told and says why it
// refused, with a *BlockedError, ErrUnsupportedScheme, ErrInvalidHost or
// ErrTooManyRedirects, all reachable with errors.As and errors.Is through
// the *url.Error that net/http returns.
//
// # Where the check happens
//
// The destination is checked when a connection is opened, not when a URL is
// parsed: the client resolves the host name itself, checks every address the
// name resolves to, and connects only to addresses it has checked. A name
// that resolves to a public address when an endpoint is saved and to
// 127.0.0.1 when it is used (DNS rebinding) is therefore refused, and so is a
// redirect to a forbidden address, because every hop opens its own
// connection. A name whose answer mixes public and forbidden addresses is
// refused as a whole rather than filtered: such an answer is a rebinding
// trick far more often than a real deployment.
//
// The check can be relaxed by configuration: Config.AllowPrivate allows
// every non-public range except cloud metadata endpoints (a gateway that may
// reach an internal service should still not hand out the machine's cloud
// credentials), and Config.AllowCIDRs allows chosen ranges, metadata
// included if a range covers it. The exact host:port targets of
// Config.HostOverrides are always allowed, since they are explicit
// configuration.
//
// # Transport
//
// Connections are reused (up to 64 idle per host), HTTP/2 is negotiated
// over TLS, and the TLS handshake is bounded to 10 seconds; every other time
// limit comes from the request's context. Proxy settings from the
// environment (HTTP_PROXY, HTTPS_PROXY) are deliberately ignored: a delivery
// is never silently routed through a proxy, and a proxy would connect on our
// behalf to addresses this package never gets to check.
package netguard
