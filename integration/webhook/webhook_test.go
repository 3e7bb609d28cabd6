package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/signing"
)

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

var sc = hookbridge.SendContext{
	IdempotencyKey: hookbridge.IdempotencyKey("msg_1", "ep_1", time.Date(2025, 8, 4, 5, 30, 45, 0, time.UTC)),
	MessageID:      "msg_1",
	Now:            time.Date(2025, 8, 4, 5, 31, 0, 0, time.UTC),
}

func TestPrepareSignsTheExactBody(t *testing.T) {
	body := []byte(`{"type": "payment.succeeded",  "data": {"total_amount": 2999}}`)
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://example.com/hooks", Headers: map[string]string{"X-Tenant": "a"}, Body: body}
	if err := New().Prepare(req, hookbridge.Credentials{FieldSigningSecret: secret}, sc); err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	for k, v := range req.Headers {
		h.Set(k, v)
	}
	if got := h.Get("webhook-id"); got != sc.IdempotencyKey {
		t.Errorf("webhook-id = %s, want the idempotency key %s", got, sc.IdempotencyKey)
	}
	if got := h.Get("webhook-timestamp"); got != "1754285460" {
		t.Errorf("webhook-timestamp = %s, want 1754285460", got)
	}
	if h.Get("Content-Type") != "application/json" || h.Get("X-Tenant") != "a" {
		t.Errorf("headers = %v", req.Headers)
	}
	if err := signing.Verify([]string{secret}, h, body, sc.Now, 0); err != nil {
		t.Errorf("the receiver cannot verify the signature: %v", err)
	}
	if err := signing.Verify([]string{secret}, h, []byte(`{"type":"payment.succeeded","data":{"total_amount":2999}}`), sc.Now, 0); !errors.Is(err, signing.ErrInvalidSignature) {
		t.Errorf("re-serialised body verifies: %v", err)
	}
}

// TestRotatedSecretSignsUntilItExpires: after a rotation, requests carry
// a signature with the new secret and, for the grace period, one with the
// previous secret, so a receiver that still verifies with the old one
// keeps accepting them; after it, only the new one signs.
func TestRotatedSecretSignsUntilItExpires(t *testing.T) {
	const newSecret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
	creds, err := hookbridge.Rotate(New().Info(), hookbridge.Credentials{FieldSigningSecret: secret}, FieldSigningSecret, newSecret, sc.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hookbridge.CheckCredentials(New().Info(), creds); err != nil {
		t.Fatalf("rotated credentials are not valid: %v", err)
	}
	body := []byte(`{"type":"payment.succeeded"}`)
	signedAt := func(now time.Time) http.Header {
		t.Helper()
		req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://example.com/hooks", Body: body}
		at := sc
		at.Now = now
		if err := New().Prepare(req, creds, at); err != nil {
			t.Fatal(err)
		}
		h := http.Header{}
		for k, v := range req.Headers {
			h.Set(k, v)
		}
		return h
	}
	during := sc.Now.Add(hookbridge.RotationGrace - time.Minute)
	h := signedAt(during)
	if n := len(strings.Fields(h.Get("webhook-signature"))); n != 2 {
		t.Fatalf("%d signatures during the grace period, want 2: %s", n, h.Get("webhook-signature"))
	}
	for _, s := range []string{secret, newSecret} {
		if err := signing.Verify([]string{s}, h, body, during, 0); err != nil {
			t.Errorf("during the grace period, %s… does not verify: %v", s[:10], err)
		}
	}
	after := sc.Now.Add(hookbridge.RotationGrace + time.Minute)
	h = signedAt(after)
	if err := signing.Verify([]string{secret}, h, body, after, 0); !errors.Is(err, signing.ErrInvalidSignature) {
		t.Errorf("after the grace period the old secret still verifies: %v", err)
	}
	if err := signing.Verify([]string{newSecret}, h, body, after, 0); err != nil {
		t.Errorf("after the grace period the new secret does not verify: %v", err)
	}
}

func TestPrepareReplacesHandlerSetSignatureHeaders(t *testing.T) {
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://example.com/", Body: []byte(`{}`), Headers: map[string]string{
		"Webhook-Id": "forged", "WEBHOOK-SIGNATURE": "v1,forged", "Content-Type": "application/cloudevents+json",
	}}
	if err := New().Prepare(req, hookbridge.Credentials{FieldSigningSecret: secret}, sc); err != nil {
		t.Fatal(err)
	}
	if len(req.Headers) != 4 || req.Header("webhook-id") != sc.IdempotencyKey || strings.Contains(req.Header("webhook-signature"), "forged") {
		t.Errorf("headers = %v", req.Headers)
	}
	if req.Header("Content-Type") != "application/cloudevents+json" {
		t.Errorf("the handler's content type was replaced: %s", req.Header("Content-Type"))
	}
}

func TestPrepareWithoutSecret(t *testing.T) {
	req := &hookbridge.OutboundRequest{URL: "https://example.com/", Body: []byte(`{}`)}
	if err := New().Prepare(req, nil, sc); err != nil {
		t.Fatal(err)
	}
	if req.Method != "POST" || req.Header("webhook-id") == "" || req.Header("webhook-signature") != "" {
		t.Errorf("got %+v", req)
	}
}

func TestPrepareErrors(t *testing.T) {
	req := &hookbridge.OutboundRequest{URL: "https://example.com/", Body: []byte(`{}`)}
	if err := New().Prepare(req, hookbridge.Credentials{FieldSigningSecret: "whsec_short"}, sc); err == nil || strings.Contains(err.Error(), "whsec_short") {
		t.Errorf("bad secret: err = %v", err)
	}
	if err := New().Prepare(req, nil, hookbridge.SendContext{Now: sc.Now}); err == nil {
		t.Error("no error without an idempotency key")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		method, url string
		want        []string
	}{
		{"POST", "https://example.com/hooks", nil},
		{"PUT", "http://10.0.0.5:8080/in", nil},
		{"PATCH", "https://example.com/", nil},
		{"GET", "https://example.com/", []string{"method"}},
		{"DELETE", "https://example.com/", []string{"method"}},
		{"POST", "/relative/path", []string{"url"}},
		{"POST", "example.com/hooks", []string{"url"}},
		{"POST", "ftp://example.com/in", []string{"url"}},
		{"POST", "https://", []string{"url"}},
		{"", "", []string{"url", "method"}},
	}
	for _, tt := range tests {
		ps := New().Validate(&hookbridge.OutboundRequest{Method: tt.method, URL: tt.url}, sc.Now)
		var got []string
		for _, p := range ps {
			got = append(got, p.Field)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s %s: problems on %v, want %v", tt.method, tt.url, got, tt.want)
		}
	}
}

func TestCheckCredentials(t *testing.T) {
	info := New().Info()
	generated, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := signing.ParseSecret(generated[FieldSigningSecret]); err != nil || !strings.HasPrefix(generated[FieldSigningSecret], "whsec_") {
		t.Errorf("generated secret unusable: %v", err)
	}
	again, _ := hookbridge.CheckCredentials(info, hookbridge.Credentials{})
	if again[FieldSigningSecret] == generated[FieldSigningSecret] {
		t.Error("two endpoints got the same generated secret")
	}
	given, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{FieldSigningSecret: secret})
	if err != nil || given[FieldSigningSecret] != secret {
		t.Errorf("given secret: %v, %v", given, err)
	}
	_, err = hookbridge.CheckCredentials(info, hookbridge.Credentials{FieldSigningSecret: "hunter2hunter2"})
	var verr *hookbridge.ValidationError
	if !errors.As(err, &verr) || verr.Fields[0].Field != "credentials.signing_secret" || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("bad secret: %v", err)
	}
	if got := hookbridge.SecretValues(info, given); len(got) != 1 || got[0] != secret {
		t.Errorf("SecretValues = %v", got)
	}
}

func TestInfo(t *testing.T) {
	info := New().Info()
	if info.ID != "webhook" || info.RequiresTransformation || len(info.Hosts) != 0 || !strings.HasPrefix(info.Logo, "<svg") {
		t.Errorf("info = %+v", info)
	}
	if len(info.Templates) != 1 || !strings.Contains(info.Templates[0].Code, "function handler(") || info.Templates[0].FromDocs {
		t.Errorf("templates = %+v", info.Templates)
	}
}

func TestAddHeaderTemplate(t *testing.T) {
	res, err := templatetest.Run(New().Info().Templates[0].Code, "payment.succeeded", templatetest.Sample("payment.succeeded"), "https://example.com/hooks")
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed || res.Request.Headers["X-Event-Type"] != "payment.succeeded" || string(res.Request.Body) != string(compact(t, templatetest.Sample("payment.succeeded"))) {
		t.Errorf("result = %+v", res)
	}
}

func compact(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestA401FromTheReceiverNamesTheSigningSecretAndSecretHeaders(t *testing.T) {
	in := New()
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://example.com/hooks"}
	for _, status := range []int{401, 403} {
		r := hookbridge.ReadAnswer(in, req, hookbridge.Answer{Status: status})
		if !strings.Contains(r.Fix, "signing secret") || !strings.Contains(r.Fix, "secret headers") {
			t.Errorf("%d read as %+v, want the signing secret and the secret headers named", status, r)
		}
	}
	if r := hookbridge.ReadAnswer(in, req, hookbridge.Answer{Status: 404}); r.Reason != "" {
		t.Errorf("a 404 read as %+v, want nothing added", r)
	}
}
