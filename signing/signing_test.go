package signing

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The test vector of the Standard Webhooks specification's own libraries.
const (
	vectorSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vectorID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vectorTimestamp = 1614265330
	vectorBody      = `{"test": 2432232314}`
	vectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
	vectorWrong     = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
)

var vectorTime = time.Unix(vectorTimestamp, 0)

func headers(id, ts, sig string) http.Header {
	h := http.Header{}
	if id != "" {
		h.Set(HeaderID, id)
	}
	if ts != "" {
		h.Set(HeaderTimestamp, ts)
	}
	if sig != "" {
		h.Set(HeaderSignature, sig)
	}
	return h
}

func vectorHeaders(sig string) http.Header {
	return headers(vectorID, "1614265330", sig)
}

func TestSignMatchesSpecVector(t *testing.T) {
	got, err := Sign(vectorSecret, vectorID, vectorTime, []byte(vectorBody))
	if err != nil {
		t.Fatal(err)
	}
	if got != vectorSignature {
		t.Errorf("Sign = %s, want %s", got, vectorSignature)
	}
}

func TestVerifySpecVector(t *testing.T) {
	tests := []struct {
		name string
		sig  string
		want error
	}{
		{"spec signature", vectorSignature, nil},
		{"wrong signature", vectorWrong, ErrInvalidSignature},
		{"v1 with nothing after the comma", "v1,", ErrMalformedSignature},
		{"wrong then right", vectorWrong + " " + vectorSignature, nil},
		{"other versions skipped", "v2,abc v1a,xyz " + vectorSignature, nil},
		{"only other versions", "v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", ErrInvalidSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify([]string{vectorSecret}, vectorHeaders(tt.sig), []byte(vectorBody), vectorTime, 0)
			if !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifyChecksBodyIDAndTimestamp(t *testing.T) {
	body := []byte(vectorBody)
	cases := map[string]struct {
		h    http.Header
		body []byte
	}{
		"body re-serialised without the space": {vectorHeaders(vectorSignature), []byte(`{"test":2432232314}`)},
		"other message id":                     {headers("msg_other", "1614265330", vectorSignature), body},
		"timestamp one second later":           {headers(vectorID, "1614265331", vectorSignature), body},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			err := Verify([]string{vectorSecret}, c.h, c.body, vectorTime, 0)
			if !errors.Is(err, ErrInvalidSignature) {
				t.Errorf("Verify = %v, want ErrInvalidSignature", err)
			}
		})
	}
}

func TestVerifyDuringRotation(t *testing.T) {
	oldSecret, newSecret := mustSecret(t), mustSecret(t)
	body := []byte(`{"type":"payment.succeeded"}`)
	now := time.Unix(1_700_000_000, 0)

	sigOld, _ := Sign(oldSecret, "msg_1", now, body)
	sigNew, _ := Sign(newSecret, "msg_1", now, body)
	ts := FormatTimestamp(now)

	tests := []struct {
		name    string
		secrets []string
		sig     string
		want    error
	}{
		{"receiver has both, sender signs with old", []string{oldSecret, newSecret}, sigOld, nil},
		{"receiver has both, sender signs with new", []string{oldSecret, newSecret}, sigNew, nil},
		{"sender sends both, receiver has new", []string{newSecret}, sigOld + " " + sigNew, nil},
		{"sender sends both, receiver has old", []string{oldSecret}, sigOld + " " + sigNew, nil},
		{"receiver has only new, sender signs with old", []string{newSecret}, sigOld, ErrInvalidSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.secrets, headers("msg_1", ts, tt.sig), body, now, 0)
			if !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifyToleranceEdges(t *testing.T) {
	tests := []struct {
		name      string
		offset    time.Duration // now minus the message's timestamp
		tolerance time.Duration
		want      error
	}{
		{"same second", 0, 0, nil},
		{"exactly 5 min old", 5 * time.Minute, 0, nil},
		{"5 min 1 s old", 5*time.Minute + time.Second, 0, ErrTimestampTooOld},
		{"exactly 5 min ahead", -5 * time.Minute, 0, nil},
		{"5 min 1 s ahead", -5*time.Minute - time.Second, 0, ErrTimestampTooNew},
		{"custom tolerance, inside", 59 * time.Second, time.Minute, nil},
		{"custom tolerance, outside", 61 * time.Second, time.Minute, ErrTimestampTooOld},
		{"a day old", 24 * time.Hour, 0, ErrTimestampTooOld},
		{"a day old, negative tolerance skips the check", 24 * time.Hour, -1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := vectorTime.Add(tt.offset)
			err := Verify([]string{vectorSecret}, vectorHeaders(vectorSignature), []byte(vectorBody), now, tt.tolerance)
			if !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifyMalformedHeaders(t *testing.T) {
	valid32 := base64.StdEncoding.EncodeToString(make([]byte, 32))
	tests := []struct {
		name string
		h    http.Header
		want error
	}{
		{"no headers", http.Header{}, ErrMissingHeaders},
		{"no id", headers("", "1614265330", vectorSignature), ErrMissingHeaders},
		{"no timestamp", headers(vectorID, "", vectorSignature), ErrMissingHeaders},
		{"no signature", headers(vectorID, "1614265330", ""), ErrMissingHeaders},
		{"blank signature", headers(vectorID, "1614265330", "   "), ErrMissingHeaders},
		{"timestamp with letters", headers(vectorID, "16142653x0", vectorSignature), ErrMalformedTimestamp},
		{"timestamp in milliseconds is far future", headers(vectorID, "1614265330000", vectorSignature), ErrTimestampTooNew},
		{"negative timestamp", headers(vectorID, "-1614265330", vectorSignature), ErrMalformedTimestamp},
		{"RFC 3339 timestamp", headers(vectorID, "2021-02-25T15:02:10Z", vectorSignature), ErrMalformedTimestamp},
		{"signature without version", headers(vectorID, "1614265330", "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="), ErrMalformedSignature},
		{"empty version", headers(vectorID, "1614265330", ","+valid32), ErrMalformedSignature},
		{"v1 not base64", headers(vectorID, "1614265330", "v1,not*base64!"), ErrMalformedSignature},
		{"v1 too short", headers(vectorID, "1614265330", "v1,"+base64.StdEncoding.EncodeToString(make([]byte, 31))), ErrMalformedSignature},
		{"v1 unpadded", headers(vectorID, "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE"), ErrMalformedSignature},
		{"only malformed entries", headers(vectorID, "1614265330", "v1, v1,AAAA nocomma"), ErrMalformedSignature},
		{"good entry then malformed v1", headers(vectorID, "1614265330", vectorSignature+" v1,"), nil},
		{"right signature, extra spaces", headers(vectorID, "1614265330", "  "+vectorSignature+"   v2,x "), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify([]string{vectorSecret}, tt.h, []byte(vectorBody), vectorTime, 0)
			if !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestParseSecret(t *testing.T) {
	key24 := base64.StdEncoding.EncodeToString(make([]byte, 24))
	tests := []struct {
		name    string
		secret  string
		wantLen int
		wantErr bool
	}{
		{"spec vector", vectorSecret, 24, false},
		{"without prefix", strings.TrimPrefix(vectorSecret, SecretPrefix), 24, false},
		{"64 bytes", SecretPrefix + base64.StdEncoding.EncodeToString(make([]byte, 64)), 64, false},
		{"unpadded", SecretPrefix + base64.RawStdEncoding.EncodeToString(make([]byte, 32)), 32, false},
		{"empty", "", 0, true},
		{"prefix only", SecretPrefix, 0, true},
		{"not base64", SecretPrefix + "not base64!!", 0, true},
		{"too short", SecretPrefix + base64.StdEncoding.EncodeToString(make([]byte, 16)), 0, true},
		{"too long", SecretPrefix + base64.StdEncoding.EncodeToString(make([]byte, 65)), 0, true},
		{"surrounding spaces", " " + SecretPrefix + key24 + "\n", 24, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := ParseSecret(tt.secret)
			if tt.wantErr {
				if !errors.Is(err, ErrInvalidSecret) {
					t.Fatalf("ParseSecret = %v, want ErrInvalidSecret", err)
				}
				if tt.secret != "" && tt.secret != SecretPrefix && strings.Contains(err.Error(), tt.secret) {
					t.Errorf("error %q reveals the secret", err)
				}
				return
			}
			if err != nil || len(key) != tt.wantLen {
				t.Errorf("ParseSecret = %d bytes, %v; want %d bytes", len(key), err, tt.wantLen)
			}
		})
	}
}

func TestVerifyRejectsBadSecretConfiguration(t *testing.T) {
	for name, secrets := range map[string][]string{
		"none":              nil,
		"one bad among two": {vectorSecret, "whsec_***"},
	} {
		t.Run(name, func(t *testing.T) {
			err := Verify(secrets, vectorHeaders(vectorSignature), []byte(vectorBody), vectorTime, 0)
			if !errors.Is(err, ErrInvalidSecret) {
				t.Errorf("Verify = %v, want ErrInvalidSecret", err)
			}
		})
	}
}

func TestGenerateSecret(t *testing.T) {
	a, b := mustSecret(t), mustSecret(t)
	if a == b {
		t.Fatal("two generated secrets are equal")
	}
	if !strings.HasPrefix(a, SecretPrefix) {
		t.Errorf("secret %q lacks the %s prefix", masked(a), SecretPrefix)
	}
	key, err := ParseSecret(a)
	if err != nil || len(key) != 32 {
		t.Errorf("generated secret decodes to %d bytes, %v; want 32", len(key), err)
	}
}

func TestSignRejectsInvalidSecret(t *testing.T) {
	if _, err := Sign("whsec_short", "msg", vectorTime, nil); !errors.Is(err, ErrInvalidSecret) {
		t.Errorf("Sign = %v, want ErrInvalidSecret", err)
	}
}

func mustSecret(t testing.TB) string {
	t.Helper()
	s, err := GenerateSecret()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// masked keeps test failure output free of whole secrets.
func masked(s string) string {
	if len(s) < 10 {
		return "****"
	}
	return s[:10] + "****"
}
