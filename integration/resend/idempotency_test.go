package resend_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/resend"
	"github.com/hookbridge/hookbridge/integration/resend/resendtest"
)

// prepared is a receipt email prepared for the fake with the delivery's
// idempotency key.
func prepared(t *testing.T, fake *resendtest.Server, key, subject string) *hookbridge.OutboundRequest {
	t.Helper()
	req := &hookbridge.OutboundRequest{Method: "POST", URL: resend.DefaultURL,
		Body: []byte(`{"from":"Billing <billing@example.com>","to":["jane.doe@example.com"],"subject":"` + subject + `","html":"<p>Thanks</p>"}`)}
	if err := resend.New().Prepare(req, fake.Credentials(), hookbridge.SendContext{IdempotencyKey: key}); err != nil {
		t.Fatal(err)
	}
	return req
}

func send(t *testing.T, fake *resendtest.Server, req *hookbridge.OutboundRequest) (delivery.Response, delivery.Judgement) {
	t.Helper()
	sender := &delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}
	resp := sender.Send(context.Background(), req)
	return resp, delivery.Judge(resend.New(), req, resp)
}

// A retried delivery carries the same key, and Resend answers it as the
// first time without sending a second email.
func TestRetriedDeliveryIsSentOnce(t *testing.T) {
	fake := resendtest.New(t)
	first := prepared(t, fake, "msg_2Wq7Lx4Nt9Kr3Vm6", "Your receipt")
	retry := prepared(t, fake, "msg_2Wq7Lx4Nt9Kr3Vm6", "Your receipt")
	if first.Header("Idempotency-Key") != "msg_2Wq7Lx4Nt9Kr3Vm6" || retry.Header("Idempotency-Key") != first.Header("Idempotency-Key") {
		t.Fatalf("keys %q and %q", first.Header("Idempotency-Key"), retry.Header("Idempotency-Key"))
	}
	r1, j1 := send(t, fake, first)
	r2, j2 := send(t, fake, retry)
	if j1.Outcome != "accepted" || j2.Outcome != "accepted" || r1.Body != r2.Body {
		t.Fatalf("answers %d %s (%s) and %d %s (%s)", r1.Status, r1.Body, j1.Outcome, r2.Status, r2.Body, j2.Outcome)
	}
	if n := len(fake.Sent()); n != 1 {
		t.Fatalf("the fake sent %d emails, want 1", n)
	}
}

// The same key with another email is Resend's 409, read as a failure
// whose fix names the cause.
func TestSameKeyOtherEmailFails(t *testing.T) {
	fake := resendtest.New(t)
	send(t, fake, prepared(t, fake, "msg_k", "Your receipt"))
	resp, j := send(t, fake, prepared(t, fake, "msg_k", "Your receipt, again"))
	if resp.Status != 409 || j.Outcome != "failed" || !strings.Contains(j.Reason, "invalid_idempotent_request") || !strings.Contains(j.Reason, "depend on the event only") {
		t.Fatalf("answer %d %s judged %+v", resp.Status, resp.Body, j)
	}
	if n := len(fake.Sent()); n != 1 {
		t.Fatalf("the fake sent %d emails, want 1", n)
	}
}

// A handler's own Idempotency-Key is kept.
func TestHandlerKeyIsKept(t *testing.T) {
	req := &hookbridge.OutboundRequest{Method: "POST", URL: resend.DefaultURL, Headers: map[string]string{"Idempotency-Key": "receipt/pay_1"}}
	if err := resend.New().Prepare(req, hookbridge.Credentials{"api_key": "re_x"}, hookbridge.SendContext{IdempotencyKey: "msg_1"}); err != nil {
		t.Fatal(err)
	}
	if req.Header("Idempotency-Key") != "receipt/pay_1" {
		t.Fatalf("Idempotency-Key = %q", req.Header("Idempotency-Key"))
	}
}

func TestRateLimitIsRetried(t *testing.T) {
	fake := resendtest.New(t)
	fake.RateLimitNext(1, 2*time.Second)
	resp, j := send(t, fake, prepared(t, fake, "msg_r", "Your receipt"))
	if resp.Status != 429 || j.Outcome != "retried" || resp.Headers["Retry-After"] != "2" {
		t.Fatalf("answer %d %v judged %+v", resp.Status, resp.Headers, j)
	}
	if _, j := send(t, fake, prepared(t, fake, "msg_r", "Your receipt")); j.Outcome != "accepted" {
		t.Fatalf("after the limit: %+v", j)
	}
}

func TestWrongKeyIsRefused(t *testing.T) {
	fake := resendtest.New(t)
	req := &hookbridge.OutboundRequest{Method: "POST", URL: resend.DefaultURL, Body: []byte(`{}`)}
	if err := resend.New().Prepare(req, hookbridge.Credentials{"api_key": "re_wrong"}, hookbridge.SendContext{}); err != nil {
		t.Fatal(err)
	}
	resp, j := send(t, fake, req)
	if resp.Status != 403 || j.Outcome != "failed" || !strings.Contains(j.Reason, "API Keys") {
		t.Fatalf("answer %d judged %+v", resp.Status, j)
	}
}
