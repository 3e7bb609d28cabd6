package posthog_test

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
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/kit"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
	"github.com/hookbridge/hookbridge/integration/posthog"
	"github.com/hookbridge/hookbridge/integration/posthog/posthogtest"
)

func TestTemplatesOnTheFake(t *testing.T) {
	for name, opt := range map[string]posthogtest.Option{
		"us":          posthogtest.WithRegion("us"),
		"eu":          posthogtest.WithRegion("eu"),
		"self-hosted": posthogtest.WithSelfHosted("posthog.internal.example"),
	} {
		t.Run(name, func(t *testing.T) {
			fake := posthogtest.New(t, opt)
			in := posthog.New()
			sent := kittest.Templates(t, in, fake.Credentials(), fake.Client())
			if len(sent) == 0 {
				t.Fatal("no template sent anything")
			}
			if got := len(fake.Accepted()); got != len(sent) {
				t.Errorf("PostHog kept %d events of %d sent; dropped: %+v", got, len(sent), fake.Dropped())
			}
			for _, s := range sent {
				kittest.SecretsMasked(t, in, fake.Credentials(), s.Request)
			}
		})
	}
}

func TestTemplatesCoverTheFourFamilies(t *testing.T) {
	covered := map[string]bool{}
	for _, tpl := range posthog.New().Info().Templates {
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

func TestAmountsAreInTheCurrencysOwnUnits(t *testing.T) {
	fake := posthogtest.New(t)
	kittest.Templates(t, posthog.New(), fake.Credentials(), fake.Client())
	for _, ev := range fake.Accepted() {
		if ev.Name == "payment_succeeded" && ev.Properties["amount"] != 32.65 {
			t.Errorf("payment_succeeded amount = %v, want 32.65 (3265 minor units of USD)", ev.Properties["amount"])
		}
		if ev.Name == "dispute_opened" && ev.Properties["amount"] != 4980.0 {
			t.Errorf("dispute_opened amount = %v, want 4980 (JPY has no minor unit)", ev.Properties["amount"])
		}
	}
}

// prepared runs the payment template on the payment.succeeded sample and
// prepares it with key as the idempotency key.
func prepared(t *testing.T, creds hookbridge.Credentials, key string) *hookbridge.OutboundRequest {
	t.Helper()
	return preparedWith(t, creds, "payment-events", "payment.succeeded", key)
}

// preparedWith runs template on the catalogue's sample of eventType and
// prepares it with key as the idempotency key.
func preparedWith(t *testing.T, creds hookbridge.Credentials, template, eventType, key string) *hookbridge.OutboundRequest {
	t.Helper()
	in := posthog.New()
	et, ok := catalog.Lookup(eventType)
	if !ok {
		t.Fatalf("no event type %s", eventType)
	}
	sc := hookbridge.SendContext{IdempotencyKey: key, MessageID: "msg_1", Now: time.Now()}
	req, changed := templatetest.RunPrepared(t, in, templatetest.ByID(t, in, template), eventType, et.Sample, posthog.DefaultURL, creds, sc)
	if !changed {
		t.Fatalf("%s left %s unchanged", template, eventType)
	}
	return req
}

func bodyOf(t *testing.T, req *hookbridge.OutboundRequest) map[string]any {
	t.Helper()
	var body map[string]any
	if err := json.Unmarshal(req.Body, &body); err != nil {
		t.Fatal(err)
	}
	return body
}

func TestPrepareAddsTheKeyAndAUUIDFromTheIdempotencyKey(t *testing.T) {
	creds := posthogtest.New(t).Credentials()
	first, again := prepared(t, creds, "idem_1"), prepared(t, creds, "idem_1")
	other := prepared(t, creds, "idem_2")
	b1, b2, b3 := bodyOf(t, first), bodyOf(t, again), bodyOf(t, other)
	if b1["api_key"] != posthogtest.APIKey {
		t.Errorf("api_key = %v", b1["api_key"])
	}
	if b1["uuid"] == nil || b1["uuid"] != b2["uuid"] {
		t.Errorf("the same delivery got uuids %v and %v", b1["uuid"], b2["uuid"])
	}
	if b1["uuid"] == b3["uuid"] {
		t.Error("two deliveries got the same uuid")
	}
}

func TestPrepareKeepsAUUIDTheHandlerSet(t *testing.T) {
	req := &hookbridge.OutboundRequest{URL: posthog.DefaultURL, Body: []byte(`{"event":"x","distinct_id":"c","uuid":"0190c1de-0000-7000-8000-000000000001"}`)}
	if err := posthog.New().Prepare(req, hookbridge.Credentials{"api_key": "phc_k"}, hookbridge.SendContext{IdempotencyKey: "k"}); err != nil {
		t.Fatal(err)
	}
	if got := bodyOf(t, req)["uuid"]; got != "0190c1de-0000-7000-8000-000000000001" {
		t.Errorf("uuid = %v", got)
	}
}

func TestARetriedDeliveryIsCountedOnce(t *testing.T) {
	fake := posthogtest.New(t)
	in := posthog.New()
	sender := &delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}
	fake.FailNext(1, http.StatusServiceUnavailable)
	for attempt := 1; attempt <= 3; attempt++ {
		req := prepared(t, fake.Credentials(), "idem_retry")
		resp := sender.Send(context.Background(), req)
		if attempt > 1 && delivery.Judge(in, req, resp).Outcome != "accepted" {
			t.Fatalf("attempt %d: %d %s", attempt, resp.Status, resp.Body)
		}
	}
	if got := len(fake.Accepted()); got != 1 {
		t.Errorf("PostHog counted the payment %d times, want once", got)
	}
	if got := len(fake.Duplicates()); got != 1 {
		t.Errorf("duplicates = %d, want 1", got)
	}
}

func TestSecretsAreMaskedInRecordedRequests(t *testing.T) {
	creds := posthogtest.New(t).Credentials()
	req := prepared(t, creds, "idem_mask")
	if !strings.Contains(string(req.Body), posthogtest.APIKey) {
		t.Fatal("the key is not in the body: the masking test proves nothing")
	}
	kittest.SecretsMasked(t, posthog.New(), creds, req)
}

func TestTheKeyGoesToNoOtherHost(t *testing.T) {
	req := &hookbridge.OutboundRequest{URL: "https://collector.example.com/i/v0/e/", Body: []byte(`{"event":"x","distinct_id":"c"}`)}
	if err := posthog.New().Prepare(req, hookbridge.Credentials{"api_key": "phc_secret"}, hookbridge.SendContext{IdempotencyKey: "k"}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(req.Body), "phc_secret") {
		t.Fatal("the project API key went to a host that is not PostHog's")
	}
}

func TestAWrongRegionIsAnswered401AndExplained(t *testing.T) {
	fake := posthogtest.New(t, posthogtest.WithRegion("eu"))
	creds := fake.Credentials()
	creds["region"] = "us"
	req := prepared(t, creds, "idem_region")
	resp := (&delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}).Send(context.Background(), req)
	j := delivery.Judge(posthog.New(), req, resp)
	if resp.Status != http.StatusUnauthorized || j.Outcome != "failed" || !strings.Contains(j.Reason, "region") {
		t.Errorf("answered %d, judged %s: %s", resp.Status, j.Outcome, j.Reason)
	}
}

func TestCredentialChecks(t *testing.T) {
	info := posthog.New().Info()
	for name, tc := range map[string]struct {
		creds hookbridge.Credentials
		ok    bool
	}{
		"project key":           {hookbridge.Credentials{"api_key": "phc_abc"}, true},
		"personal key":          {hookbridge.Credentials{"api_key": "phx_abc"}, false},
		"eu":                    {hookbridge.Credentials{"api_key": "phc_abc", "region": "eu"}, true},
		"unknown region":        {hookbridge.Credentials{"api_key": "phc_abc", "region": "ap"}, false},
		"self-hosted":           {hookbridge.Credentials{"api_key": "phc_abc", "region": "custom", "host": "posthog.example.com"}, true},
		"self-hosted over http": {hookbridge.Credentials{"api_key": "phc_abc", "region": "custom", "host": "http://posthog.example.com"}, false},
	} {
		_, err := hookbridge.CheckCredentials(info, tc.creds)
		if (err == nil) != tc.ok {
			t.Errorf("%s: CheckCredentials = %v", name, err)
		}
	}
	for _, f := range info.Credentials {
		if f.Name == posthog.FieldAPIKey && !f.Secret {
			t.Error("the project API key is not secret")
		}
	}
}

// TestADeliveryReadsItsBodyOnce: Prepare, Validate, the batcher and the
// reading of a refusal read a template's request once between them.
func TestADeliveryReadsItsBodyOnce(t *testing.T) {
	integ := posthog.New()
	creds := hookbridge.Credentials{"api_key": "phc_k"}
	refused := hookbridge.Answer{Status: 400, Body: []byte(`{"detail":"x"}`)}
	for _, c := range []struct{ template, eventType string }{
		{"payment-events", "payment.succeeded"},
		{"subscription-lifecycle", "subscription.on_hold"},
		{"refunds-disputes", "dispute.opened"},
	} {
		templatetest.ReadsOnce(t, integ, c.template, c.eventType, creds, refused)
	}
}

func TestPrepareReplacesAKeyTheHandlerSet(t *testing.T) {
	for _, body := range []string{
		`{"api_key":"phc_someone_else","event":"x","distinct_id":"c"}`,
		`{"api_key":7,"event":"x","distinct_id":"c"}`,
		`{"api_key":null,"event":"x","distinct_id":"c"}`,
	} {
		req := &hookbridge.OutboundRequest{URL: posthog.DefaultURL, Body: []byte(body)}
		if err := posthog.New().Prepare(req, hookbridge.Credentials{"api_key": "phc_k"}, hookbridge.SendContext{IdempotencyKey: "k"}); err != nil {
			t.Fatal(err)
		}
		if got := bodyOf(t, req); got["api_key"] != "phc_k" || got["uuid"] == nil {
			t.Errorf("%s prepared as %s, want the credential's key and a uuid", body, req.Body)
		}
	}
}

// Replacing a key the handler set leaves a body read once by Prepare and
// Validate.
func TestAReplacedKeyIsReadOnce(t *testing.T) {
	req := &hookbridge.OutboundRequest{Method: "POST", URL: posthog.DefaultURL, Body: []byte(`{"api_key":"phc_someone_else","event":"x","distinct_id":"c"}`)}
	if err := posthog.New().Prepare(req, hookbridge.Credentials{"api_key": "phc_k"}, hookbridge.SendContext{IdempotencyKey: "k"}); err != nil {
		t.Fatal(err)
	}
	posthog.New().Validate(req, time.Now())
	if want := `{"api_key":"phc_k","event":"x","distinct_id":"c","uuid":"` + kit.UUIDFromKey("k") + `"}`; string(req.Body) != want || req.BodyReads() != 1 {
		t.Errorf("body %s read %d times, want %s read once", req.Body, req.BodyReads(), want)
	}
}
