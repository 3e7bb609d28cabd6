package storetest

import (
	"bytes"
	"testing"
)

func TestTestCipher(t *testing.T) {
	c := NewTestCipher()
	plain := []byte(`{"api_key":"secret"}`)
	a, err := c.Seal(plain)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Seal(plain)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, b) || bytes.Contains(a, []byte("secret")) {
		t.Errorf("sealing is deterministic or shows the plaintext")
	}
	got, err := c.Open(a)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open = %q, %v; want the plaintext", got, err)
	}
	a[len(a)-1] ^= 1
	if _, err := c.Open(a); err == nil {
		t.Errorf("a tampered value opened")
	}
	if _, err := c.Open(a[:5]); err == nil {
		t.Errorf("a truncated value opened")
	}
}
