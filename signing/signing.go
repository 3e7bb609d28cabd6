package signing

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SecretPrefix starts every secret this package generates. Secrets without it
// are accepted too.
const SecretPrefix = "whsec_"

// Key sizes the specification allows, in bytes of the decoded secret.
const (
	MinKeySize = 24
	MaxKeySize = 64
	// generatedKeySize is what GenerateSecret makes.
	generatedKeySize = 32
)

// DefaultTolerance is how far a message's timestamp may be from the
// receiver's clock, in either direction.
const DefaultTolerance = 5 * time.Minute

// Sentinel errors that callers branch on (with errors.Is).
var (
	// ErrMissingHeaders means webhook-id, webhook-timestamp or
	// webhook-signature is absent or empty, and so is its svix-* alias.
	ErrMissingHeaders = errors.New("missing webhook signature headers")
	// ErrMalformedTimestamp means webhook-timestamp is not decimal unix
	// seconds.
	ErrMalformedTimestamp = errors.New("malformed webhook timestamp")
	// ErrMalformedSignature means no entry of webhook-signature is a
	// "version,signature" entry (with, for v1, 32 bytes of base64).
	ErrMalformedSignature = errors.New("malformed webhook signature")
	// ErrSignatureHeaderTooLarge means webhook-signature is longer than
	// MaxSignatureHeaderBytes or holds more than MaxSignatureEntries
	// entries.
	ErrSignatureHeaderTooLarge = errors.New("webhook signature header too large")
	// ErrInvalidSignature means no v1 entry matched any of the secrets.
	ErrInvalidSignature = errors.New("no matching webhook signature")
	// ErrTimestampTooOld means the message is older than the tolerance
	// allows: possibly a replay.
	ErrTimestampTooOld = errors.New("webhook timestamp too old")
	// ErrTimestampTooNew means the message claims to come from further in
	// the future than the tolerance allows.
	ErrTimestampTooNew = errors.New("webhook timestamp too new")
	// ErrInvalidSecret means a secret is not base64 of 24 to 64 bytes
	// (after an optional whsec_ prefix).
	ErrInvalidSecret = errors.New("invalid webhook secret")
)

// GenerateSecret returns a new random secret: "whsec_" followed by the
// standard base64 of 32 random bytes.
func GenerateSecret() (string, error) {
	key := make([]byte, generatedKeySize)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("generate webhook secret: %w", err)
	}
	return SecretPrefix + base64.StdEncoding.EncodeToString(key), nil
}

// ParseSecret returns the HMAC key of a secret, with or without the whsec_
// prefix. Errors wrap ErrInvalidSecret and never contain the secret.
func ParseSecret(secret string) ([]byte, error) {
	encoded := strings.TrimPrefix(strings.TrimSpace(secret), SecretPrefix)
	if encoded == "" {
		return nil, fmt.Errorf("%w: empty", ErrInvalidSecret)
	}
	key, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		// Some senders strip the padding; the key is the same.
		key, err = base64.RawStdEncoding.DecodeString(encoded)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: not standard base64 after the %s prefix", ErrInvalidSecret, SecretPrefix)
	}
	if len(key) < MinKeySize || len(key) > MaxKeySize {
		return nil, fmt.Errorf("%w: key is %d bytes, want %d to %d", ErrInvalidSecret, len(key), MinKeySize, MaxKeySize)
	}
	return key, nil
}

// Sign returns the webhook-signature value ("v1,<base64>") of a message
// with the given id, timestamp and exact body bytes.
func Sign(secret, msgID string, ts time.Time, body []byte) (string, error) {
	key, err := ParseSecret(secret)
	if err != nil {
		return "", fmt.Errorf("sign webhook: %w", err)
	}
	sig := computeSignature(key, msgID, FormatTimestamp(ts), body)
	return "v1," + base64.StdEncoding.EncodeToString(sig), nil
}

// FormatTimestamp writes ts as the webhook-timestamp header does: decimal
// unix seconds.
func FormatTimestamp(ts time.Time) string {
	return strconv.FormatInt(ts.Unix(), 10)
}

// computeSignature is HMAC-SHA256 over "{id}.{timestamp}.{body}". The
// timestamp is used exactly as written in the header.
func computeSignature(key []byte, msgID, timestamp string, body []byte) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(msgID))
	mac.Write([]byte{'.'})
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return mac.Sum(nil)
}
