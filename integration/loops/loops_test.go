package loops_test

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
	"github.com/hookbridge/hookbridge/integration/loops"
	"github.com/hookbridge/hookbridge/integration/loops/loopstest"
)

// fakeWithTemplates knows the templates' transactional emails and the
// data variables each requires.
func fakeWithTemplates(t *testing.T) *loopstest.Server {
	return loopstest.New(t,
		loopstest.WithTransactional("REPLACE_WITH_RECEIPT_TRANSACTIONAL_ID", "amount", "paymentId"),
		loopstest.WithTransactional("REPLACE_WITH_FAILED_PAYMENT_TRANSACTIONAL_ID", "amount", "updateUrl"),
		loopstest.WithTransactional("REPLACE_WITH_REFUND_TRANSACTIONAL_ID", "amount", "paymentId"),
		loopstest.WithTransactional("REPLACE_WITH_DISPUTE_ALERT_TRANSACTIONAL_ID", "headline", "amount", "disputeId"),
		loopstest.WithContactProperties("subscriptionStatus", "subscriptionId", "productId", "nextBillingDate"),
	)
}

func TestTemplatesOnFake(t *testing.T) {
	fake := fakeWithTemplates(t)
	integ := loops.New()
	sent := kittest.Templates(t, integ, fake.Credentials(), fake.Client())
	if len(sent) == 0 || len(fake.Emails())+len(fake.Events())+len(fake.Contacts()) != len(sent) {
		t.Fatalf("%d requests, %d emails, %d events, %d contact updates", len(sent), len(fake.Emails()), len(fake.Events()), len(fake.Contacts()))
	}
	for _, s := range sent {
		if s.Request.Header("Idempotency-Key") == "" && s.Template != "loops-customer-contact" {
			t.Errorf("%s on %s: no Idempotency-Key", s.Template, s.EventType)
		}
		kittest.SecretsMasked(t, integ, fake.Credentials(), s.Request)
	}
}

func TestTemplatesWriteCurrencyCorrectAmounts(t *testing.T) {
	fake := fakeWithTemplates(t)
	kittest.Templates(t, loops.New(), fake.Credentials(), fake.Client())
	amounts := map[string]string{}
	for _, e := range fake.Emails() {
		amounts[e.TransactionalID] = e.DataVariables["amount"].(string)
		if strings.Contains(e.TransactionalID, "DISPUTE") && e.To != "payments-team@example.com" {
			t.Errorf("dispute alert to %s, want the team", e.To)
		}
	}
	want := map[string]string{
		"REPLACE_WITH_RECEIPT_TRANSACTIONAL_ID":       "USD 32.65",
		"REPLACE_WITH_REFUND_TRANSACTIONAL_ID":        "USD 15.00",
		"REPLACE_WITH_DISPUTE_ALERT_TRANSACTIONAL_ID": "JPY 4980",
	}
	for id, amount := range want {
		if amounts[id] != amount {
			t.Errorf("%s: amount %q, want %q", id, amounts[id], amount)
		}
	}
	names := map[string]bool{}
	for _, e := range fake.Events() {
		names[e.Name] = true
	}
	if !names["subscriptionActive"] || !names["subscriptionCancelled"] || len(names) != 9 {
		t.Errorf("events %v", names)
	}
}

func TestInfo(t *testing.T) {
	info := loops.New().Info()
	if info.Group != hookbridge.GroupEmail || info.RateLimit == nil || info.RateLimit.Requests != 10 {
		t.Errorf("info = %+v", info)
	}
	if _, err := os.Stat(filepath.Join("..", "..", info.Docs)); err != nil {
		t.Errorf("docs page: %v", err)
	}
	if _, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{"api_key": "a b"}); err == nil {
		t.Error("a key with a space was accepted")
	}
}

func prepared(t *testing.T, fake *loopstest.Server, key, amount string) *hookbridge.OutboundRequest {
	t.Helper()
	req := &hookbridge.OutboundRequest{Method: "POST", URL: loops.DefaultURL,
		Body: []byte(`{"transactionalId":"tx_receipt","email":"jane.doe@example.com","dataVariables":{"amount":"` + amount + `"}}`)}
	if err := loops.New().Prepare(req, fake.Credentials(), hookbridge.SendContext{IdempotencyKey: key}); err != nil {
		t.Fatal(err)
	}
	return req
}

func send(t *testing.T, fake *loopstest.Server, req *hookbridge.OutboundRequest) (delivery.Response, delivery.Judgement) {
	t.Helper()
	resp := (&delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}).Send(context.Background(), req)
	return resp, delivery.Judge(loops.New(), req, resp)
}

// A retried delivery carries the same key; Loops answers 409 and sends
// nothing, and the retry is taken as delivered.
func TestRetriedDeliveryIsSentOnce(t *testing.T) {
	fake := loopstest.New(t, loopstest.WithTransactional("tx_receipt", "amount"))
	first, retry := prepared(t, fake, "msg_7Vb2Nq5K", "USD 32.65"), prepared(t, fake, "msg_7Vb2Nq5K", "USD 32.65")
	if first.Header("Idempotency-Key") != "msg_7Vb2Nq5K" || retry.Header("Idempotency-Key") != "msg_7Vb2Nq5K" {
		t.Fatalf("keys %q, %q", first.Header("Idempotency-Key"), retry.Header("Idempotency-Key"))
	}
	if _, j := send(t, fake, first); j.Outcome != "accepted" {
		t.Fatalf("first: %+v", j)
	}
	resp, j := send(t, fake, retry)
	if resp.Status != 409 || j.Outcome != "accepted" {
		t.Fatalf("retry: %d judged %+v", resp.Status, j)
	}
	if n := len(fake.Emails()); n != 1 {
		t.Fatalf("sent %d emails, want 1", n)
	}
}

// Loops refuses a used key whatever the body: a handler that changed its
// email does not send it again either.
func TestUsedKeyWithAnotherBodyIsNotSent(t *testing.T) {
	fake := loopstest.New(t, loopstest.WithTransactional("tx_receipt", "amount"))
	send(t, fake, prepared(t, fake, "msg_k", "USD 32.65"))
	if resp, _ := send(t, fake, prepared(t, fake, "msg_k", "USD 99.00")); resp.Status != 409 || len(fake.Emails()) != 1 {
		t.Fatalf("answer %d, %d sent", resp.Status, len(fake.Emails()))
	}
}

// A failed first attempt keeps no key: the corrected retry is sent.
func TestFailedAttemptKeepsNoKey(t *testing.T) {
	fake := loopstest.New(t, loopstest.WithTransactional("tx_receipt", "amount", "paymentId"))
	if resp, j := send(t, fake, prepared(t, fake, "msg_f", "USD 1.00")); resp.Status != 400 || j.Outcome != "failed" || !strings.Contains(j.Reason, "paymentId") {
		t.Fatalf("answer %d judged %+v", resp.Status, j)
	}
}

func TestLongKeyIsShortened(t *testing.T) {
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://app.loops.so/api/v1/events/send"}
	long := strings.Repeat("k", 150)
	if err := loops.New().Prepare(req, hookbridge.Credentials{"api_key": "x"}, hookbridge.SendContext{IdempotencyKey: long}); err != nil {
		t.Fatal(err)
	}
	if k := req.Header("Idempotency-Key"); len(k) != 64 || k == long[:64] {
		t.Fatalf("key %q", k)
	}
	contact := &hookbridge.OutboundRequest{Method: "PUT", URL: "https://app.loops.so/api/v1/contacts/update"}
	_ = loops.New().Prepare(contact, hookbridge.Credentials{"api_key": "x"}, hookbridge.SendContext{IdempotencyKey: "k"})
	if contact.Header("Idempotency-Key") != "" {
		t.Fatal("a contact update got an Idempotency-Key")
	}
}

func TestRateLimitIsRetried(t *testing.T) {
	fake := loopstest.New(t, loopstest.WithTransactional("tx_receipt", "amount"))
	fake.RateLimitNext(1, time.Second)
	resp, j := send(t, fake, prepared(t, fake, "msg_r", "USD 1.00"))
	if resp.Status != 429 || j.Outcome != "retried" || !strings.Contains(j.Reason, "10 requests per second") {
		t.Fatalf("answer %d judged %+v", resp.Status, j)
	}
	if _, j := send(t, fake, prepared(t, fake, "msg_r", "USD 1.00")); j.Outcome != "accepted" {
		t.Fatalf("after the limit: %+v", j)
	}
}
