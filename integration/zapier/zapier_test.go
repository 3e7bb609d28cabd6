package zapier_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/catchhook"
	"github.com/hookbridge/hookbridge/integration/zapier"
	"github.com/hookbridge/hookbridge/integration/zapier/zapiertest"
)

func TestTemplatesOnTheFake(t *testing.T) {
	fake := zapiertest.New(t)
	catchhook.CheckTemplates(t, zapier.New(), fake, zapiertest.Credentials(fake))
}

func TestInfo(t *testing.T) {
	info := zapier.New().Info()
	if info.Group != hookbridge.GroupAutomation || info.URLCredential != zapier.FieldWebhookURL ||
		info.Docs != "docs/integrations/zapier.md" || info.RateLimit == nil || info.RateLimit.Requests != 30 {
		t.Errorf("info = %+v", info)
	}
	if len(info.Templates) != 4 {
		t.Errorf("%d templates", len(info.Templates))
	}
}

func TestCatchHookURLIsChecked(t *testing.T) {
	info := zapier.New().Info()
	bad := map[string]string{
		"http://hooks.zapier.com/hooks/catch/1/abc/":             "https",
		"https://hooks.zapier.com.evil.example/hooks/catch/1/a/": "not one of",
		"https://example.com/hooks/catch/1/abc/":                 "not one of",
		"https://hooks.zapier.com/hooks/standard/1/abc/":         "/hooks/catch/",
	}
	for url, want := range bad {
		_, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{zapier.FieldWebhookURL: url})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", url, err, want)
		}
	}
	if _, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{zapier.FieldWebhookURL: "https://hooks.zapier.com/hooks/catch/123456/abcdef/"}); err != nil {
		t.Errorf("a Catch Hook URL is refused: %v", err)
	}
}

func TestValidatorRules(t *testing.T) {
	in := zapier.New()
	flat := []byte(`{"event_type":"payment.succeeded"}`)
	cases := []struct {
		name string
		req  hookbridge.OutboundRequest
		want string
		warn bool
	}{
		{"not a catch hook path", hookbridge.OutboundRequest{Method: "POST", URL: "https://hooks.zapier.com/hooks/standard/1/a/", Body: flat}, "url", false},
		{"legacy hook", hookbridge.OutboundRequest{Method: "POST", URL: "https://hooks.zapier.com/hooks/catch/abc123/", Body: flat}, "url", true},
		{"over 10 MB", hookbridge.OutboundRequest{Method: "POST", URL: "https://hooks.zapier.com/hooks/catch/1/a/",
			Body: []byte(`{"event_type":"x","pad":"` + strings.Repeat("a", zapier.MaxBodyBytes) + `"}`)}, "body", false},
		{"DELETE", hookbridge.OutboundRequest{Method: "DELETE", URL: "https://hooks.zapier.com/hooks/catch/1/a/", Body: flat}, "method", false},
		{"nested", hookbridge.OutboundRequest{Method: "POST", URL: "https://hooks.zapier.com/hooks/catch/1/a/",
			Body: []byte(`{"event_type":"x","data":{"a":1}}`)}, "data", true},
	}
	for _, c := range cases {
		ps := in.Validate(&c.req, time.Now())
		if !has(ps, c.want, c.warn) {
			t.Errorf("%s: want a problem on %s (warning %v), got %+v", c.name, c.want, c.warn, ps)
		}
	}
	ok := hookbridge.OutboundRequest{Method: "POST", URL: "https://hooks.zapier.com/hooks/catch/1/a/", Body: flat}
	if ps := in.Validate(&ok, time.Now()); len(ps) != 0 {
		t.Errorf("a flat event on a catch hook gets %+v", ps)
	}
}

func has(ps []hookbridge.Problem, field string, warning bool) bool {
	for _, p := range ps {
		if p.Field == field && p.Warning == warning && p.Fix != "" {
			return true
		}
	}
	return false
}

func TestAnswers(t *testing.T) {
	in := zapier.New()
	fake := zapiertest.New(t)
	creds := zapiertest.Credentials(fake)
	url := creds[zapier.FieldWebhookURL]

	if _, j := catchhook.Send(t, in, fake, creds, url, "k1"); j.Outcome != "accepted" {
		t.Fatalf("a live hook: %+v", j)
	}
	fake.RateLimitNext(1, 2*time.Second)
	if _, j := catchhook.Send(t, in, fake, creds, url, "k2"); j.Outcome != "retried" || !strings.Contains(j.Reason, "rate limit") {
		t.Errorf("429: %+v", j)
	}
	if _, j := catchhook.Send(t, in, fake, creds, "https://hooks.zapier.com/hooks/catch/9/nohook/", "k3"); j.Outcome != "failed" || !strings.Contains(j.Reason, "no Catch Hook") {
		t.Errorf("unknown hook: %+v", j)
	}
	fake.TurnOff(url)
	if _, j := catchhook.Send(t, in, fake, creds, url, "k4"); j.Outcome != "failed" || !strings.Contains(j.Reason, "turned off") || !strings.Contains(j.Reason, "Catch Hook trigger") {
		t.Errorf("a Zap turned off: %+v", j)
	}
}

func TestARetryCarriesTheSameDeliveryID(t *testing.T) {
	in := zapier.New()
	fake := zapiertest.New(t)
	creds := zapiertest.Credentials(fake)
	url := creds[zapier.FieldWebhookURL]
	fake.FailNext(1, 503)
	if _, j := catchhook.Send(t, in, fake, creds, url, "idem_42"); j.Outcome != "retried" {
		t.Fatalf("503: %+v", j)
	}
	catchhook.Send(t, in, fake, creds, url, "idem_42")
	reqs := fake.Requests()
	var ids []string
	for _, r := range reqs {
		var body map[string]any
		_ = json.Unmarshal(r.Body, &body)
		ids = append(ids, body["delivery_id"].(string))
	}
	if len(ids) != 2 || ids[0] != "idem_42" || ids[1] != ids[0] {
		t.Errorf("delivery ids = %v", ids)
	}
}

func TestCredentialsStayOnZapier(t *testing.T) {
	in := zapier.New()
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://example.com/x", Body: []byte(`{"a":1}`)}
	if err := in.Prepare(req, hookbridge.Credentials{zapier.FieldWebhookURL: "https://hooks.zapier.com/hooks/catch/1/a/"}, hookbridge.SendContext{IdempotencyKey: "k"}); err != nil {
		t.Fatal(err)
	}
	if string(req.Body) != `{"a":1}` {
		t.Errorf("a request elsewhere was changed: %s", req.Body)
	}
	if ps := in.Validate(req, time.Now()); len(ps) != 1 || !ps[0].Warning {
		t.Errorf("a request elsewhere: %+v", ps)
	}
}
