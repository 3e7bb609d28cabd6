package signing

import (
	"cmp"
	"crypto/hmac"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Signature is one entry of a webhook-signature header: "v1,<base64>".
type Signature struct {
	// Version is the part before the comma: "v1" for HMAC-SHA256, "v1a"
	// for ed25519, or a version this package does not know.
	Version string
	// Value is the part after the comma, as written.
	Value string
}

// Limits on a webhook-signature header. A header beyond them is refused
// before any HMAC is computed, so that a request cannot make the receiver
// hash its body once per entry without end. A sender needs one entry per
// secret it signs with: two during a rotation.
const (
	MaxSignatureHeaderBytes = 8 << 10
	MaxSignatureEntries     = 20
)

// ParseSignatureHeader splits a webhook-signature header into its
// space-separated entries and returns the well-formed ones: "version,value"
// with both parts non-empty, and for v1 a value that is standard base64 of
// the 32 bytes of an HMAC-SHA256. Entries of other versions are returned
// unchecked. Malformed entries are skipped, as the official Standard
// Webhooks and Svix libraries skip entries they cannot use, so that one
// odd entry beside a good one does not fail the message.
//
// The error wraps ErrSignatureHeaderTooLarge when the header is over
// MaxSignatureHeaderBytes or holds more than MaxSignatureEntries entries
// (well-formed or not), and ErrMalformedSignature when no entry is well
// formed.
func ParseSignatureHeader(header string) ([]Signature, error) {
	fields, err := signatureFields(header)
	if err != nil {
		return nil, err
	}
	sigs := make([]Signature, 0, len(fields))
	for _, field := range fields {
		if sig, ok := parseEntry(field); ok {
			sigs = append(sigs, sig)
		}
	}
	if len(sigs) == 0 {
		return nil, fmt.Errorf("%w: no entry of %d is \"version,signature\" with a v1 signature of 32 bytes of base64", ErrMalformedSignature, len(fields))
	}
	return sigs, nil
}

// signatureFields splits a webhook-signature header into its entries,
// refusing a header over the limits.
func signatureFields(header string) ([]string, error) {
	if len(header) > MaxSignatureHeaderBytes {
		return nil, fmt.Errorf("%w: %d bytes, at most %d allowed", ErrSignatureHeaderTooLarge, len(header), MaxSignatureHeaderBytes)
	}
	fields := strings.Fields(header)
	if len(fields) > MaxSignatureEntries {
		return nil, fmt.Errorf("%w: %d entries, at most %d allowed", ErrSignatureHeaderTooLarge, len(fields), MaxSignatureEntries)
	}
	if len(fields) == 0 {
		return nil, fmt.Errorf("%w: empty header", ErrMalformedSignature)
	}
	return fields, nil
}

// parseEntry reads one "version,value" entry; ok is false for a malformed
// one.
func parseEntry(field string) (sig Signature, ok bool) {
	version, value, found := strings.Cut(field, ",")
	if !found || version == "" || value == "" {
		return Signature{}, false
	}
	if version == "v1" {
		if _, err := decodeV1(value); err != nil {
			return Signature{}, false
		}
	}
	return Signature{Version: version, Value: value}, true
}

// decodeV1 decodes a v1 signature value and checks its length.
func decodeV1(value string) ([]byte, error) {
	sig, err := base64.StdEncoding.Strict().DecodeString(value)
	if err != nil {
		return nil, fmt.Errorf("v1 signature is not standard base64")
	}
	if len(sig) != 32 {
		return nil, fmt.Errorf("v1 signature is %d bytes, want 32", len(sig))
	}
	return sig, nil
}

// Verify checks a received message: its signature headers, read from h by
// ReadHeaders (so the svix-* names are accepted too), against the exact
// body bytes. It succeeds if any v1 entry of the signature header matches
// the body signed with any of secrets (several during a rotation), and the
// timestamp is within tolerance of now in either direction. Entries that
// are malformed, of another version or of an unknown scheme are ignored.
// A tolerance of zero means DefaultTolerance; a negative one skips the
// timestamp comparison (for checking old messages by hand), though the
// timestamp must still be well formed.
//
// The errors wrap the package's sentinel errors, checked in this order:
// ErrInvalidSecret (a configuration error), ErrMissingHeaders,
// ErrSignatureHeaderTooLarge, ErrMalformedTimestamp, ErrTimestampTooOld,
// ErrTimestampTooNew, ErrMalformedSignature (no entry is well formed),
// ErrInvalidSignature. No HMAC is computed before the signature header is
// known to be within its limits.
func Verify(secrets []string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	keys, err := parseSecrets(secrets)
	if err != nil {
		return err
	}
	sh := ReadHeaders(h)
	if err := sh.checkPresent(); err != nil {
		return err
	}
	if _, err := signatureFields(sh.Signature); errors.Is(err, ErrSignatureHeaderTooLarge) {
		return err
	}
	if err := checkTimestamp(sh.Timestamp, now, tolerance); err != nil {
		return err
	}
	sigs, err := ParseSignatureHeader(sh.Signature)
	if err != nil {
		return err
	}
	for _, key := range keys {
		if matchesAny(sigs, computeSignature(key, sh.ID, sh.Timestamp, body)) {
			return nil
		}
	}
	return ErrInvalidSignature
}

// matchesAny reports whether a v1 entry of sigs is expected, comparing in
// constant time.
func matchesAny(sigs []Signature, expected []byte) bool {
	for _, sig := range sigs {
		if sig.Version != "v1" {
			continue
		}
		got, _ := decodeV1(sig.Value) // checked by ParseSignatureHeader
		if hmac.Equal(got, expected) {
			return true
		}
	}
	return false
}

func parseSecrets(secrets []string) ([][]byte, error) {
	if len(secrets) == 0 {
		return nil, fmt.Errorf("%w: no secret to verify with", ErrInvalidSecret)
	}
	keys := make([][]byte, len(secrets))
	for i, s := range secrets {
		key, err := ParseSecret(s)
		if err != nil {
			return nil, fmt.Errorf("secret %d: %w", i+1, err)
		}
		keys[i] = key
	}
	return keys, nil
}

// checkTimestamp parses the header's unix seconds and compares them with
// now. Exactly tolerance away is still accepted.
func checkTimestamp(timestamp string, now time.Time, tolerance time.Duration) error {
	tolerance = cmp.Or(tolerance, DefaultTolerance)
	secs, err := strconv.ParseUint(timestamp, 10, 63)
	if err != nil {
		return fmt.Errorf("%w: %q is not unix seconds", ErrMalformedTimestamp, truncate(timestamp, 32))
	}
	sent := time.Unix(int64(secs), 0)
	switch {
	case tolerance < 0:
		return nil
	case now.Sub(sent) > tolerance:
		return fmt.Errorf("%w: sent %s, %s before now", ErrTimestampTooOld, sent.UTC().Format(time.RFC3339), now.Sub(sent).Round(time.Second))
	case sent.Sub(now) > tolerance:
		return fmt.Errorf("%w: sent %s, %s after now", ErrTimestampTooNew, sent.UTC().Format(time.RFC3339), sent.Sub(now).Round(time.Second))
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
