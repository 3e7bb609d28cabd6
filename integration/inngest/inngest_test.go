package inngest_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/inngest"
	"github.com/hookbridge/hookbridge/integration/inngest/inngesttest"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
)

func TestTemplatesOnTheFake(t *testing.T) {
	in := inngest.New()
	fake := inngesttest.New(t)
	creds := fake.Credentials()
	sent := kittest.Templates(t, in, creds, fake.Client())
	events := fake.Accepted()
	if len(events) != len(sent) || len(sent) == 0 {
		t.Fatalf("%d sent, %d accepted", len(sent), len(events))
	}
	for i, ev := range events {
		s := sent[i]
		if ev.Name != "billing/"+s.EventType || ev.ID == "" || ev.TS < 1e12 || ev.Data["amount_formatted"] == nil {
			t.Errorf("%s on %s: %+v", s.Template, s.EventType, ev)
		}
		if s.Template != "disputes" && ev.User["external_id"] == nil {
			t.Errorf("%s on %s: no user.external_id", s.Template, s.EventType)
		}
		kittest.SecretsMasked(t, in, creds, s.Request)
	}
}

// prepared runs the template on eventType's sample and prepares it with the
// idempotency key.
func prepared(t *testing.T, creds hookbridge.Credentials, template, eventType, key string) *hookbridge.OutboundRequest {
	t.Helper()
	in := inngest.New()
	et, _ := catalog.Lookup(eventType)
	sc := hookbridge.SendContext{IdempotencyKey: key, Now: time.Now()}
	req, changed := templatetest.RunPrepared(t, in, templatetest.ByID(t, in, template), eventType, et.Sample, inngest.DefaultURL, creds, sc)
	if !changed {
		t.Fatalf("%s left %s unchanged", template, eventType)
	}
	return req
}

func send(t *testing.T, fake *inngesttest.Server, req *hookbridge.OutboundRequest) delivery.Judgement {
	t.Helper()
	resp := (&delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}).Send(context.Background(), req)
	return delivery.Judge(inngest.New(), req, resp)
}

func TestEventShape(t *testing.T) {
	req := prepared(t, hookbridge.Credentials{inngest.FieldEventKey: "k"}, "payments", "payment.succeeded", "idem_1")
	var ev map[string]any
	if err := json.Unmarshal(req.Body, &ev); err != nil {
		t.Fatal(err)
	}
	data, _ := ev["data"].(map[string]any)
	user, _ := ev["user"].(map[string]any)
	if ev["name"] != "billing/payment.succeeded" || ev["id"] != "idem_1" || ev["ts"] != float64(1754285445182) ||
		data["amount_formatted"] != "32.65 USD" || data["amount_major"] != 32.65 || user["email"] != "jane.doe@example.com" {
		t.Errorf("event = %s", req.Body)
	}
	if req.URL != "https://inn.gs/e/k" {
		t.Errorf("url = %s", req.URL)
	}
	jpy := prepared(t, hookbridge.Credentials{inngest.FieldEventKey: "k"}, "disputes", "dispute.won", "idem_2")
	if !strings.Contains(string(jpy.Body), `"amount_formatted":"4980 JPY"`) || strings.Contains(string(jpy.Body), `"user"`) {
		t.Errorf("dispute = %s", jpy.Body)
	}
}

func TestARetryCarriesTheSameIDAndInngestDeduplicates(t *testing.T) {
	fake := inngesttest.New(t)
	creds := fake.Credentials()
	fake.FailNext(1, 502)
	if j := send(t, fake, prepared(t, creds, "payments", "payment.succeeded", "idem_42")); j.Outcome != "retried" {
		t.Fatalf("502: %+v", j)
	}
	for range 2 { // the retry, then a redelivery of the same message
		if j := send(t, fake, prepared(t, creds, "payments", "payment.succeeded", "idem_42")); j.Outcome != "accepted" {
			t.Fatalf("retry: %+v", j)
		}
	}
	acc, dup := fake.Accepted(), fake.Duplicates()
	if len(acc) != 1 || acc[0].ID != "idem_42" || len(dup) != 1 || dup[0].ID != "idem_42" {
		t.Errorf("accepted %+v, duplicates %+v", acc, dup)
	}
}

func TestBatching(t *testing.T) {
	in := inngest.New()
	b, ok := in.(hookbridge.Batcher)
	if !ok {
		t.Fatal("inngest is not a Batcher")
	}
	fake := inngesttest.New(t)
	creds := fake.Credentials()
	keys := []string{"idem_a", "idem_b", "idem_c"}
	var items [][]byte
	var first *hookbridge.OutboundRequest
	for i, key := range keys {
		req := prepared(t, creds, "subscriptions", "subscription.renewed", key)
		if i == 0 {
			first = req
		}
		item, ok := b.BatchItem(req)
		if !ok {
			t.Fatalf("a prepared event cannot go in a batch: %s", req.Body)
		}
		items = append(items, item)
	}
	batch, err := b.BatchRequest(first, items)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(batch.Body), "[") || batch.URL != first.URL {
		t.Errorf("batch = %s %s", batch.URL, batch.Body)
	}
	if ps := hookbridge.Blocking(in.Validate(batch, time.Now())); len(ps) > 0 {
		t.Errorf("the batch is blocked: %+v", ps)
	}
	if j := send(t, fake, batch); j.Outcome != "accepted" {
		t.Fatalf("batch: %+v", j)
	}
	if reqs := fake.Requests(); len(reqs) != 1 {
		t.Errorf("%d requests for one batch", len(reqs))
	}
	acc := fake.Accepted()
	if len(acc) != 3 || acc[0].ID != "idem_a" || acc[2].ID != "idem_c" {
		t.Errorf("accepted %+v", acc)
	}
	for _, bad := range []*hookbridge.OutboundRequest{
		{Method: "POST", URL: first.URL, Body: []byte(`[{"name":"x"}]`)},
		{Method: "GET", URL: first.URL, Body: first.Body},
		{Method: "POST", URL: "https://inn.gs/v1/events", Body: first.Body},
	} {
		if _, ok := b.BatchItem(bad); ok {
			t.Errorf("%s %s %s goes in a batch", bad.Method, bad.URL, bad.Body)
		}
	}
	if _, err := b.BatchRequest(first, nil); err == nil {
		t.Error("an empty batch is built")
	}
}

func TestSelfHostedEventAPI(t *testing.T) {
	fake := inngesttest.New(t)
	creds := hookbridge.Credentials{inngest.FieldEventKey: inngesttest.EventKey, inngest.FieldHost: "inngest.acme.internal:8288"}
	req := prepared(t, creds, "refunds", "refund.succeeded", "idem_r")
	if req.URL != "https://inngest.acme.internal:8288/e/"+inngesttest.EventKey {
		t.Errorf("url = %s", req.URL)
	}
	if j := send(t, fake, req); j.Outcome != "accepted" {
		t.Fatalf("self-hosted: %+v", j)
	}
	if acc := fake.Accepted(); len(acc) != 1 || acc[0].Host != "inngest.acme.internal" {
		t.Errorf("accepted %+v", acc)
	}
}

func TestTheKeyGoesNowhereElse(t *testing.T) {
	in := inngest.New()
	creds := hookbridge.Credentials{inngest.FieldEventKey: "secret-key", inngest.FieldHost: "inn.gs"}
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://collector.evil.example/e/", Body: []byte(`{"name":"x"}`)}
	if err := in.Prepare(req, creds, hookbridge.SendContext{IdempotencyKey: "k"}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(req.URL, "secret-key") || string(req.Body) != `{"name":"x"}` {
		t.Errorf("a request elsewhere was prepared: %s %s", req.URL, req.Body)
	}
}

func TestTheKeyIsMaskedInRecords(t *testing.T) {
	in := inngest.New()
	creds := hookbridge.Credentials{inngest.FieldEventKey: "evtkey-Zx81Lm3Q", inngest.FieldHost: "inn.gs"}
	req := prepared(t, creds, "payments", "payment.failed", "idem_m")
	kittest.SecretsMasked(t, in, creds, req)
	rec := req.Record(hookbridge.SecretValues(in.Info(), creds))
	if !strings.HasPrefix(rec.URL, "https://inn.gs/e/") || strings.Contains(rec.URL, "Zx81") {
		t.Errorf("recorded url = %s", rec.URL)
	}
}

func TestCredentialsAreChecked(t *testing.T) {
	info := inngest.New().Info()
	out, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{inngest.FieldEventKey: "abc"})
	if err != nil || out[inngest.FieldHost] != inngest.DefaultHost {
		t.Errorf("default host: %v, %v", out, err)
	}
	for creds, want := range map[[2]string]string{
		{"a/b", ""}:                        "event key",
		{"abc", "https://inn.gs"}:          "host only",
		{"abc", "inngest.acme.internal/x"}: "host only",
	} {
		_, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{inngest.FieldEventKey: creds[0], inngest.FieldHost: creds[1]})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: err = %v, want %q", creds, err, want)
		}
	}
}

// TestADeliveryReadsItsBodyOnce: Prepare, Validate, the batcher and the
// reading of a refusal read a template's request once between them.
func TestADeliveryReadsItsBodyOnce(t *testing.T) {
	integ := inngest.New()
	creds := hookbridge.Credentials{inngest.FieldEventKey: "k"}
	refused := hookbridge.Answer{Status: 400, Body: []byte(`{"error":"x","status":400}`)}
	for _, c := range []struct{ template, eventType string }{
		{"payments", "payment.succeeded"},
		{"subscriptions", "subscription.active"},
		{"refunds", "refund.succeeded"},
		{"disputes", "dispute.opened"},
	} {
		templatetest.ReadsOnce(t, integ, c.template, c.eventType, creds, refused)
	}
}
