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
		// A good entry beside entries to skip.
		vectorSignature + " v1,notbase64!!",
		"v1,AAAA " + vectorSignature,
		"v2," + vectorSignature[3:] + " " + vectorSignature,
		"hmac-sha512,abc " + vectorSignature,
		"nocomma " + vectorSignature,
		// Over the limits.
		strings.Repeat(vectorSignature+" ", MaxSignatureEntries+1),
		vectorSignature + strings.Repeat(" ", 9<<10),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		sigs, err := ParseSignatureHeader(header)
		if err != nil {
			tooLarge := len(header) > MaxSignatureHeaderBytes || len(strings.Fields(header)) > MaxSignatureEntries
			if tooLarge != errors.Is(err, ErrSignatureHeaderTooLarge) {
				t.Fatalf("error %v for a header of %d bytes and %d entries", err, len(header), len(strings.Fields(header)))
			}
			if !tooLarge && !errors.Is(err, ErrMalformedSignature) {
				t.Fatalf("error %v does not wrap ErrMalformedSignature", err)
			}
			return
		}
		if len(sigs) == 0 || len(sigs) > MaxSignatureEntries {
			t.Fatalf("no error and %d entries", len(sigs))
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
			if !strings.Contains(header, s.Version+","+s.Value) {
				t.Fatalf("entry %+v is not in the header", s)
			}
			parts[i] = s.Version + "," + s.Value
		}
		again, err := ParseSignatureHeader(strings.Join(parts, " "))
		if err != nil || len(again) != len(sigs) {
			t.Fatalf("re-parsing the joined entries: %d entries, %v", len(again), err)
		}
	})
}

// FuzzVerifyBesideOtherEntries: a good signature verifies whatever other
// entries stand beside it, as long as the header is within its limits.
func FuzzVerifyBesideOtherEntries(f *testing.F) {
	for _, seed := range []string{"v1,notbase64!!", "v1,AAAA", "v2,abc v1a,def", "hmac-sha512,abc", "nocomma", "v1, ,x", vectorWrong} {
		f.Add(seed, true)
		f.Add(seed, false)
	}
	f.Fuzz(func(t *testing.T, others string, goodFirst bool) {
		header := others + " " + vectorSignature
		if goodFirst {
			header = vectorSignature + " " + others
		}
		h := vectorHeaders(header)
		if h.Get(HeaderSignature) != header {
			t.Skip() // not representable as an HTTP header value
		}
		err := Verify([]string{vectorSecret}, h, []byte(vectorBody), vectorTime, 0)
		tooLarge := len(header) > MaxSignatureHeaderBytes || len(strings.Fields(header)) > MaxSignatureEntries
		switch {
		case tooLarge && !errors.Is(err, ErrSignatureHeaderTooLarge):
			t.Fatalf("a header over the limits: Verify = %v", err)
		case !tooLarge && err != nil:
			t.Fatalf("Verify(%q) = %v, want nil", header, err)
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
