package n8n_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/catchhook"
	"github.com/hookbridge/hookbridge/integration/n8n"
	"github.com/hookbridge/hookbridge/integration/n8n/n8ntest"
)

func TestTemplatesOnTheFake(t *testing.T) {
	fake := n8ntest.New(t)
	catchhook.CheckTemplates(t, n8n.New(), fake, n8ntest.Credentials(fake))
}

func TestInfo(t *testing.T) {
	info := n8n.New().Info()
	if info.Group != hookbridge.GroupAutomation || info.URLCredential != n8n.FieldWebhookURL ||
		info.Docs != "docs/integrations/n8n.md" || info.RateLimit != nil {
		t.Errorf("info = %+v", info)
	}
}

func TestAnyHTTPSHostIsTaken(t *testing.T) {
	info := n8n.New().Info()
	for _, url := range []string{"https://n8n.acme.example/webhook/abc", "https://acme.app.n8n.cloud/webhook/abc"} {
		if _, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{n8n.FieldWebhookURL: url}); err != nil {
			t.Errorf("%s refused: %v", url, err)
		}
	}
	for url, want := range map[string]string{"http://n8n.acme.example/webhook/abc": "https", "n8n.acme.example/webhook": "not a URL"} {
		_, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{n8n.FieldWebhookURL: url})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", url, err, want)
		}
	}
}

func TestValidatorRules(t *testing.T) {
	in := n8n.New()
	flat := []byte(`{"event_type":"payment.succeeded"}`)
	test := hookbridge.OutboundRequest{Method: "POST", URL: "https://n8n.acme.example/webhook-test/abc", Body: flat}
	if ps := in.Validate(&test, time.Now()); !has(ps, "url", true) {
		t.Errorf("test URL: %+v", ps)
	}
	big := hookbridge.OutboundRequest{Method: "POST", URL: "https://n8n.acme.example/webhook/abc",
		Body: []byte(`{"event_type":"x","pad":"` + strings.Repeat("a", n8n.DefaultMaxBodyBytes) + `"}`)}
	if ps := in.Validate(&big, time.Now()); !has(ps, "body", true) {
		t.Errorf("over 16 MB: %+v", ps)
	}
	notObject := hookbridge.OutboundRequest{Method: "POST", URL: "https://n8n.acme.example/webhook/abc", Body: []byte(`[1,2]`)}
	if ps := in.Validate(&notObject, time.Now()); !has(ps, "body", false) {
		t.Errorf("an array: %+v", ps)
	}
	ok := hookbridge.OutboundRequest{Method: "POST", URL: "https://n8n.acme.example/webhook/abc", Body: flat}
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
	in := n8n.New()
	fake := n8ntest.New(t)
	creds := n8ntest.Credentials(fake)
	url := creds[n8n.FieldWebhookURL]

	if _, j := catchhook.Send(t, in, fake, creds, url, "k1"); j.Outcome != "accepted" {
		t.Fatalf("an active workflow: %+v", j)
	}
	testURL := strings.Replace(url, "/webhook/", "/webhook-test/", 1)
	if _, j := catchhook.Send(t, in, fake, creds, testURL, "k2"); j.Outcome != "failed" || !strings.Contains(j.Reason, "Execute workflow") {
		t.Errorf("a test URL nobody listens on: %+v", j)
	}
	fake.TurnOff(url)
	_, j := catchhook.Send(t, in, fake, creds, url, "k3")
	if j.Outcome != "failed" || !strings.Contains(j.Reason, "is not registered") || !strings.Contains(j.Reason, "must be active") {
		t.Errorf("an inactive workflow: %+v", j)
	}
	if r := in.(hookbridge.AnswerReader).ReadAnswer(&hookbridge.OutboundRequest{URL: url}, hookbridge.Answer{Status: 403, Body: []byte(`{"code":403,"message":"Authorization data is wrong!"}`)}); r.Verdict != hookbridge.AnswerFailed || r.Reason != "Authorization data is wrong!" {
		t.Errorf("403: %+v", r)
	}
}

func TestTheURLOwnsItsHostOnly(t *testing.T) {
	in := n8n.New()
	creds := hookbridge.Credentials{n8n.FieldWebhookURL: "https://n8n.acme.example/webhook/abc"}
	elsewhere := &hookbridge.OutboundRequest{Method: "POST", URL: "https://other.example/webhook/abc", Body: []byte(`{"a":1}`)}
	if err := in.Prepare(elsewhere, creds, hookbridge.SendContext{IdempotencyKey: "k"}); err != nil {
		t.Fatal(err)
	}
	if string(elsewhere.Body) != `{"a":1}` {
		t.Errorf("a request to another host was prepared: %s", elsewhere.Body)
	}
	own := &hookbridge.OutboundRequest{Method: "POST", URL: "https://n8n.acme.example/webhook/abc", Body: []byte(`{"a":1}`)}
	_ = in.Prepare(own, creds, hookbridge.SendContext{IdempotencyKey: "k"})
	if !strings.Contains(string(own.Body), `"delivery_id":"k"`) {
		t.Errorf("the instance's own request was not prepared: %s", own.Body)
	}
}
