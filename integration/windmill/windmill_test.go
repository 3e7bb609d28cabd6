package windmill_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
	"github.com/hookbridge/hookbridge/integration/windmill"
	"github.com/hookbridge/hookbridge/integration/windmill/windmilltest"
)

func TestTemplatesOnTheFake(t *testing.T) {
	in := windmill.New()
	fake := windmilltest.New(t)
	creds := fake.Credentials()
	sent := kittest.Templates(t, in, creds, fake.Client())
	jobs := fake.Jobs()
	if len(jobs) != len(sent) || len(sent) == 0 {
		t.Fatalf("%d requests sent, %d jobs queued", len(sent), len(jobs))
	}
	for i, job := range jobs {
		if job.Path != windmilltest.Script || job.Args["event_type"] != sent[i].EventType || job.Args["delivery_id"] == nil {
			t.Errorf("job %d: %+v", i, job)
		}
		for k, v := range job.Args {
			if _, nested := v.(map[string]any); nested {
				t.Errorf("%s: argument %s is nested", sent[i].EventType, k)
			}
		}
		if n := sent[i].Request.BodyReads(); n != 1 {
			t.Errorf("%s: Prepare, Validate and ReadAnswer read the body %d times", sent[i].EventType, n)
		}
		kittest.SecretsMasked(t, in, creds, sent[i].Request)
	}
}

func TestInfo(t *testing.T) {
	info := windmill.New().Info()
	if info.Group != hookbridge.GroupAutomation || info.URLCredential != windmill.FieldWebhookURL ||
		info.Docs != "docs/integrations/windmill.md" || len(info.Templates) != 4 {
		t.Errorf("info = %+v", info)
	}
}

func TestCredentialsAreChecked(t *testing.T) {
	info := windmill.New().Info()
	good := "https://app.windmill.dev/api/w/acme/jobs/run/p/f/billing/on_payment"
	for _, url := range []string{good, "https://windmill.acme.example/api/w/acme/jobs/run/f/f/billing/flow", "https://wm.acme.example/api/w/acme/jobs/run/h/0000000000abcdef"} {
		if _, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{windmill.FieldWebhookURL: url, windmill.FieldToken: "tok"}); err != nil {
			t.Errorf("%s refused: %v", url, err)
		}
	}
	for url, want := range map[string]string{
		"http://app.windmill.dev/api/w/acme/jobs/run/p/u/x":            "https",
		"https://app.windmill.dev/api/w/acme/jobs/run_wait_result/p/x": "synchronous",
		"https://app.windmill.dev/api/w/acme/scripts/get/p/x":          "not a Windmill webhook",
	} {
		_, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{windmill.FieldWebhookURL: url, windmill.FieldToken: "tok"})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", url, err, want)
		}
	}
	if _, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{windmill.FieldWebhookURL: good, windmill.FieldToken: "Bearer tok"}); err == nil {
		t.Error("a token with \"Bearer \" is taken")
	}
	if _, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{windmill.FieldWebhookURL: good}); err == nil {
		t.Error("no token is taken")
	}
}

func TestTheTokenGoesOnlyToTheWebhookHost(t *testing.T) {
	in := windmill.New()
	fake := windmilltest.New(t)
	creds := fake.Credentials()
	for _, url := range []string{
		"https://collector.evil.example/api/w/acme/jobs/run/p/" + windmilltest.Script,
		"https://app.windmill.dev/api/w/acme/jobs/run/p/" + windmilltest.Script, // Windmill, but not this endpoint's instance
	} {
		req := &hookbridge.OutboundRequest{Method: "POST", URL: url, Body: []byte(`{"event_type":"x"}`)}
		if err := in.Prepare(req, creds, hookbridge.SendContext{IdempotencyKey: "k"}); err != nil {
			t.Fatal(err)
		}
		if req.Header("Authorization") != "" {
			t.Errorf("%s got the token", url)
		}
		resp := (&delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}).Send(context.Background(), req)
		if resp.Status != 404 && resp.Status != 401 {
			t.Errorf("%s: %d", url, resp.Status)
		}
	}
	for _, r := range fake.Requests() {
		if strings.Contains(r.Header.Get("Authorization"), windmilltest.Token) {
			t.Errorf("the token reached %s", r.Host)
		}
	}
	own := &hookbridge.OutboundRequest{Method: "POST", URL: creds[windmill.FieldWebhookURL], Body: []byte(`{"event_type":"x"}`)}
	_ = in.Prepare(own, creds, hookbridge.SendContext{IdempotencyKey: "k"})
	if own.Header("Authorization") != "Bearer "+windmilltest.Token {
		t.Errorf("the instance's own request has no token: %v", own.Headers)
	}
}

func TestValidatorRules(t *testing.T) {
	in := windmill.New()
	flat := []byte(`{"event_type":"payment.succeeded"}`)
	base := "https://windmill.acme.example/api/w/acme/jobs/"
	cases := []struct {
		name string
		req  hookbridge.OutboundRequest
		want string
	}{
		{"sync endpoint", hookbridge.OutboundRequest{Method: "POST", URL: base + "run_wait_result/p/f/x", Body: flat}, "url"},
		{"not a run endpoint", hookbridge.OutboundRequest{Method: "POST", URL: base + "list", Body: flat}, "url"},
		{"arguments not an object", hookbridge.OutboundRequest{Method: "POST", URL: base + "run/p/f/x", Body: []byte(`[1]`)}, "body"},
		{"GET", hookbridge.OutboundRequest{Method: "GET", URL: base + "run/p/f/x", Body: flat}, "method"},
	}
	for _, c := range cases {
		found := false
		for _, p := range in.Validate(&c.req, time.Now()) {
			found = found || (p.Field == c.want && !p.Warning && p.Fix != "")
		}
		if !found {
			t.Errorf("%s: no problem on %s", c.name, c.want)
		}
	}
	ok := hookbridge.OutboundRequest{Method: "POST", URL: base + "run/p/f/x", Body: flat}
	if ps := in.Validate(&ok, time.Now()); len(ps) != 0 {
		t.Errorf("a flat event gets %+v", ps)
	}
}

func send(t *testing.T, fake *windmilltest.Server, creds hookbridge.Credentials, body string) delivery.Judgement {
	t.Helper()
	in := windmill.New()
	req := &hookbridge.OutboundRequest{Method: "POST", URL: creds[windmill.FieldWebhookURL], Body: []byte(body)}
	if err := in.Prepare(req, creds, hookbridge.SendContext{IdempotencyKey: "k"}); err != nil {
		t.Fatal(err)
	}
	resp := (&delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}).Send(context.Background(), req)
	return delivery.Judge(in, req, resp)
}

func TestAnswers(t *testing.T) {
	fake := windmilltest.New(t)
	creds := fake.Credentials()
	if j := send(t, fake, creds, `{"event_type":"x"}`); j.Outcome != "accepted" {
		t.Fatalf("201 with a job id: %+v", j)
	}
	wrong := hookbridge.Credentials{windmill.FieldWebhookURL: creds[windmill.FieldWebhookURL], windmill.FieldToken: "expired"}
	if j := send(t, fake, wrong, `{"event_type":"x"}`); j.Outcome != "failed" || !strings.Contains(j.Reason, "token is not valid") {
		t.Errorf("401: %+v", j)
	}
	missing := hookbridge.Credentials{windmill.FieldWebhookURL: fake.URLOf("p", "f/billing/renamed"), windmill.FieldToken: windmilltest.Token}
	if j := send(t, fake, missing, `{"event_type":"x"}`); j.Outcome != "failed" || !strings.Contains(j.Reason, "no script or flow") {
		t.Errorf("404: %+v", j)
	}
	if j := send(t, fake, creds, `[1]`); j.Outcome != "failed" || !strings.Contains(j.Reason, "refused the arguments") {
		t.Errorf("400: %+v", j)
	}
	fake.Forbid(windmilltest.Script)
	if j := send(t, fake, creds, `{"event_type":"x"}`); j.Outcome != "failed" || !strings.Contains(j.Reason, "may not run") {
		t.Errorf("403: %+v", j)
	}
}
