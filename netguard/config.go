package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// The configuration variables that relax the destination guard. Errors name
// them so that an operator knows what to set; package cmd/hookbridge should
// read the same names.
const (
	EnvAllowPrivate = "HOOKBRIDGE_ALLOW_PRIVATE_DESTINATIONS"
	EnvAllowedCIDRs = "HOOKBRIDGE_ALLOWED_CIDRS"
)

// DefaultMaxRedirects is how many redirects a request follows when
// Config.MaxRedirects is zero.
const DefaultMaxRedirects = 3

// Config says where the client may connect and how it treats redirects.
// The zero value is the safe default: public addresses only, no overrides,
// at most DefaultMaxRedirects redirects, the system resolver.
type Config struct {
	// AllowPrivate allows every non-public address (loopback, RFC 1918,
	// link-local, CGNAT, …) except cloud metadata endpoints.
	AllowPrivate bool
	// AllowCIDRs allows addresses inside these ranges, whatever their kind,
	// cloud metadata included.
	AllowCIDRs []netip.Prefix
	// HostOverrides sends requests for a host name (the key, lower case,
	// any port) to another scheme and host:port (the value); path and
	// query are kept. See ParseHostOverrides.
	HostOverrides map[string]*url.URL
	// MaxRedirects is how many redirects a request may follow: 0 means
	// DefaultMaxRedirects, a negative number means none.
	MaxRedirects int
	// Resolver looks up host names; nil means net.DefaultResolver.
	Resolver Resolver
	// LoopbackOnly makes the client connect to loopback addresses only,
	// and never ask DNS for any name but localhost: a request for a host
	// without an override fails with ErrLeavesLoopback. Tests set it, so
	// that one that would reach a real tool's host fails instead.
	LoopbackOnly bool
	// IdleConnsPerHost is how many connections to one host are kept open
	// for reuse once their requests are done; 0 means
	// DefaultIdleConnsPerHost. Set it to the most requests the caller has
	// in flight at once: under a steady load every connection beyond it
	// is closed after its request and dialled again for the next.
	IdleConnsPerHost int
}

// DefaultIdleConnsPerHost is Config.IdleConnsPerHost's default.
const DefaultIdleConnsPerHost = 64

// idleConnsPerHost returns the effective IdleConnsPerHost.
func (c *Config) idleConnsPerHost() int {
	if c.IdleConnsPerHost <= 0 {
		return DefaultIdleConnsPerHost
	}
	return c.IdleConnsPerHost
}

// Resolver looks up the addresses of a host name. *net.Resolver implements
// it; tests pass a fake that answers without DNS.
type Resolver interface {
	// LookupNetIP returns the addresses of host; network is "ip", "ip4"
	// or "ip6".
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// maxRedirects returns the effective redirect limit.
func (c *Config) maxRedirects() int {
	switch {
	case c.MaxRedirects == 0:
		return DefaultMaxRedirects
	case c.MaxRedirects < 0:
		return 0
	}
	return c.MaxRedirects
}

// ParseHostOverrides parses a comma-separated list of host=URL pairs, such
// as "track.customer.io=http://127.0.0.1:9001,api.segment.io=http://127.0.0.1:9002".
// A host is a name or IP address without scheme or port and matches
// requests to it on any port, whatever the case. A URL gives the scheme
// (http or https) and host:port to send those requests to; it may not carry
// a path, query, fragment or credentials, since the request's own are kept.
// Blank entries are ignored.
func ParseHostOverrides(s string) (map[string]*url.URL, error) {
	overrides := map[string]*url.URL{}
	for i, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		host, target, err := parseOverride(entry)
		if err != nil {
			return nil, fmt.Errorf("host override %d: %w", i+1, err)
		}
		if _, dup := overrides[host]; dup {
			return nil, fmt.Errorf("host override %d: host %q is given twice", i+1, host)
		}
		overrides[host] = target
	}
	return overrides, nil
}

// parseOverride parses one host=URL pair.
func parseOverride(entry string) (string, *url.URL, error) {
	rawHost, rawURL, ok := strings.Cut(entry, "=")
	if !ok {
		return "", nil, errors.New(`want host=URL, as in "api.segment.io=http://127.0.0.1:9002"`)
	}
	host, err := parseOverrideHost(strings.TrimSpace(rawHost))
	if err != nil {
		return "", nil, err
	}
	target, err := parseOverrideURL(strings.TrimSpace(rawURL))
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", host, err)
	}
	return host, target, nil
}

// parseOverrideHost checks the host side of an override and returns it in
// the form requests are matched against.
func parseOverrideHost(raw string) (string, error) {
	if raw == "" {
		return "", errors.New("host is empty")
	}
	if strings.ContainsAny(raw, ":/@?#[] \t") {
		return "", fmt.Errorf("host %q must be a bare host name, without scheme, port or path", raw)
	}
	host := normalizeHost(raw)
	if !validHostName(host) {
		return "", fmt.Errorf("host %q is not a valid host name", raw)
	}
	return host, nil
}

// validHostName reports whether host (in lower case, without a trailing
// dot) is a host name or an IPv4 address.
func validHostName(host string) bool {
	for _, label := range strings.Split(host, ".") {
		if !validLabel(label) {
			return false
		}
	}
	return true
}

// validLabel reports whether label can be one dot-separated part of a host
// name: 1 to 63 letters, digits, '-' or '_' (underscores appear in real
// service names even though DNS host names forbid them).
func validLabel(label string) bool {
	if label == "" || len(label) > 63 {
		return false
	}
	for _, r := range label {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_'
		if !ok {
			return false
		}
	}
	return true
}

// parseOverrideURL checks the target side of an override and keeps only
// its scheme and host:port.
func parseOverrideURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, errors.New("target URL is empty")
	}
	if !strings.Contains(raw, "://") {
		return nil, errors.New("target URL must start with http:// or https://")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// The *url.Error would repeat the raw URL, credentials included.
		return nil, fmt.Errorf("target URL does not parse: %w", errors.Unwrap(err))
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("target URL must start with http:// or https://, not %q", u.Scheme+":")
	case u.User != nil:
		return nil, errors.New("target URL must not contain credentials; the request's own are kept")
	case u.Hostname() == "":
		return nil, errors.New("target URL has no host")
	case u.Path != "" && u.Path != "/":
		return nil, fmt.Errorf("target URL must not have a path (%q); the request's own path is kept", u.Path)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, errors.New("target URL must not have a query or fragment; the request's own query is kept")
	}
	if port := u.Port(); port != "" && !validPort(port) {
		return nil, fmt.Errorf("target URL port %q is not a number from 1 to 65535", port)
	}
	host := normalizeHost(u.Hostname())
	if !validTargetHost(host) {
		return nil, fmt.Errorf("target URL host %q is not a host name or IP address", host)
	}
	return &url.URL{Scheme: u.Scheme, Host: joinHost(host, u.Port())}, nil
}

// validTargetHost reports whether host is a host name or an IP address
// without a zone.
func validTargetHost(host string) bool {
	if addr, err := netip.ParseAddr(host); err == nil {
		return addr.Zone() == ""
	}
	return validHostName(host)
}

// joinHost is net.JoinHostPort that leaves out an empty port.
func joinHost(host, port string) string {
	if port != "" {
		return net.JoinHostPort(host, port)
	}
	if strings.Contains(host, ":") {
		return "[" + host + "]"
	}
	return host
}

// validPort reports whether port is a decimal number from 1 to 65535.
func validPort(port string) bool {
	n := 0
	for _, r := range port {
		if r < '0' || r > '9' {
			return false
		}
		n = n*10 + int(r-'0')
		if n > 65535 {
			return false
		}
	}
	return n > 0
}

// normalizeHost returns a host name in the form used for matching: lower
// case, without a trailing dot.
func normalizeHost(host string) string {
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// ParseCIDRs parses a comma-separated list of address ranges, such as
// "10.0.0.0/8,192.168.1.5/32,fd00::/8". A bare address means that address
// alone. Blank entries are ignored.
func ParseCIDRs(s string) ([]netip.Prefix, error) {
	var prefixes []netip.Prefix
	for i, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		p, err := parseCIDR(entry)
		if err != nil {
			return nil, fmt.Errorf("CIDR %d (%q): %w", i+1, entry, err)
		}
		prefixes = append(prefixes, p)
	}
	return prefixes, nil
}

// parseCIDR parses one range or bare address into a masked prefix, turning
// IPv4-mapped IPv6 ranges into IPv4 ones so that they match the addresses
// the client checks (which are always unmapped).
func parseCIDR(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		addr, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, errors.New("not an address or address/prefix-length")
		}
		s = addr.String() + "/" + fmt.Sprint(addr.BitLen())
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, errors.New("not an address or address/prefix-length")
	}
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p.Masked(), nil
}

// hostPortKey returns host:port in the form used to recognise override
// targets at dial time.
func hostPortKey(host, port string) string {
	return net.JoinHostPort(normalizeHost(strings.Trim(host, "[]")), port)
}
