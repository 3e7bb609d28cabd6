package netguard

import (
	"errors"
	"fmt"
	"net/netip"
)

// BlockedError means the client refused to connect to an address. It
// reaches the caller wrapped in a *url.Error; use errors.As.
type BlockedError struct {
	// Host is the host name the address belongs to, or the address itself
	// if the URL named an address.
	Host string
	// IP is the refused address.
	IP netip.Addr
	// Reason says what kind of address it is: "loopback", "private",
	// "link-local", "cloud metadata", ….
	Reason string
}

func (e *BlockedError) Error() string {
	dest := e.IP.String()
	if e.Host != "" && e.Host != dest {
		dest += " (" + e.Host + ")"
	}
	hint := fmt.Sprintf("set %s=true or add it to %s to allow it", EnvAllowPrivate, EnvAllowedCIDRs)
	if e.Reason == reasonCloudMetadata {
		hint = fmt.Sprintf("add it to %s to allow it", EnvAllowedCIDRs)
	}
	return fmt.Sprintf("destination %s is a %s address; %s", dest, e.Reason, hint)
}

// Errors for requests the client refuses before connecting. They reach the
// caller wrapped in a *url.Error; use errors.Is.
var (
	// ErrUnsupportedScheme means a URL (or a redirect) was neither http
	// nor https.
	ErrUnsupportedScheme = errors.New("unsupported URL scheme")
	// ErrTooManyRedirects means a request was redirected more often than
	// Config.MaxRedirects allows.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrInvalidHost means a URL's host is a number that is not an IP
	// address (see CheckHost).
	ErrInvalidHost = errors.New("invalid host")
	// ErrLeavesLoopback means a LoopbackOnly client was asked to reach a
	// host that is not on this machine (see Config.LoopbackOnly).
	ErrLeavesLoopback = errors.New("refused to leave loopback (a test reached for a real host: give it a host override)")
)
