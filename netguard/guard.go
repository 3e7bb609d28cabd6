package netguard

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// dialTimeout bounds one connection attempt to one address, so that a dead
// address does not use up a request's whole deadline before the next one is
// tried. The request's context still bounds the total.
const dialTimeout = 10 * time.Second

// contextDialer opens connections; *net.Dialer implements it.
type contextDialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// guard resolves host names and connects only to addresses that the
// configuration allows.
type guard struct {
	allowPrivate bool
	allowCIDRs   []netip.Prefix
	loopbackOnly bool
	// trusted holds the override targets as hostPortKey values; they are
	// connected to without a check.
	trusted  map[string]bool
	resolver Resolver
	// dialer is only ever given address literals that passed the check.
	dialer contextDialer
}

func newGuard(cfg Config, overrides map[string]*url.URL) *guard {
	g := &guard{
		allowPrivate: cfg.AllowPrivate,
		allowCIDRs:   append([]netip.Prefix(nil), cfg.AllowCIDRs...),
		loopbackOnly: cfg.LoopbackOnly,
		trusted:      map[string]bool{},
		resolver:     cfg.Resolver,
		dialer:       &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second},
	}
	if g.resolver == nil {
		g.resolver = net.DefaultResolver
	}
	for _, target := range overrides {
		g.trusted[hostPortKey(target.Hostname(), portOf(target))] = true
	}
	return g
}

// DialContext connects to address ("host:port"), trying in turn each
// address host resolves to, once every one of them has passed the check.
// It is the http.Transport's DialContext.
func (g *guard) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", address, err)
	}
	ips, err := g.allowedAddrs(ctx, network, host, port)
	if err != nil {
		return nil, err
	}
	var firstErr error
	for _, ip := range ips {
		conn, err := g.dialer.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
		if err == nil {
			return conn, nil
		}
		if firstErr == nil {
			firstErr = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, firstErr
}

// allowedAddrs resolves host and returns its addresses if the client may
// connect to all of them on port, or a *BlockedError for the first one it
// may not connect to.
func (g *guard) allowedAddrs(ctx context.Context, network, host, port string) ([]netip.Addr, error) {
	if g.loopbackOnly && !onLoopback(host) {
		return nil, fmt.Errorf("%w: %s", ErrLeavesLoopback, host)
	}
	ips, err := g.resolve(ctx, network, host)
	if err != nil {
		return nil, err
	}
	if g.trusted[hostPortKey(host, port)] {
		return ips, nil
	}
	for _, ip := range ips {
		if reason := g.refusal(ip); reason != "" {
			return nil, &BlockedError{Host: host, IP: ip.WithZone(""), Reason: reason}
		}
	}
	return ips, nil
}

// onLoopback reports whether host is a loopback address or localhost,
// the hosts a LoopbackOnly client may reach (the other checks still
// apply).
func onLoopback(host string) bool {
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip.Unmap().IsLoopback()
	}
	return strings.EqualFold(host, "localhost")
}

// resolve returns the addresses of host, IPv4 ones in their 4-byte form.
// An address literal resolves to itself; a number that is no address
// (CheckHost) is refused without asking DNS.
func (g *guard) resolve(ctx context.Context, network, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip.Unmap()}, nil
	}
	if err := CheckHost(host); err != nil {
		return nil, err
	}
	ips, err := g.resolver.LookupNetIP(ctx, ipNetwork(network), host)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", host, err)
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("resolve %s: no addresses", host)
	}
	unmapped := make([]netip.Addr, len(ips))
	for i, ip := range ips {
		unmapped[i] = ip.Unmap()
	}
	return unmapped, nil
}

// refusal says why the configuration forbids connecting to ip, or returns
// "" if it allows it.
func (g *guard) refusal(ip netip.Addr) string {
	reason := BlockReason(ip)
	if reason == "" {
		return ""
	}
	bare := ip.Unmap().WithZone("")
	for _, p := range g.allowCIDRs {
		if p.Contains(bare) {
			return ""
		}
	}
	if g.allowPrivate && reason != reasonCloudMetadata {
		return ""
	}
	return reason
}

// ipNetwork maps a dial network to the matching lookup network.
func ipNetwork(network string) string {
	switch network {
	case "tcp4", "udp4":
		return "ip4"
	case "tcp6", "udp6":
		return "ip6"
	}
	return "ip"
}

// portOf returns the port of u, or the default port of its scheme.
func portOf(u *url.URL) string {
	if port := u.Port(); port != "" {
		return port
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}
