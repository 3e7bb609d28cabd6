package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the length of an AES-256 key in bytes.
const KeySize = 32

const (
	formatVersion  = 1
	fingerprintLen = 4
	headerLen      = 1 + fingerprintLen
)

// ErrNoKey means a sealed value names a key the ring does not hold.
var ErrNoKey = errors.New("secretbox: sealed with a key that is not in the key ring")

// ErrCorrupt means a sealed value is malformed or was tampered with.
var ErrCorrupt = errors.New("secretbox: sealed value is corrupt or was not sealed by this key ring")

// Keyring seals with its first key and opens with any of its keys. It is
// safe for concurrent use.
type Keyring struct {
	keys []ringKey
}

type ringKey struct {
	fingerprint [fingerprintLen]byte
	aead        cipher.AEAD
}

// New makes a key ring from raw 32-byte keys; the first one seals.
func New(keys ...[]byte) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("secretbox: a key ring needs at least one key")
	}
	ring := &Keyring{}
	for i, k := range keys {
		if len(k) != KeySize {
			return nil, fmt.Errorf("secretbox: key %d is %d bytes, want %d", i+1, len(k), KeySize)
		}
		block, err := aes.NewCipher(k)
		if err != nil {
			return nil, fmt.Errorf("secretbox: key %d: %w", i+1, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("secretbox: key %d: %w", i+1, err)
		}
		ring.keys = append(ring.keys, ringKey{fingerprint: fingerprint(k), aead: aead})
	}
	return ring, nil
}

// Parse makes a key ring from a comma-separated list of keys, each 32
// bytes written as standard base64 or as 64 hex digits — the form of
// HOOKBRIDGE_SECRET_KEY.
func Parse(list string) (*Keyring, error) {
	var keys [][]byte
	for i, field := range strings.Split(list, ",") {
		field = strings.TrimSpace(field)
		if field == "" {
			continue
		}
		k, err := decodeKey(field)
		if err != nil {
			return nil, fmt.Errorf("secretbox: key %d: %w", i+1, err)
		}
		keys = append(keys, k)
	}
	return New(keys...)
}

func decodeKey(s string) ([]byte, error) {
	if len(s) == 2*KeySize {
		if k, err := hex.DecodeString(s); err == nil {
			return k, nil
		}
	}
	k, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, errors.New("not base64 or hex (make one with: openssl rand -base64 32)")
	}
	if len(k) != KeySize {
		return nil, fmt.Errorf("decodes to %d bytes, want %d (make one with: openssl rand -base64 32)", len(k), KeySize)
	}
	return k, nil
}

// GenerateKey returns a new random key, base64-encoded.
func GenerateKey() (string, error) {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return "", fmt.Errorf("secretbox: generate key: %w", err)
	}
	return base64.StdEncoding.EncodeToString(k), nil
}

// LoadOrCreateKeyFile reads a key ring from path, or, if the file does not
// exist, generates a key and writes it there with 0600 permissions.
func LoadOrCreateKeyFile(path string) (ring *Keyring, created bool, err error) {
	data, err := os.ReadFile(path)
	if err == nil {
		ring, err := Parse(strings.TrimSpace(string(data)))
		if err != nil {
			return nil, false, fmt.Errorf("read key file %s: %w", path, err)
		}
		return ring, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, false, fmt.Errorf("read key file: %w", err)
	}
	key, err := GenerateKey()
	if err != nil {
		return nil, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, fmt.Errorf("create key directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("create key file: %w", err)
	}
	if _, err := f.WriteString(key + "\n"); err != nil {
		f.Close()
		return nil, false, fmt.Errorf("write key file: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, false, fmt.Errorf("write key file: %w", err)
	}
	ring, err = Parse(key)
	return ring, true, err
}

// Seal encrypts plaintext under the first key.
func (r *Keyring) Seal(plaintext []byte) ([]byte, error) {
	k := r.keys[0]
	nonceSize := k.aead.NonceSize()
	out := make([]byte, headerLen+nonceSize, headerLen+nonceSize+len(plaintext)+k.aead.Overhead())
	out[0] = formatVersion
	copy(out[1:headerLen], k.fingerprint[:])
	if _, err := rand.Read(out[headerLen:]); err != nil {
		return nil, fmt.Errorf("secretbox: nonce: %w", err)
	}
	// The header is authenticated as additional data.
	return k.aead.Seal(out, out[headerLen:], plaintext, out[:headerLen]), nil
}

// Open decrypts a value sealed by any key of the ring.
func (r *Keyring) Open(sealed []byte) ([]byte, error) {
	if len(sealed) < headerLen || sealed[0] != formatVersion {
		return nil, ErrCorrupt
	}
	for _, k := range r.keys {
		if string(k.fingerprint[:]) != string(sealed[1:headerLen]) {
			continue
		}
		nonceSize := k.aead.NonceSize()
		if len(sealed) < headerLen+nonceSize+k.aead.Overhead() {
			return nil, ErrCorrupt
		}
		nonce := sealed[headerLen : headerLen+nonceSize]
		plain, err := k.aead.Open(nil, nonce, sealed[headerLen+nonceSize:], sealed[:headerLen])
		if err != nil {
			return nil, ErrCorrupt
		}
		return plain, nil
	}
	return nil, ErrNoKey
}

// NeedsResealing reports whether a sealed value was sealed by a key other
// than the first (so a key rotation should seal it again).
func (r *Keyring) NeedsResealing(sealed []byte) bool {
	return len(sealed) < headerLen || string(sealed[1:headerLen]) != string(r.keys[0].fingerprint[:])
}

func fingerprint(key []byte) [fingerprintLen]byte {
	sum := sha256.Sum256(append([]byte("hookbridge-secretbox-key-id:"), key...))
	var fp [fingerprintLen]byte
	copy(fp[:], sum[:fingerprintLen])
	return fp
}
