package netguard

import (
	"net/netip"
	"testing"
)

func TestBlockReason(t *testing.T) {
	tests := []struct {
		addr string
		want string
	}{
		// Public addresses, including the neighbours of blocked ranges.
		{"8.8.8.8", ""},
		{"1.1.1.1", ""},
		{"9.255.255.255", ""},
		{"11.0.0.0", ""},
		{"100.63.255.255", ""},
		{"100.128.0.0", ""},
		{"126.255.255.255", ""},
		{"128.0.0.0", ""},
		{"169.253.255.255", ""},
		{"169.255.0.0", ""},
		{"172.15.255.255", ""},
		{"172.32.0.0", ""},
		{"192.167.255.255", ""},
		{"192.169.0.0", ""},
		{"223.255.255.255", ""},
		{"2606:4700:4700::1111", ""},
		{"2a00:1450:4001::200e", ""},
		{"::ffff:8.8.8.8", ""},
		{"64:ff9b::808:808", ""},
		{"fbff:ffff::1", ""},

		{"0.0.0.0", "unspecified"},
		{"0.1.2.3", "unspecified"},
		{"::", "unspecified"},
		{"127.0.0.1", "loopback"},
		{"127.255.255.254", "loopback"},
		{"::1", "loopback"},
		{"::ffff:127.0.0.1", "loopback"},
		{"64:ff9b::7f00:1", "loopback"},
		{"10.0.0.0", "private"},
		{"10.255.255.255", "private"},
		{"172.16.0.0", "private"},
		{"172.31.255.255", "private"},
		{"192.168.0.1", "private"},
		{"::ffff:10.1.2.3", "private"},
		{"fc00::1", "private"},
		{"fdff:ffff::1", "private"},
		{"fec0::1", "private"},
		{"169.254.0.1", "link-local"},
		{"169.254.255.255", "link-local"},
		{"fe80::1", "link-local"},
		{"fe80::1%eth0", "link-local"},
		{"febf::1", "link-local"},
		{"100.64.0.0", "carrier-grade NAT (shared)"},
		{"100.127.255.255", "carrier-grade NAT (shared)"},
		{"224.0.0.1", "multicast"},
		{"239.255.255.250", "multicast"},
		{"ff02::1", "multicast"},
		{"ff0e::1", "multicast"},
		{"255.255.255.255", "broadcast"},
		{"240.0.0.1", "reserved"},
		{"255.255.255.254", "reserved"},
		{"169.254.169.254", "cloud metadata"},
		{"::ffff:169.254.169.254", "cloud metadata"},
		{"fd00:ec2::254", "cloud metadata"},
	}
	for _, tt := range tests {
		if got := BlockReason(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("BlockReason(%s) = %q, want %q", tt.addr, got, tt.want)
		}
	}
	if got := BlockReason(netip.Addr{}); got == "" {
		t.Error("the zero Addr is allowed, want it refused")
	}
}

func TestRefusalHonoursConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		addr string
		want string
	}{
		{"public is always allowed", Config{}, "203.0.113.7", ""},
		{"private refused by default", Config{}, "10.0.0.5", "private"},
		{"AllowPrivate allows private", Config{AllowPrivate: true}, "10.0.0.5", ""},
		{"AllowPrivate allows CGNAT", Config{AllowPrivate: true}, "100.64.0.1", ""},
		{"AllowPrivate allows mapped loopback", Config{AllowPrivate: true}, "::ffff:127.0.0.1", ""},
		{"range allows inside", Config{AllowCIDRs: mustCIDRs(t, "10.0.0.0/8")}, "10.0.0.5", ""},
		{"range allows mapped form", Config{AllowCIDRs: mustCIDRs(t, "10.0.0.0/8")}, "::ffff:10.0.0.5", ""},
		{"range does not allow outside", Config{AllowCIDRs: mustCIDRs(t, "10.0.0.0/8")}, "192.168.0.1", "private"},
		{"IPv6 range", Config{AllowCIDRs: mustCIDRs(t, "fd00::/8")}, "fd12::1", ""},
		{"IPv6 range, zone ignored", Config{AllowCIDRs: mustCIDRs(t, "fe80::/10")}, "fe80::1%eth0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGuard(tt.cfg, nil)
			if got := g.refusal(netip.MustParseAddr(tt.addr)); got != tt.want {
				t.Errorf("refusal(%s) = %q, want %q", tt.addr, got, tt.want)
			}
		})
	}
}

func mustCIDRs(t *testing.T, s string) []netip.Prefix {
	t.Helper()
	p, err := ParseCIDRs(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
