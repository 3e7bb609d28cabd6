package resend_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
	"github.com/hookbridge/hookbridge/integration/resend"
	"github.com/hookbridge/hookbridge/integration/resend/resendtest"
)

func TestTemplatesOnFake(t *testing.T) {
	fake := resendtest.New(t)
	integ := resend.New()
	sent := kittest.Templates(t, integ, fake.Credentials(), fake.Client())
	if len(sent) == 0 {
		t.Fatal("no template sent anything")
	}
	if got := len(fake.Sent()); got != len(sent) {
		t.Errorf("the fake sent %d emails for %d requests", got, len(sent))
	}
	for _, s := range sent {
		if s.Request.Header("Idempotency-Key") == "" {
			t.Errorf("%s on %s: no Idempotency-Key", s.Template, s.EventType)
		}
		kittest.SecretsMasked(t, integ, fake.Credentials(), s.Request)
	}
}

// The emails are plain (subject, to, html) and amounts are in the
// currency's own units.
func TestTemplatesWriteCurrencyCorrectAmounts(t *testing.T) {
	fake := resendtest.New(t)
	kittest.Templates(t, resend.New(), fake.Credentials(), fake.Client())
	want := map[string]string{
		"Your receipt from Example Inc.: USD 32.65": "USD 32.65",
		"Refund of USD 15.00 issued":                "USD 15.00",
	}
	found := 0
	for _, e := range fake.Sent() {
		if amount, ok := want[e.Subject]; ok {
			found++
			if !strings.Contains(e.HTML, amount) || !strings.Contains(e.Text, amount) {
				t.Errorf("%q: the body does not show %s", e.Subject, amount)
			}
		}
		if strings.HasPrefix(e.Subject, "[Dispute opened]") && !strings.Contains(e.Subject, "JPY 4980") {
			t.Errorf("dispute alert %q: want JPY 4980 (no decimals)", e.Subject)
		}
		if strings.HasPrefix(e.Subject, "[Dispute") && (len(e.To) != 1 || e.To[0] != "payments-team@example.com") {
			t.Errorf("dispute alert goes to %v, want the team", e.To)
		}
		if e.HTML == "" || len(e.To) == 0 {
			t.Errorf("%q: no html or no recipient", e.Subject)
		}
	}
	if found != len(want) {
		t.Errorf("found %d of the %d expected emails", found, len(want))
	}
}

func TestInfo(t *testing.T) {
	info := resend.New().Info()
	if info.Group != hookbridge.GroupEmail || info.RateLimit == nil || info.RateLimit.Requests != 2 {
		t.Errorf("info = %+v", info)
	}
	if _, err := os.Stat(filepath.Join("..", "..", info.Docs)); err != nil {
		t.Errorf("docs page: %v", err)
	}
}

func TestAPIKeyIsChecked(t *testing.T) {
	info := resend.New().Info()
	for _, bad := range []string{"sk_live_abc", "re_abc def"} {
		if _, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{"api_key": bad}); err == nil {
			t.Errorf("api key %q accepted", bad)
		}
	}
	if _, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{"api_key": resendtest.APIKey}); err != nil {
		t.Errorf("good key refused: %v", err)
	}
}

// The key goes only to Resend's host, and is masked in the record.
func TestCredentialsStayOnResend(t *testing.T) {
	integ := resend.New()
	creds := hookbridge.Credentials{"api_key": resendtest.APIKey}
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://attacker.example/emails", Body: []byte(`{}`)}
	if err := integ.Prepare(req, creds, hookbridge.SendContext{IdempotencyKey: "k"}); err != nil {
		t.Fatal(err)
	}
	if req.Header("Authorization") != "" || req.Header("Idempotency-Key") != "" {
		t.Errorf("a foreign host got headers: %v", req.Headers)
	}
	req = &hookbridge.OutboundRequest{Method: "POST", URL: resend.DefaultURL, Body: []byte(`{}`)}
	if err := integ.Prepare(req, creds, hookbridge.SendContext{IdempotencyKey: "k"}); err != nil {
		t.Fatal(err)
	}
	if req.Header("Authorization") != "Bearer "+resendtest.APIKey {
		t.Errorf("Authorization = %q", req.Header("Authorization"))
	}
	kittest.SecretsMasked(t, integ, creds, req)
}
