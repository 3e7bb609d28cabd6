package hubspot_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/hubspot"
	"github.com/hookbridge/hookbridge/integration/hubspot/hubspottest"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
)

func TestTemplatesOnTheFake(t *testing.T) {
	fake := hubspottest.New(t)
	in := hubspot.New()
	sent := kittest.Templates(t, in, fake.Credentials(), fake.Client())
	if len(sent) == 0 {
		t.Fatal("no template sent anything")
	}
	for _, s := range sent {
		kittest.SecretsMasked(t, in, fake.Credentials(), s.Request)
	}
	if len(fake.Occurrences()) != 4 || len(fake.Tasks()) != 7 {
		t.Errorf("HubSpot kept %d events and %d tasks, want 4 and 7", len(fake.Occurrences()), len(fake.Tasks()))
	}
}

func TestTemplatesCoverTheFourFamilies(t *testing.T) {
	covered := map[string]bool{}
	for _, tpl := range hubspot.New().Info().Templates {
		for _, et := range tpl.EventTypes {
			covered[strings.SplitN(et, ".", 2)[0]] = true
		}
	}
	for _, family := range []string{"payment", "subscription", "refund", "dispute"} {
		if !covered[family] {
			t.Errorf("no template handles %s events", family)
		}
	}
}

// run runs a template on the catalogue's sample of eventType and prepares
// the request with key as the idempotency key.
func run(t *testing.T, creds hookbridge.Credentials, template, eventType, key string) *hookbridge.OutboundRequest {
	t.Helper()
	in := hubspot.New()
	et, ok := catalog.Lookup(eventType)
	if !ok {
		t.Fatalf("no event type %s", eventType)
	}
	sc := hookbridge.SendContext{IdempotencyKey: key, MessageID: "msg_1", Now: time.Now()}
	req, changed := templatetest.RunPrepared(t, in, templatetest.ByID(t, in, template), eventType, et.Sample, hubspot.DefaultURL, creds, sc)
	if !changed {
		t.Fatalf("%s left %s unchanged", template, eventType)
	}
	return req
}

func send(t *testing.T, fake *hubspottest.Server, req *hookbridge.OutboundRequest) (delivery.Response, delivery.Judgement) {
	t.Helper()
	resp := (&delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}).Send(context.Background(), req)
	return resp, delivery.Judge(hubspot.New(), req, resp)
}

func TestContactKeepsLastPaymentAndSubscription(t *testing.T) {
	fake := hubspottest.New(t)
	creds := fake.Credentials()
	for _, step := range []struct{ template, eventType string }{
		{"contact-payments", "payment.succeeded"},
		{"subscription-status", "subscription.active"},
		{"contact-payments", "refund.succeeded"},
	} {
		if _, j := send(t, fake, run(t, creds, step.template, step.eventType, "k_"+step.eventType)); j.Outcome != "accepted" {
			t.Fatalf("%s: %s", step.eventType, j.Reason)
		}
	}
	c, ok := fake.Contact("jane.doe@example.com")
	if !ok {
		t.Fatal("no contact for jane.doe@example.com")
	}
	want := map[string]any{
		"last_payment_amount": 32.65, "last_payment_currency": "USD", "last_payment_status": "succeeded",
		"subscription_status": "active", "subscription_amount": 29.99, "last_refund_amount": 15.0,
	}
	for k, v := range want {
		if c[k] != v {
			t.Errorf("%s = %v, want %v", k, c[k], v)
		}
	}
}

func TestPrepareAuthenticatesWithTheToken(t *testing.T) {
	req := run(t, hookbridge.Credentials{"access_token": "pat-na1-x"}, "contact-payments", "payment.succeeded", "k")
	if got := req.Header("Authorization"); got != "Bearer pat-na1-x" {
		t.Errorf("Authorization = %q", got)
	}
	foreign := &hookbridge.OutboundRequest{URL: "https://crm.example.com/crm/v3/objects/tasks", Body: []byte(`{}`)}
	if err := hubspot.New().Prepare(foreign, hookbridge.Credentials{"access_token": "pat-na1-x"}, hookbridge.SendContext{}); err != nil {
		t.Fatal(err)
	}
	if foreign.Header("Authorization") != "" {
		t.Error("the token went to a host that is not HubSpot's")
	}
}

func TestARetriedEventNamesTheSameOccurrence(t *testing.T) {
	fake := hubspottest.New(t)
	fake.FailNext(1, http.StatusBadGateway)
	var uuids []string
	for attempt := 1; attempt <= 3; attempt++ {
		req := run(t, fake.Credentials(), "payment-events", "payment.succeeded", "idem_1")
		var body struct {
			UUID string `json:"uuid"`
		}
		_ = json.Unmarshal(req.Body, &body)
		uuids = append(uuids, body.UUID)
		if _, j := send(t, fake, req); attempt > 1 && j.Outcome != "accepted" {
			t.Fatalf("attempt %d: %s", attempt, j.Reason)
		}
	}
	if uuids[0] == "" || uuids[0] != uuids[1] || uuids[1] != uuids[2] {
		t.Errorf("uuids of one delivery: %v", uuids)
	}
	if len(fake.Occurrences()) != 1 || len(fake.Duplicates()) != 1 {
		t.Errorf("occurrences %d, duplicates %d; want 1 and 1", len(fake.Occurrences()), len(fake.Duplicates()))
	}
	other := run(t, fake.Credentials(), "payment-events", "payment.succeeded", "idem_2")
	if strings.Contains(string(other.Body), uuids[0]) {
		t.Error("another delivery got the same uuid")
	}
}

func TestAnUpsertSentTwiceLeavesOneContact(t *testing.T) {
	fake := hubspottest.New(t)
	req := run(t, fake.Credentials(), "subscription-status", "subscription.on_hold", "idem")
	send(t, fake, req)
	send(t, fake, req)
	if fake.Contacts() != 1 {
		t.Errorf("contacts = %d", fake.Contacts())
	}
}

func TestSecretsAreMaskedInRecordedRequests(t *testing.T) {
	creds := hubspottest.New(t).Credentials()
	req := run(t, creds, "dispute-tasks", "dispute.opened", "k")
	kittest.SecretsMasked(t, hubspot.New(), creds, req)
	if rec := req.Record(hookbridge.SecretValues(hubspot.New().Info(), creds)); rec.Headers["Authorization"] != "Bearer ********" {
		t.Errorf("recorded Authorization = %q", rec.Headers["Authorization"])
	}
}

func TestMissingScopeIsNamed(t *testing.T) {
	fake := hubspottest.New(t, hubspottest.WithScopes(hubspottest.ScopeContactsWrite))
	resp, j := send(t, fake, run(t, fake.Credentials(), "payment-events", "payment.succeeded", "k"))
	if resp.Status != http.StatusForbidden || j.Outcome != "failed" || !strings.Contains(j.Reason, "analytics.behavioral_events.send") {
		t.Errorf("answered %d, judged %s: %s", resp.Status, j.Outcome, j.Reason)
	}
}

func TestAMissingPropertyIsNamedWithItsFix(t *testing.T) {
	fake := hubspottest.New(t, hubspottest.WithContactProperties(hubspottest.Property{Name: "email"}, hubspottest.Property{Name: "phone"}))
	resp, j := send(t, fake, run(t, fake.Credentials(), "contact-payments", "payment.failed", "k"))
	if resp.Status != http.StatusBadRequest || !strings.Contains(j.Reason, "create the contact property last_payment_date") {
		t.Errorf("answered %d, judged %s: %s", resp.Status, j.Outcome, j.Reason)
	}
}

func TestTheFakesRateLimitIsReadWithItsPolicy(t *testing.T) {
	fake := hubspottest.New(t, hubspottest.WithRateLimit(2, time.Minute))
	req := run(t, fake.Credentials(), "subscription-status", "subscription.active", "k")
	var last delivery.Judgement
	var status int
	for range 3 {
		resp, j := send(t, fake, req)
		status, last = resp.Status, j
	}
	if status != http.StatusTooManyRequests || last.Outcome != "retried" || !strings.Contains(last.Reason, "TEN_SECONDLY_ROLLING") {
		t.Errorf("third request: %d %s %s", status, last.Outcome, last.Reason)
	}
}

func TestCredentialChecks(t *testing.T) {
	info := hubspot.New().Info()
	for token, ok := range map[string]bool{
		"pat-na1-abc":        true,
		"Bearer pat-na1-abc": false,
		"pat na1":            false,
	} {
		_, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{"access_token": token})
		if (err == nil) != ok {
			t.Errorf("%q: %v", token, err)
		}
	}
	if info.RateLimit == nil || info.RateLimit.Requests != 100 || time.Duration(info.RateLimit.Period) != 10*time.Second {
		t.Errorf("rate limit default = %+v", info.RateLimit)
	}
}

// TestADeliveryReadsItsBodyOnce: Prepare, Validate, the batcher and the
// reading of a refusal read a template's request once between them.
func TestADeliveryReadsItsBodyOnce(t *testing.T) {
	integ := hubspot.New()
	creds := hookbridge.Credentials{"access_token": "pat-na1-x"}
	refused := hookbridge.Answer{Status: 400, Body: []byte(`{"status":"error"}`)}
	for _, c := range []struct{ template, eventType string }{
		{"contact-payments", "payment.succeeded"},
		{"subscription-status", "subscription.active"},
		{"payment-events", "refund.succeeded"},
		{"dispute-tasks", "dispute.opened"},
	} {
		templatetest.ReadsOnce(t, integ, c.template, c.eventType, creds, refused)
	}
}
