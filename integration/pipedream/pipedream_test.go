package pipedream_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/catchhook"
	"github.com/hookbridge/hookbridge/integration/pipedream"
	"github.com/hookbridge/hookbridge/integration/pipedream/pipedreamtest"
)

func TestTemplatesOnTheFake(t *testing.T) {
	fake := pipedreamtest.New(t)
	catchhook.CheckTemplates(t, pipedream.New(), fake, pipedreamtest.Credentials(fake))
}

func TestInfo(t *testing.T) {
	info := pipedream.New().Info()
	if info.Group != hookbridge.GroupAutomation || info.URLCredential != pipedream.FieldWebhookURL ||
		info.Docs != "docs/integrations/pipedream.md" || info.RateLimit == nil || info.RateLimit.Requests != 10 {
		t.Errorf("info = %+v", info)
	}
}

func TestEndpointURLIsChecked(t *testing.T) {
	info := pipedream.New().Info()
	for url, want := range map[string]string{
		"http://eo1.m.pipedream.net":            "https",
		"https://m.pipedream.net":               "not one of",
		"https://eo1.pipedream.net":             "not one of",
		"https://eo1.m.pipedream.net.evil.io/x": "not one of",
		"https://user:pw@eo1.m.pipedream.net/":  "user name",
	} {
		_, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{pipedream.FieldWebhookURL: url})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", url, err, want)
		}
	}
	if _, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{pipedream.FieldWebhookURL: "https://eo4k7x2m9qw5t3b.m.pipedream.net"}); err != nil {
		t.Errorf("an endpoint URL is refused: %v", err)
	}
}

func TestValidatorRules(t *testing.T) {
	in := pipedream.New()
	url := "https://eo1.m.pipedream.net"
	big := hookbridge.OutboundRequest{Method: "POST", URL: url,
		Body: []byte(`{"event_type":"x","pad":"` + strings.Repeat("a", pipedream.MaxBodyBytes) + `"}`)}
	if ps := in.Validate(&big, time.Now()); !has(ps, "body", false) {
		t.Errorf("over 512 KB: %+v", ps)
	}
	nested := hookbridge.OutboundRequest{Method: "POST", URL: url, Body: []byte(`{"event_type":"x","data":{"a":1}}`)}
	if ps := in.Validate(&nested, time.Now()); !has(ps, "data", true) {
		t.Errorf("nested: %+v", ps)
	}
	ok := hookbridge.OutboundRequest{Method: "POST", URL: url, Body: []byte(`{"event_type":"x"}`)}
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
	in := pipedream.New()
	fake := pipedreamtest.New(t)
	creds := pipedreamtest.Credentials(fake)
	url := creds[pipedream.FieldWebhookURL]

	if _, j := catchhook.Send(t, in, fake, creds, url, "k1"); j.Outcome != "accepted" {
		t.Fatalf("a live endpoint: %+v", j)
	}
	fake.RateLimitNext(1, time.Second)
	if _, j := catchhook.Send(t, in, fake, creds, url, "k2"); j.Outcome != "retried" || !strings.Contains(j.Reason, "rate limit") {
		t.Errorf("429: %+v", j)
	}
	fake.TurnOff(url)
	if _, j := catchhook.Send(t, in, fake, creds, url, "k3"); j.Outcome != "failed" || !strings.Contains(j.Reason, "was deleted") {
		t.Errorf("deleted source: %+v", j)
	}
	if r := in.(hookbridge.AnswerReader).ReadAnswer(&hookbridge.OutboundRequest{URL: url}, hookbridge.Answer{Status: 413}); r.Verdict != hookbridge.AnswerFailed || r.Fix == "" {
		t.Errorf("413: %+v", r)
	}
}

func TestTheWholeEndpointURLIsMasked(t *testing.T) {
	in := pipedream.New()
	fake := pipedreamtest.New(t)
	creds := pipedreamtest.Credentials(fake)
	req, _ := catchhook.Send(t, in, fake, creds, creds[pipedream.FieldWebhookURL], "k")
	rec := req.Record(hookbridge.SecretValues(in.Info(), creds))
	if strings.Contains(rec.URL, "eo4k7x2m9qw5t3b") {
		t.Errorf("the endpoint id shows: %s", rec.URL)
	}
}
