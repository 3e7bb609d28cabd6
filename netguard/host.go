package netguard

import (
	"fmt"
	"net/netip"
	"strings"
)

// CheckHost refuses a host that is a number but not an IP address as
// netip reads one: 0x7f000001, 2130706433, 0177.0.0.1, 127.1. Some
// libraries and browsers read such names as addresses, DNS never answers
// for them, and no retry changes that, so they are refused at once with
// ErrInvalidHost instead of failing as unresolvable names. A host is such
// a number when its last dot-separated label (a trailing dot aside) is
// decimal digits or 0x and hexadecimal digits, as the WHATWG URL standard
// decides; no top-level domain is numeric. IP addresses and other names
// pass.
func CheckHost(host string) error {
	name := strings.TrimSuffix(strings.ToLower(host), ".")
	if _, err := netip.ParseAddr(name); err == nil {
		return nil
	}
	last := name[strings.LastIndexByte(name, '.')+1:]
	if isNumeric(last) {
		return fmt.Errorf("%w %q: a number that is not a dotted-decimal IPv4 address; write the address as four decimal numbers (127.0.0.1) or use a host name", ErrInvalidHost, host)
	}
	return nil
}

// isNumeric reports whether label is decimal digits, or 0x followed by
// hexadecimal digits (perhaps none).
func isNumeric(label string) bool {
	digits := "0123456789"
	if rest, ok := strings.CutPrefix(label, "0x"); ok {
		label, digits = rest, "0123456789abcdef"
		if label == "" {
			return true
		}
	}
	return label != "" && strings.Trim(label, digits) == ""
}
