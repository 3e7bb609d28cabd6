package secretbox

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func key(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func TestSealOpenRoundTrip(t *testing.T) {
	ring, err := New(key(1))
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte(`{"api_key":"sk_live_123"}`)
	sealed, err := ring.Seal(plain)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("sk_live_123")) {
		t.Fatal("sealed value contains the plaintext")
	}
	again, _ := ring.Seal(plain)
	if bytes.Equal(sealed, again) {
		t.Fatal("two seals of the same plaintext are identical: nonce is not random")
	}
	got, err := ring.Open(sealed)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open = %q, %v; want %q", got, err, plain)
	}
}

func TestRotation(t *testing.T) {
	oldRing, _ := New(key(1))
	sealedOld, _ := oldRing.Seal([]byte("old secret"))

	rotated, _ := New(key(2), key(1))
	if got, err := rotated.Open(sealedOld); err != nil || string(got) != "old secret" {
		t.Fatalf("rotated ring cannot open a value of the old key: %q, %v", got, err)
	}
	if !rotated.NeedsResealing(sealedOld) {
		t.Error("value sealed by the old key should need resealing")
	}
	sealedNew, _ := rotated.Seal([]byte("new secret"))
	if rotated.NeedsResealing(sealedNew) {
		t.Error("value sealed by the first key should not need resealing")
	}
	if _, err := oldRing.Open(sealedNew); !errors.Is(err, ErrNoKey) {
		t.Fatalf("old ring opening a value of the new key: err = %v, want ErrNoKey", err)
	}
}

func TestTamperingDetected(t *testing.T) {
	ring, _ := New(key(3))
	sealed, _ := ring.Seal([]byte("payload"))
	for i := range sealed {
		bad := bytes.Clone(sealed)
		bad[i] ^= 0x01
		if _, err := ring.Open(bad); err == nil {
			t.Fatalf("flipping byte %d went unnoticed", i)
		}
	}
	if _, err := ring.Open(sealed[:len(sealed)-1]); err == nil {
		t.Fatal("truncated value opened")
	}
	if _, err := ring.Open(nil); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("empty value: err = %v, want ErrCorrupt", err)
	}
}

func TestParse(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString(key(4))
	hexKey := strings.Repeat("05", KeySize)
	ring, err := Parse(b64 + ", " + hexKey)
	if err != nil {
		t.Fatal(err)
	}
	if len(ring.keys) != 2 {
		t.Fatalf("got %d keys, want 2", len(ring.keys))
	}
	for _, bad := range []string{"", "not-a-key", base64.StdEncoding.EncodeToString([]byte("short"))} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		} else if bad != "" && strings.Contains(err.Error(), bad) {
			t.Errorf("error repeats the key material: %v", err)
		}
	}
}

func TestLoadOrCreateKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "secret.key")
	ring, created, err := LoadOrCreateKeyFile(path)
	if err != nil || !created {
		t.Fatalf("first load: created=%v err=%v", created, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Fatalf("key file permissions %o, want 600", perm)
	}
	sealed, _ := ring.Seal([]byte("x"))
	again, created, err := LoadOrCreateKeyFile(path)
	if err != nil || created {
		t.Fatalf("second load: created=%v err=%v", created, err)
	}
	if got, err := again.Open(sealed); err != nil || string(got) != "x" {
		t.Fatalf("reloaded ring cannot open: %v", err)
	}
}
