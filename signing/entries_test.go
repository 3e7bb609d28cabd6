package signing

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestVerifyOfficialLibraryVectors runs the cases of the Standard Webhooks
// libraries' own tests (libraries/javascript/src/webhook.test.ts and
// libraries/go/webhook_test.go in standard-webhooks/standard-webhooks)
// on the specification's vector.
func TestVerifyOfficialLibraryVectors(t *testing.T) {
	without := func(name string) http.Header {
		h := vectorHeaders(vectorSignature)
		h.Del(name)
		return h
	}
	tests := []struct {
		name string
		h    http.Header
		want error
	}{
		{"valid signature is valid", vectorHeaders(vectorSignature), nil},
		{"multi sig payload is valid", vectorHeaders(strings.Join([]string{
			"v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
			"v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
			vectorSignature,
			"v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
		}, " ")), nil},
		{"invalid signature throws error", vectorHeaders("v1,dawfeoifkpqwoekfpqoekf"), ErrMalformedSignature},
		{"invalid signature is invalid", vectorHeaders(vectorWrong), ErrInvalidSignature},
		{"partial signature throws error", vectorHeaders(vectorSignature[:8]), ErrMalformedSignature},
		{"partial signature v1, throws error", vectorHeaders("v1,"), ErrMalformedSignature},
		{"missing id raises error", without(HeaderID), ErrMissingHeaders},
		{"missing timestamp raises error", without(HeaderTimestamp), ErrMissingHeaders},
		{"missing signature raises error", without(HeaderSignature), ErrMissingHeaders},
		{"invalid timestamp throws error", headers(vectorID, "hello", vectorSignature), ErrMalformedTimestamp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify([]string{vectorSecret}, tt.h, []byte(vectorBody), vectorTime, 0)
			if !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("verification works with and without the whsec_ prefix", func(t *testing.T) {
		for _, secret := range []string{vectorSecret, strings.TrimPrefix(vectorSecret, SecretPrefix)} {
			if err := Verify([]string{secret}, vectorHeaders(vectorSignature), []byte(vectorBody), vectorTime, 0); err != nil {
				t.Errorf("Verify = %v", err)
			}
		}
	})
}

// TestVerifyIgnoresEntriesItCannotUse: the official Standard Webhooks and
// Svix libraries try each space-separated entry and skip those that are
// malformed, of another version or of an unknown scheme; a message
// verifies when one entry does, wherever it stands.
func TestVerifyIgnoresEntriesItCannotUse(t *testing.T) {
	others := map[string]string{
		"v1 not base64":          "v1,notbase64!!",
		"v1 too short":           "v1,AAAA",
		"v1 empty":               "v1,",
		"v2 entry":               "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
		"v1a (ed25519) entry":    "v1a,bm90IGFuIGVkMjU1MTkgc2lnbmF0dXJl",
		"unknown scheme":         "hmac-sha512,abc",
		"no comma":               "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
		"empty version":          ",abc",
		"two commas":             "v1,abc,def",
		"a wrong v1 of 32 bytes": vectorWrong,
	}
	for name, other := range others {
		t.Run(name, func(t *testing.T) {
			for _, header := range []string{other + " " + vectorSignature, vectorSignature + " " + other} {
				if err := Verify([]string{vectorSecret}, vectorHeaders(header), []byte(vectorBody), vectorTime, 0); err != nil {
					t.Errorf("Verify(%q) = %v, want nil", header, err)
				}
			}
			err := Verify([]string{vectorSecret}, vectorHeaders(other), []byte(vectorBody), vectorTime, 0)
			if err == nil {
				t.Errorf("Verify(%q) alone = nil, want an error", other)
			}
		})
	}
}

func TestSignatureHeaderLimits(t *testing.T) {
	repeat := func(entry string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = entry
		}
		return out
	}
	withGoodLast := func(n int) string {
		return strings.Join(append(repeat(vectorWrong, n-1), vectorSignature), " ")
	}
	padded := func(size int) string { // the good entry, padded with spaces to size bytes
		return vectorSignature + strings.Repeat(" ", size-len(vectorSignature))
	}
	tests := []struct {
		name   string
		header string
		want   error
	}{
		{"20 entries", withGoodLast(MaxSignatureEntries), nil},
		{"21 entries", withGoodLast(MaxSignatureEntries + 1), ErrSignatureHeaderTooLarge},
		{"21 malformed entries", strings.Join(repeat("x", MaxSignatureEntries+1), " "), ErrSignatureHeaderTooLarge},
		{"8 KB", padded(MaxSignatureHeaderBytes), nil},
		{"8 KB and one byte", padded(MaxSignatureHeaderBytes + 1), ErrSignatureHeaderTooLarge},
		{"9 KB in one entry", "v1," + strings.Repeat("A", 9<<10), ErrSignatureHeaderTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify([]string{vectorSecret}, vectorHeaders(tt.header), []byte(vectorBody), vectorTime, 0)
			if !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
			if _, err := ParseSignatureHeader(tt.header); tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("ParseSignatureHeader = %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("checked before the timestamp", func(t *testing.T) {
		err := Verify([]string{vectorSecret}, vectorHeaders(withGoodLast(MaxSignatureEntries+1)), []byte(vectorBody), vectorTime.Add(time.Hour), 0)
		if !errors.Is(err, ErrSignatureHeaderTooLarge) {
			t.Errorf("Verify = %v, want ErrSignatureHeaderTooLarge", err)
		}
	})
}

func svixHeaders(id, ts, sig string) http.Header {
	h := http.Header{}
	h.Set(HeaderSvixID, id)
	h.Set(HeaderSvixTimestamp, ts)
	h.Set(HeaderSvixSignature, sig)
	return h
}

// TestVerifySvixHeaderNames: the svix-* names are aliases of the webhook-*
// ones, each read when its webhook-* header is absent; where both are
// present the webhook-* one is used.
func TestVerifySvixHeaderNames(t *testing.T) {
	both := func(webhook, svix http.Header) http.Header {
		h := webhook.Clone()
		for k, v := range svix {
			h[k] = v
		}
		return h
	}
	otherTS := "1614265331" // within tolerance, but not what was signed
	tests := []struct {
		name string
		h    http.Header
		want error
	}{
		{"svix-* only", svixHeaders(vectorID, "1614265330", vectorSignature), nil},
		{"svix-* only, wrong signature", svixHeaders(vectorID, "1614265330", vectorWrong), ErrInvalidSignature},
		{"both sets, equal", both(vectorHeaders(vectorSignature), svixHeaders(vectorID, "1614265330", vectorSignature)), nil},
		{"both sets, webhook-* right", both(vectorHeaders(vectorSignature), svixHeaders("msg_other", otherTS, vectorWrong)), nil},
		{"both sets, only svix-* right: webhook-* wins", both(vectorHeaders(vectorWrong), svixHeaders(vectorID, "1614265330", vectorSignature)), ErrInvalidSignature},
		{"both ids, the svix-id signed: webhook-id wins", both(headers("msg_other", "1614265330", vectorSignature), svixHeaders(vectorID, "", "")), ErrInvalidSignature},
		{"mixed names, one of each header", func() http.Header {
			h := http.Header{}
			h.Set(HeaderID, vectorID)
			h.Set(HeaderSvixTimestamp, "1614265330")
			h.Set(HeaderSvixSignature, vectorSignature)
			return h
		}(), nil},
		{"svix-* incomplete", svixHeaders(vectorID, "1614265330", ""), ErrMissingHeaders},
		{"empty webhook-id falls back to svix-id", both(headers(" ", "1614265330", vectorSignature), svixHeaders(vectorID, "", "")), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify([]string{vectorSecret}, tt.h, []byte(vectorBody), vectorTime, 0)
			if !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("the missing-headers error names both", func(t *testing.T) {
		err := Verify([]string{vectorSecret}, svixHeaders(vectorID, "1614265330", ""), []byte(vectorBody), vectorTime, 0)
		if err == nil || !strings.Contains(err.Error(), "webhook-signature (or svix-signature)") {
			t.Errorf("Verify = %v, want it to name webhook-signature and svix-signature", err)
		}
	})
}

func TestReadHeaders(t *testing.T) {
	h := svixHeaders("svix_id", "2", "svix_sig")
	h.Set(HeaderTimestamp, "1")
	got := ReadHeaders(h)
	want := Headers{ID: "svix_id", Timestamp: "1", Signature: "svix_sig"}
	if got != want {
		t.Errorf("ReadHeaders = %+v, want %+v", got, want)
	}
}
