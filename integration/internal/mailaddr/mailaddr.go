// Package mailaddr checks the shape of email addresses as the email APIs
// (Resend, SendGrid, Loops) take them: a bare address
// ("jane@example.com") or, where the API allows it, a display name and an
// address ("Billing <billing@example.com>"). It checks the shape only:
// whether a mailbox exists is for the tool to find out.
package mailaddr

import (
	"strings"
)

// maxLength is the longest address a mail system takes (RFC 5321's path
// limit less the angle brackets).
const maxLength = 254

// Valid reports whether s is a bare address of the usual shape: one @, a
// local part without spaces, and a domain of at least two labels made of
// letters, digits and hyphens.
func Valid(s string) bool {
	if len(s) == 0 || len(s) > maxLength || strings.ContainsAny(s, " \t\r\n<>,;\"") {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(local) > 64 || strings.Contains(domain, "@") {
		return false
	}
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return false
	}
	return validDomain(domain)
}

// validDomain reports whether d has two labels or more, each of letters,
// digits and inner hyphens, the last not all digits.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, c := range l {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c > 127) {
				return false
			}
		}
	}
	return strings.Trim(labels[len(labels)-1], "0123456789") != ""
}

// Split reads "Name <address>" or a bare address and returns the name
// ("" for none) and the address; ok is false when s is neither shape or
// the address is not Valid.
func Split(s string) (name, addr string, ok bool) {
	s = strings.TrimSpace(s)
	if open := strings.LastIndexByte(s, '<'); open >= 0 {
		if !strings.HasSuffix(s, ">") {
			return "", "", false
		}
		name = strings.Trim(strings.TrimSpace(s[:open]), `"`)
		addr = s[open+1 : len(s)-1]
		return name, addr, Valid(addr)
	}
	return "", s, Valid(s)
}

// Domain returns the lower-cased domain of a bare address or of
// "Name <address>"; "" if s has none.
func Domain(s string) string {
	_, addr, _ := Split(s)
	_, domain, ok := strings.Cut(addr, "@")
	if !ok {
		return ""
	}
	return strings.ToLower(domain)
}
