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

func batcher(t *testing.T) hookbridge.Batcher {
	b, ok := resend.New().(hookbridge.Batcher)
	if !ok {
		t.Fatal("the Resend integration is not a Batcher")
	}
	return b
}

// items prepares one email per sender and turns each into a batch item.
func items(t *testing.T, fake *resendtest.Server, froms ...string) (*hookbridge.OutboundRequest, [][]byte) {
	t.Helper()
	var first *hookbridge.OutboundRequest
	var out [][]byte
	for i, from := range froms {
		req := &hookbridge.OutboundRequest{Method: "POST", URL: resend.DefaultURL,
			Body: []byte(`{"from":"` + from + `","to":"jane.doe@example.com","subject":"Receipt ` + string(rune('A'+i)) + `","html":"<p>x</p>"}`)}
		if err := resend.New().Prepare(req, fake.Credentials(), hookbridge.SendContext{IdempotencyKey: "msg_" + string(rune('a'+i))}); err != nil {
			t.Fatal(err)
		}
		item, ok := batcher(t).BatchItem(req)
		if !ok {
			t.Fatalf("email %d cannot go in a batch", i)
		}
		if first == nil {
			first = req
		}
		out = append(out, item)
	}
	return first, out
}

func TestBatchItemRefusesWhatTheBatchEndpointDoesNot(t *testing.T) {
	b := batcher(t)
	cases := map[string]*hookbridge.OutboundRequest{
		"attachments": {Method: "POST", URL: resend.DefaultURL, Body: []byte(`{"attachments":[]}`)},
		"scheduled":   {Method: "POST", URL: resend.DefaultURL, Body: []byte(`{"scheduled_at":"in 1 min"}`)},
		"a batch":     {Method: "POST", URL: "https://api.resend.com/emails/batch", Body: []byte(`[]`)},
		"elsewhere":   {Method: "POST", URL: "https://example.org/emails", Body: []byte(`{}`)},
		"not POST":    {Method: "GET", URL: resend.DefaultURL},
		"not JSON":    {Method: "POST", URL: resend.DefaultURL, Body: []byte(`nope`)},
	}
	for name, req := range cases {
		if _, ok := b.BatchItem(req); ok {
			t.Errorf("%s: taken into a batch", name)
		}
	}
	if l := b.BatchLimits(); l.MaxItems != 100 || l.MaxItemBytes <= 0 {
		t.Errorf("limits %+v", l)
	}
}

// One email of three has an unverified sender: Resend (permissive mode)
// sends the other two and names the bad one by index, and each delivery
// gets its own outcome.
func TestBatchPartialFailureIsPerItem(t *testing.T) {
	fake := resendtest.New(t)
	b := batcher(t)
	like, its := items(t, fake, "billing@example.com", "billing@unverified.dev", "billing@example.com")
	req, err := b.BatchRequest(like, its)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(req.URL, "/emails/batch") || req.Header("Authorization") == "" || req.Header("x-batch-validation") != "permissive" {
		t.Fatalf("batch request %s %v", req.URL, req.Headers)
	}
	if req.Header("Idempotency-Key") != resend.BatchIdempotencyKey(req.Body) || req.Header("Idempotency-Key") == like.Header("Idempotency-Key") {
		t.Fatalf("batch Idempotency-Key = %q", req.Header("Idempotency-Key"))
	}
	if ps := hookbridge.Blocking(resend.New().Validate(req, time.Now())); len(ps) != 0 {
		t.Fatalf("the batch does not validate: %+v", ps)
	}
	sender := &delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}
	resp := sender.Send(context.Background(), req)
	if resp.Status != 200 {
		t.Fatalf("answer %d %s", resp.Status, resp.Body)
	}
	errs := b.SplitBatchResponse(resp.Status, []byte(resp.Body), 3)
	if len(errs) != 3 || errs[0] != "" || !strings.Contains(errs[1], "unverified.dev domain is not verified") || errs[2] != "" {
		t.Fatalf("item errors %q", errs)
	}
	if n := len(fake.Sent()); n != 2 {
		t.Fatalf("sent %d emails, want 2", n)
	}
	// The same batch sent again (its answer was lost) sends nothing more.
	again, _ := b.BatchRequest(like, its)
	if resp2 := sender.Send(context.Background(), again); resp2.Status != 200 || resp2.Body != resp.Body || len(fake.Sent()) != 2 {
		t.Fatalf("the repeated batch: %d %s, %d sent", resp2.Status, resp2.Body, len(fake.Sent()))
	}
}

// Without permissive mode Resend refuses the whole batch for one bad
// email: the answer applies to every item.
func TestStrictBatchFailsWhole(t *testing.T) {
	fake := resendtest.New(t)
	b := batcher(t)
	like, its := items(t, fake, "billing@example.com", "billing@unverified.dev")
	req, _ := b.BatchRequest(like, its)
	delete(req.Headers, "x-batch-validation")
	resp := (&delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}).Send(context.Background(), req)
	if resp.Status != 403 || b.SplitBatchResponse(resp.Status, []byte(resp.Body), 2) != nil || len(fake.Sent()) != 0 {
		t.Fatalf("answer %d %s, %d sent", resp.Status, resp.Body, len(fake.Sent()))
	}
}

func TestSplitBatchResponseWithoutErrors(t *testing.T) {
	b := batcher(t)
	if got := b.SplitBatchResponse(200, []byte(`{"data":[{"id":"a"},{"id":"b"}],"errors":[]}`), 2); got != nil {
		t.Errorf("got %q", got)
	}
	if got := b.SplitBatchResponse(422, []byte(`{"name":"validation_error"}`), 2); got != nil {
		t.Errorf("got %q", got)
	}
}
