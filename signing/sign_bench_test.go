package signing_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/signing"
)

func benchBody(b *testing.B) []byte {
	b.Helper()
	sample, ok := catalog.Lookup("payment.succeeded")
	if !ok {
		b.Fatal("no payment.succeeded sample")
	}
	return sample.Sample
}

func benchSecret(b *testing.B) string {
	b.Helper()
	secret, err := signing.GenerateSecret()
	if err != nil {
		b.Fatal(err)
	}
	return secret
}

// BenchmarkSign signs a payment event of about 1.5 KB.
func BenchmarkSign(b *testing.B) {
	secret, body := benchSecret(b), benchBody(b)
	now := time.Now()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := signing.Sign(secret, "msg_2IjeQm4hqU6RA4Z4kwDee", now, body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify verifies a signed payment event against two secrets (a
// source during rotation), the matching one last: the most work a valid
// request costs.
func BenchmarkVerify(b *testing.B) {
	old, current, body := benchSecret(b), benchSecret(b), benchBody(b)
	now := time.Now()
	sig, err := signing.Sign(current, "msg_2IjeQm4hqU6RA4Z4kwDee", now, body)
	if err != nil {
		b.Fatal(err)
	}
	h := http.Header{}
	h.Set("webhook-id", "msg_2IjeQm4hqU6RA4Z4kwDee")
	h.Set("webhook-timestamp", signing.FormatTimestamp(now))
	h.Set("webhook-signature", sig)
	secrets := []string{old, current}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := signing.Verify(secrets, h, body, now, 5*time.Minute); err != nil {
			b.Fatal(err)
		}
	}
}
