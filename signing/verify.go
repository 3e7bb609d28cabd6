package signing

import (
	"crypto/hmac"
	"encoding/base64"
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

// ParseSignatureHeader splits a webhook-signature header into its
// space-separated entries. Every entry must be "version,value" with both
// parts non-empty, and every v1 value must be standard base64 of the 32
// bytes of an HMAC-SHA256; otherwise the error wraps ErrMalformedSignature.
// Entries of other versions are returned unchecked.
func ParseSignatureHeader(header string) ([]Signature, error) {
	fields := strings.Fields(header)
	if len(fields) == 0 {
		return nil, fmt.Errorf("%w: empty header", ErrMalformedSignature)
	}
	sigs := make([]Signature, 0, len(fields))
	for i, field := range fields {
		version, value, ok := strings.Cut(field, ",")
		if !ok || version == "" || value == "" {
			return nil, fmt.Errorf("%w: entry %d is not \"version,signature\"", ErrMalformedSignature, i+1)
		}
		if version == "v1" {
			if _, err := decodeV1(value); err != nil {
				return nil, fmt.Errorf("%w: entry %d: %v", ErrMalformedSignature, i+1, err)
			}
		}
		sigs = append(sigs, Signature{Version: version, Value: value})
	}
	return sigs, nil
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

// Verify checks a received message: its webhook-* headers, taken from h,
// against the exact body bytes. It succeeds if any v1 entry of the
// signature header matches the body signed with any of secrets (several
// during a rotation), and the timestamp is within tolerance of now in
// either direction. A tolerance of zero means DefaultTolerance; a negative
// one skips the timestamp comparison (for checking old messages by hand),
// though the timestamp must still be well formed.
//
// The errors wrap the package's sentinel errors, checked in this order:
// ErrInvalidSecret (a configuration error), ErrMissingHeaders,
// ErrMalformedTimestamp, ErrTimestampTooOld, ErrTimestampTooNew,
// ErrMalformedSignature, ErrInvalidSignature.
func Verify(secrets []string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	keys, err := parseSecrets(secrets)
	if err != nil {
		return err
	}
	id, timestamp, header := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if missing := missingHeaders(id, timestamp, header); missing != "" {
		return fmt.Errorf("%w: %s", ErrMissingHeaders, missing)
	}
	if err := checkTimestamp(timestamp, now, tolerance); err != nil {
		return err
	}
	sigs, err := ParseSignatureHeader(header)
	if err != nil {
		return err
	}
	for _, key := range keys {
		expected := computeSignature(key, id, timestamp, body)
		for _, sig := range sigs {
			if sig.Version != "v1" {
				continue
			}
			got, _ := decodeV1(sig.Value) // checked by ParseSignatureHeader
			if hmac.Equal(got, expected) {
				return nil
			}
		}
	}
	return ErrInvalidSignature
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

func missingHeaders(id, timestamp, signature string) string {
	var missing []string
	for _, h := range []struct{ name, value string }{
		{HeaderID, id}, {HeaderTimestamp, timestamp}, {HeaderSignature, signature},
	} {
		if strings.TrimSpace(h.value) == "" {
			missing = append(missing, h.name)
		}
	}
	return strings.Join(missing, ", ")
}

// checkTimestamp parses the header's unix seconds and compares them with
// now. Exactly tolerance away is still accepted.
func checkTimestamp(timestamp string, now time.Time, tolerance time.Duration) error {
	if tolerance == 0 {
		tolerance = DefaultTolerance
	}
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
