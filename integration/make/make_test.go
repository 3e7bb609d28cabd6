package make_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/catchhook"
	"github.com/hookbridge/hookbridge/integration/make"
	"github.com/hookbridge/hookbridge/integration/make/maketest"
)

func TestTemplatesOnTheFake(t *testing.T) {
	fake := maketest.New(t)
	catchhook.CheckTemplates(t, make.New(), fake, maketest.Credentials(fake))
}

func TestInfo(t *testing.T) {
	info := make.New().Info()
	if info.Group != hookbridge.GroupAutomation || info.URLCredential != make.FieldWebhookURL ||
		info.Docs != "docs/integrations/make.md" || info.RateLimit == nil || info.RateLimit.Requests != 30 {
		t.Errorf("info = %+v", info)
	}
}

func TestWebhookURLIsChecked(t *testing.T) {
	info := make.New().Info()
	for url, want := range map[string]string{
		"http://hook.eu1.make.com/abc":        "https",
		"https://hook.eu9.make.com/abc":       "not one of",
		"https://www.make.com/abc":            "not one of",
		"https://hook.eu1.make.com.evil.io/x": "not one of",
	} {
		_, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{make.FieldWebhookURL: url})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", url, err, want)
		}
	}
	for _, host := range make.Hosts {
		if _, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{make.FieldWebhookURL: "https://" + host + "/w8rk2n5tq7x9c3vb6lm4hd1pz0ys8fge"}); err != nil {
			t.Errorf("%s refused: %v", host, err)
		}
	}
}

func TestValidatorRules(t *testing.T) {
	in := make.New()
	flat := []byte(`{"event_type":"payment.succeeded"}`)
	cases := []struct {
		name string
		req  hookbridge.OutboundRequest
		want string
		warn bool
	}{
		{"no token", hookbridge.OutboundRequest{Method: "POST", URL: "https://hook.eu1.make.com/", Body: flat}, "url", false},
		{"over 5 MB", hookbridge.OutboundRequest{Method: "POST", URL: "https://hook.eu1.make.com/tok",
			Body: []byte(`{"event_type":"x","pad":"` + strings.Repeat("a", make.MaxBodyBytes) + `"}`)}, "body", false},
		{"not an object", hookbridge.OutboundRequest{Method: "POST", URL: "https://hook.eu1.make.com/tok", Body: []byte(`"x"`)}, "body", false},
		{"nested", hookbridge.OutboundRequest{Method: "POST", URL: "https://hook.eu1.make.com/tok",
			Body: []byte(`{"event_type":"x","customer":{"a":1}}`)}, "customer", true},
	}
	for _, c := range cases {
		if ps := in.Validate(&c.req, time.Now()); !has(ps, c.want, c.warn) {
			t.Errorf("%s: want a problem on %s (warning %v), got %+v", c.name, c.want, c.warn, ps)
		}
	}
	ok := hookbridge.OutboundRequest{Method: "POST", URL: "https://hook.us2.make.com/tok", Body: flat}
	if ps := in.Validate(&ok, time.Now()); len(ps) != 0 {
		t.Errorf("a flat event gets %+v", ps)
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
	in := make.New()
	fake := maketest.New(t)
	creds := maketest.Credentials(fake)
	url := creds[make.FieldWebhookURL]

	if _, j := catchhook.Send(t, in, fake, creds, url, "k1"); j.Outcome != "accepted" {
		t.Fatalf("a live webhook: %+v", j)
	}
	fake.RateLimitNext(1, time.Second)
	if _, j := catchhook.Send(t, in, fake, creds, url, "k2"); j.Outcome != "retried" || !strings.Contains(j.Reason, "rate limit") {
		t.Errorf("429: %+v", j)
	}
	fake.FillQueue(url)
	if _, j := catchhook.Send(t, in, fake, creds, url, "k3"); j.Outcome != "retried" || !strings.Contains(j.Reason, "queue is full") {
		t.Errorf("queue full: %+v", j)
	}
	fake.TurnOff(url)
	if _, j := catchhook.Send(t, in, fake, creds, url, "k4"); j.Outcome != "failed" || !strings.Contains(j.Reason, "no scenario listening") {
		t.Errorf("no scenario: %+v", j)
	}
	if r := in.(hookbridge.AnswerReader).ReadAnswer(&hookbridge.OutboundRequest{URL: url}, hookbridge.Answer{Status: 413}); r.Verdict != hookbridge.AnswerFailed || r.Fix == "" {
		t.Errorf("413: %+v", r)
	}
}
