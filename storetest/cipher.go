package storetest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
)

// testKey is a fixed AES-256 key: sealed values are reproducible to read in
// a failing test, and nothing real is ever sealed with it.
var testKey = [32]byte{
	0x68, 0x6f, 0x6f, 0x6b, 0x62, 0x72, 0x69, 0x64, 0x67, 0x65, 0x2d, 0x74, 0x65, 0x73, 0x74, 0x2d,
	0x6b, 0x65, 0x79, 0x2d, 0x6e, 0x6f, 0x74, 0x2d, 0x61, 0x2d, 0x73, 0x65, 0x63, 0x72, 0x65, 0x74,
}

// TestCipher is a hookbridge.Cipher for tests: AES-256-GCM with a fixed key
// and a random nonce in front of each sealed value. Use it only in tests.
type TestCipher struct {
	aead cipher.AEAD
}

// NewTestCipher returns a TestCipher.
func NewTestCipher() *TestCipher {
	block, err := aes.NewCipher(testKey[:])
	if err != nil {
		panic("storetest: AES with a 32-byte key: " + err.Error())
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic("storetest: GCM: " + err.Error())
	}
	return &TestCipher{aead: aead}
}

// Seal encrypts plaintext; the result starts with the nonce.
func (c *TestCipher) Seal(plaintext []byte) ([]byte, error) {
	nonce := make([]byte, c.aead.NonceSize(), c.aead.NonceSize()+len(plaintext)+c.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("seal: nonce: %w", err)
	}
	return c.aead.Seal(nonce, nonce, plaintext, nil), nil
}

// Open decrypts what Seal returned, and fails if it was altered.
func (c *TestCipher) Open(sealed []byte) ([]byte, error) {
	n := c.aead.NonceSize()
	if len(sealed) < n+c.aead.Overhead() {
		return nil, errors.New("open: sealed value too short")
	}
	plaintext, err := c.aead.Open(nil, sealed[:n], sealed[n:], nil)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	return plaintext, nil
}
