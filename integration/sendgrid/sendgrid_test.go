package sendgrid_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
	"github.com/hookbridge/hookbridge/integration/sendgrid"
	"github.com/hookbridge/hookbridge/integration/sendgrid/sendgridtest"
)

const placeholderTemplate = "d-00000000000000000000000000000000"

func TestTemplatesOnFake(t *testing.T) {
	for _, region := range []string{"global", "eu"} {
		t.Run(region, func(t *testing.T) {
			fake := sendgridtest.New(t, sendgridtest.WithRegion(region), sendgridtest.WithTemplates(placeholderTemplate))
			integ := sendgrid.New()
			sent := kittest.Templates(t, integ, fake.Credentials(), fake.Client())
			if len(sent) == 0 || len(fake.Sent()) != len(sent) {
				t.Fatalf("%d requests, %d emails", len(sent), len(fake.Sent()))
			}
			for _, s := range sent {
				if s.Response.Status != 202 {
					t.Errorf("%s on %s: %d", s.Template, s.EventType, s.Response.Status)
				}
				kittest.SecretsMasked(t, integ, fake.Credentials(), s.Request)
			}
		})
	}
}

func TestTemplatesWriteCurrencyCorrectAmounts(t *testing.T) {
	fake := sendgridtest.New(t, sendgridtest.WithTemplates(placeholderTemplate))
	kittest.Templates(t, sendgrid.New(), fake.Credentials(), fake.Client())
	var receipt, dynamic, dispute bool
	for _, m := range fake.Sent() {
		switch {
		case m.TemplateID != "":
			dynamic = m.Data["amount"] == "USD 32.65"
		case m.Subject == "Your receipt from Example Inc.: USD 32.65":
			receipt = strings.Contains(m.HTML, "USD 32.65") && strings.Contains(m.Text, "USD 32.65")
		case strings.HasPrefix(m.Subject, "[Dispute opened] JPY 4980"):
			dispute = len(m.To) == 1 && m.To[0] == "payments-team@example.com"
		}
	}
	if !receipt || !dynamic || !dispute {
		t.Errorf("receipt %v, dynamic template data %v, dispute alert to the team %v", receipt, dynamic, dispute)
	}
}

func TestInfo(t *testing.T) {
	info := sendgrid.New().Info()
	if info.Group != hookbridge.GroupEmail || info.RateLimit == nil || len(info.Hosts) != 2 {
		t.Errorf("info = %+v", info)
	}
	if _, err := os.Stat(filepath.Join("..", "..", info.Docs)); err != nil {
		t.Errorf("docs page: %v", err)
	}
	for _, bad := range []string{"re_abc", "SG.a b"} {
		if _, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{"api_key": bad}); err == nil {
			t.Errorf("api key %q accepted", bad)
		}
	}
	if _, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{"api_key": sendgridtest.APIKey, "region": "us"}); err == nil {
		t.Error("region us accepted")
	}
}

// The EU region moves requests to the EU host; SendGrid has no
// idempotency key, so none is sent.
func TestPrepareMovesToTheRegion(t *testing.T) {
	integ := sendgrid.New()
	req := &hookbridge.OutboundRequest{Method: "POST", URL: sendgrid.DefaultURL, Body: []byte(`{}`)}
	creds := hookbridge.Credentials{"api_key": sendgridtest.APIKey, "region": "eu"}
	if err := integ.Prepare(req, creds, hookbridge.SendContext{IdempotencyKey: "msg_1"}); err != nil {
		t.Fatal(err)
	}
	if req.URL != "https://api.eu.sendgrid.com/v3/mail/send" || req.Header("Authorization") != "Bearer "+sendgridtest.APIKey || req.Header("Idempotency-Key") != "" {
		t.Fatalf("prepared %s %v", req.URL, req.Headers)
	}
	kittest.SecretsMasked(t, integ, creds, req)
}

// An EU subuser's key sent to the global host is refused 401, and the
// reading names the region.
func TestRegionMismatchIsExplained(t *testing.T) {
	fake := sendgridtest.New(t, sendgridtest.WithRegion("eu"))
	creds := fake.Credentials()
	creds["region"] = "global"
	req := &hookbridge.OutboundRequest{Method: "POST", URL: sendgrid.DefaultURL,
		Body: []byte(`{"personalizations":[{"to":[{"email":"a@example.org"}]}],"from":{"email":"b@example.com"},"subject":"s","content":[{"type":"text/html","value":"h"}]}`)}
	if err := sendgrid.New().Prepare(req, creds, hookbridge.SendContext{}); err != nil {
		t.Fatal(err)
	}
	resp := (&delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}).Send(context.Background(), req)
	j := delivery.Judge(sendgrid.New(), req, resp)
	if resp.Status != 401 || j.Outcome != "failed" || !strings.Contains(j.Reason, "api.eu.sendgrid.com") {
		t.Fatalf("answer %d judged %+v", resp.Status, j)
	}
}

func TestRateLimitIsRetriedAfterTheReset(t *testing.T) {
	fake := sendgridtest.New(t)
	fake.RateLimitNext(1, 3*time.Second)
	req := &hookbridge.OutboundRequest{Method: "POST", URL: sendgrid.DefaultURL, Body: []byte(`{}`)}
	if err := sendgrid.New().Prepare(req, fake.Credentials(), hookbridge.SendContext{}); err != nil {
		t.Fatal(err)
	}
	resp := (&delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}).Send(context.Background(), req)
	r := hookbridge.ReadAnswer(sendgrid.New(), req, hookbridge.Answer{Status: resp.Status, Headers: resp.Headers, Body: []byte(resp.Body)})
	if resp.Status != 429 || r.Verdict != hookbridge.AnswerRetry || r.RetryAfter <= 0 || r.RetryAfter > 4*time.Second {
		t.Fatalf("answer %d %v read %+v", resp.Status, resp.Headers, r)
	}
}
