package signing

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func FuzzParseSignatureHeader(f *testing.F) {
	for _, seed := range []string{
		vectorSignature,
		vectorWrong + " " + vectorSignature,
		"v1,",
		"v1a,abc v2,def",
		",",
		"  ",
		"v1,,,,",
		"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		sigs, err := ParseSignatureHeader(header)
		if err != nil {
			if !errors.Is(err, ErrMalformedSignature) {
				t.Fatalf("error %v does not wrap ErrMalformedSignature", err)
			}
			return
		}
		if len(sigs) == 0 {
			t.Fatal("no error and no entries")
		}
		parts := make([]string, len(sigs))
		for i, s := range sigs {
			if s.Version == "" || s.Value == "" {
				t.Fatalf("entry %d has an empty part: %+v", i, s)
			}
			if s.Version == "v1" {
				if raw, err := base64.StdEncoding.DecodeString(s.Value); err != nil || len(raw) != 32 {
					t.Fatalf("accepted v1 entry %q that is not 32 bytes of base64", s.Value)
				}
			}
			parts[i] = s.Version + "," + s.Value
		}
		again, err := ParseSignatureHeader(strings.Join(parts, " "))
		if err != nil || len(again) != len(sigs) {
			t.Fatalf("re-parsing the joined entries: %d entries, %v", len(again), err)
		}
	})
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte("0123456789abcdef01234567"), "msg_p5jXN8AQM9LWM0D4loKWxJek", int64(1614265330), []byte(`{"test": 2432232314}`))
	f.Add(make([]byte, 64), "x", int64(0), []byte{})
	f.Add([]byte("a key of exactly thirty-two bytes"), "msg.with.dots", int64(4102444800), []byte("\x00\xff not json"))
	f.Fuzz(func(t *testing.T, key []byte, msgID string, unix int64, body []byte) {
		if len(key) < MinKeySize || len(key) > MaxKeySize || strings.TrimSpace(msgID) == "" || unix < 0 || unix > 1<<40 {
			t.Skip()
		}
		if strings.ContainsAny(msgID, "\r\n") || msgID != strings.TrimSpace(msgID) {
			t.Skip() // not representable as an HTTP header value
		}
		secret := SecretPrefix + base64.StdEncoding.EncodeToString(key)
		ts := time.Unix(unix, 0)
		sig, err := Sign(secret, msgID, ts, body)
		if err != nil {
			t.Fatalf("Sign: %v", err)
		}
		h := http.Header{}
		h.Set(HeaderID, msgID)
		h.Set(HeaderTimestamp, FormatTimestamp(ts))
		h.Set(HeaderSignature, sig)
		if err := Verify([]string{secret}, h, body, ts, 0); err != nil {
			t.Fatalf("a signature made by Sign does not verify: %v", err)
		}
		tampered := append([]byte{'x'}, body...)
		if err := Verify([]string{secret}, h, tampered, ts, 0); !errors.Is(err, ErrInvalidSignature) {
			t.Fatalf("tampered body: Verify = %v, want ErrInvalidSignature", err)
		}
	})
}
