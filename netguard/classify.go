package netguard

import "net/netip"

// Why an address is refused. They complete the sentence "destination … is
// a … address".
const (
	reasonCloudMetadata = "cloud metadata"
	reasonUnspecified   = "unspecified"
	reasonLoopback      = "loopback"
	reasonPrivate       = "private"
	reasonLinkLocal     = "link-local"
	reasonSharedCGNAT   = "carrier-grade NAT (shared)"
	reasonMulticast     = "multicast"
	reasonBroadcast     = "broadcast"
	reasonReserved      = "reserved"
)

// Ranges that netip.Addr has no predicate for. They are never modified.
var (
	// thisNetwork is 0.0.0.0/8: connecting to 0.0.0.0 reaches the local
	// machine on Linux.
	thisNetwork = netip.MustParsePrefix("0.0.0.0/8")
	// sharedAddressSpace is RFC 6598's carrier-grade NAT range.
	sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")
	// reservedIPv4 is the former class E range (RFC 1112).
	reservedIPv4 = netip.MustParsePrefix("240.0.0.0/4")
	// siteLocalIPv6 is deprecated (RFC 3879) but still routed privately
	// by some networks.
	siteLocalIPv6 = netip.MustParsePrefix("fec0::/10")
	// nat64 is the well-known NAT64 prefix (RFC 6052): its last 32 bits
	// are an IPv4 address that a NAT64 gateway connects to.
	nat64 = netip.MustParsePrefix("64:ff9b::/96")

	limitedBroadcast = netip.MustParseAddr("255.255.255.255")
	// awsMetadataIPv4 also serves GCP, Azure, Oracle and others;
	// awsMetadataIPv6 is EC2's IPv6 endpoint.
	awsMetadataIPv4 = netip.MustParseAddr("169.254.169.254")
	awsMetadataIPv6 = netip.MustParseAddr("fd00:ec2::254")
)

// BlockReason says why addr is not a public destination ("loopback",
// "private", "cloud metadata", …), or returns "" if it is one. It is a pure
// function of the address and ignores any configuration; IPv4-mapped IPv6
// and NAT64 forms are judged by the IPv4 address they carry.
func BlockReason(addr netip.Addr) string {
	addr = embeddedIPv4(addr.WithZone(""))
	switch {
	case !addr.IsValid():
		return reasonUnspecified
	case addr == awsMetadataIPv4 || addr == awsMetadataIPv6:
		return reasonCloudMetadata
	case addr.IsUnspecified() || thisNetwork.Contains(addr):
		return reasonUnspecified
	case addr.IsLoopback():
		return reasonLoopback
	case addr.IsPrivate() || siteLocalIPv6.Contains(addr):
		return reasonPrivate
	case addr.IsLinkLocalUnicast():
		return reasonLinkLocal
	case sharedAddressSpace.Contains(addr):
		return reasonSharedCGNAT
	case addr.IsMulticast():
		return reasonMulticast
	case addr == limitedBroadcast:
		return reasonBroadcast
	case reservedIPv4.Contains(addr):
		return reasonReserved
	}
	return ""
}

// embeddedIPv4 returns the IPv4 address inside an IPv4-mapped or NAT64
// IPv6 address, and any other address unchanged.
func embeddedIPv4(addr netip.Addr) netip.Addr {
	if addr.Is4In6() {
		return addr.Unmap()
	}
	if nat64.Contains(addr) {
		b := addr.As16()
		return netip.AddrFrom4([4]byte(b[12:]))
	}
	return addr
}
