package hookbridge

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
)

// encodedForms are the ways a request carries a secret: as it is, in
// Basic authorization beside a user name or alone, and in Base64 of
// either alphabet, padded or not.
func encodedForms(secret string) []string {
	forms := []string{secret, url.QueryEscape(secret)}
	for _, plain := range []string{secret, secret + ":", "user:" + secret, "site-1234:" + secret, "ab:" + secret} {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			forms = append(forms, enc.EncodeToString([]byte(plain)))
		}
	}
	return forms
}

func TestMaskerHidesEveryEncodedForm(t *testing.T) {
	for _, secret := range []string{"sk_live_0123456789abcdef", "cio-key/with+odd=chars?", "wk1234"} {
		m := NewMasker("other-secret-value", secret)
		for _, form := range encodedForms(secret) {
			for _, text := range []string{
				form,
				`{"headers":{"Authorization":"Basic ` + form + `"},"n":1}`,
				"echo: Bearer " + form + "\n",
			} {
				got := m.Mask(text)
				for _, f := range encodedForms(secret) {
					if strings.Contains(got, f) {
						t.Errorf("secret %q: %q masked to %q still holds %q", secret, text, got, f)
					}
				}
			}
		}
	}
}

func TestMaskerLeavesOtherTextAlone(t *testing.T) {
	m := NewMasker("sk_live_0123456789abcdef")
	text := `{"event":"payment.succeeded","id":"evt_01J9ZK4XQ7","token":"dXNlcjpwYXNzd29yZA==","url":"https://api.example.com/v1/track"}`
	if got := m.Mask(text); got != text {
		t.Fatalf("masked text that holds no secret:\n%s\n%s", text, got)
	}
	if got := NewMasker().Mask(text); got != text {
		t.Fatal("a Masker without secrets changed the text")
	}
	var none *Masker
	if got := none.Mask(text); got != text {
		t.Fatal("a nil Masker changed the text")
	}
}

func TestCredentialHeaderNames(t *testing.T) {
	for name, want := range map[string]bool{
		"Authorization": true, "proxy-authorization": true, "Cookie": true, "X-Api-Key": true,
		"X-Auth-Token": true, "X-Client-Secret": true, "X-Signing-Key": true,
		"Idempotency-Key": false, "Content-Type": false, "X-Request-Id": false, "webhook-id": false,
	} {
		if got := IsCredentialHeader(name); got != want {
			t.Errorf("IsCredentialHeader(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestEndpointHeadersSplitAndJoin(t *testing.T) {
	e := &Endpoint{
		Headers:       map[string]string{"Authorization": "Bearer t0ken-value", "X-Tenant": "acme", "X-Custom": "hush-value"},
		SecretHeaders: []string{"x-custom"},
	}
	plain, secret := e.SplitHeaders()
	if len(plain) != 1 || plain["X-Tenant"] != "acme" || len(secret) != 2 || secret["X-Custom"] != "hush-value" {
		t.Fatalf("split: %v / %v", plain, secret)
	}
	var back Endpoint
	back.JoinHeaders(plain, secret)
	if len(back.Headers) != 3 || len(back.SecretHeaders) != 1 || back.SecretHeaders[0] != "X-Custom" {
		t.Fatalf("joined: %v, secret %v", back.Headers, back.SecretHeaders)
	}
	values := strings.Join(e.SecretHeaderValues(), "|")
	if !strings.Contains(values, "t0ken-value") || !strings.Contains(values, "hush-value") || strings.Contains(values, "acme") {
		t.Fatalf("secret header values: %s", values)
	}
}

func BenchmarkMaskerRequestBody(b *testing.B) {
	body := `{"userId":"cus_01J9ZK4XQ7ABCDEF","event":"Payment Succeeded","messageId":"msg_01M98HF5NV41D0JVPTKCP8T51Y","properties":{"amount":4999,"currency":"EUR","payment_id":"pay_01J9ZK4XQ7GHJKMN","email":"ada@example.com","description":"Pro plan, monthly"},"context":{"library":{"name":"hookbridge"}},"timestamp":"2025-08-04T05:30:00Z"}`
	secrets := []string{"cio-api-key-0f1e2d3c4b5a6978", "whsec_c2lnbmluZyBzZWNyZXQgb25lIGZvciB0ZXN0"}
	b.ReportAllocs()
	for b.Loop() {
		NewMasker(secrets...).Mask(body)
	}
}

// TestSecretValuesMaskAURLCredentialFromThePathOn: the URL credential's
// token is in its path or query, so that part is masked and its host
// shown; a URL whose path is too short to hold a token is masked whole,
// as is every other secret.
func TestSecretValuesMaskAURLCredentialFromThePathOn(t *testing.T) {
	info := IntegrationInfo{
		Name:          "Chat",
		URLCredential: "webhook_url",
		Credentials: []CredentialField{
			{Name: "webhook_url", Secret: true},
			{Name: "api_key", Secret: true},
			{Name: "channel"},
		},
	}
	tests := []struct {
		name string
		url  string
		want string
	}{
		{"a token in the path", "https://hooks.chat.example/services/T0/B0/abcdefgh", "/services/T0/B0/abcdefgh"},
		{"a token in the query", "https://chat.example/hook?token=abcdefgh", "/hook?token=abcdefgh"},
		{"a port stays with the host", "https://chat.example:8443/hooks/abcdefgh", "/hooks/abcdefgh"},
		{"a path too short for a token", "https://chat.example/ab", "https://chat.example/ab"},
		{"no host", "not a url at all", "not a url at all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			creds := Credentials{"webhook_url": tt.url, "api_key": "key-123456", "channel": "#payments"}
			got := SecretValues(info, creds)
			if len(got) != 2 || got[0] != tt.want || got[1] != "key-123456" {
				t.Fatalf("SecretValues = %q, want [%q key-123456]", got, tt.want)
			}
			req := &OutboundRequest{Method: "POST", URL: tt.url, Body: []byte(`{"channel":"#payments"}`)}
			rec := req.Record(got)
			if strings.Contains(rec.URL, tt.want) {
				t.Errorf("recorded URL %s shows the secret part %s", rec.URL, tt.want)
			}
			if tt.want != tt.url && !strings.Contains(rec.URL, "chat.example") {
				t.Errorf("recorded URL %s hides the host", rec.URL)
			}
			if !strings.Contains(rec.Body, "#payments") {
				t.Errorf("a credential that is not secret was masked: %s", rec.Body)
			}
		})
	}
}
