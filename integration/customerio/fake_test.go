package customerio

// The templates against the fake Track API, which applies identifies the
// way Customer.io does: each attribute keeps the value of the newest
// timestamp, whatever order the calls arrive or a batch is applied in.

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/customerio/customeriotest"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
)

// withPaymentAt is withPayment at another envelope time.
func withPaymentAt(t *testing.T, minorUnits int64, at time.Time) []byte {
	t.Helper()
	b := withPayment(t, minorUnits, "USD")
	return bytes.Replace(b, []byte(sampleTime.Format("2006-01-02T15:04:05.000000Z")), []byte(at.Format("2006-01-02T15:04:05.000000Z")), 1)
}

// sendBatch runs tpl on each payload, batches the operations as the
// dispatcher does and sends the batch to the fake.
func sendBatch(t *testing.T, fake *customeriotest.Server, tpl hookbridge.Template, payloads [][]byte) {
	t.Helper()
	in := New()
	batcher := in.(hookbridge.Batcher)
	var items [][]byte
	var like *hookbridge.OutboundRequest
	for i, payload := range payloads {
		c := sc
		c.IdempotencyKey = hookbridge.IdempotencyKey("msg_"+string(rune('a'+i)), "ep_1", sampleTime)
		req, changed := templatetest.RunPrepared(t, in, tpl, "payment.succeeded", payload, DefaultURL, fake.Credentials(), c)
		if !changed {
			t.Fatal("the template did not handle payment.succeeded")
		}
		item, ok := batcher.BatchItem(req)
		if !ok {
			t.Fatalf("not batchable: %s", req.URL)
		}
		items, like = append(items, item), req
	}
	batch, err := batcher.BatchRequest(like, items)
	if err != nil {
		t.Fatal(err)
	}
	httpReq, _ := http.NewRequest(batch.Method, batch.URL, bytes.NewReader(batch.Body))
	for k, v := range batch.Headers {
		httpReq.Header.Set(k, v)
	}
	resp, err := fake.Client().Do(httpReq)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("batch answered %d %s", resp.StatusCode, body)
	}
}

// Payments of 10, 20 and 30 sent in one batch, applied as 10, 30, 20 (as
// seen in issue 16): with the event time as the identify's timestamp the
// profile ends with the newest payment's values; without one (the
// documentation's handler) it falls back to the 20 — which shows the fake
// applies the order it is asked to.
func TestCustomerAttributesKeepTheNewestPaymentDespiteReordering(t *testing.T) {
	payments := [][]byte{
		withPaymentAt(t, 1000, sampleTime),
		withPaymentAt(t, 2000, sampleTime.Add(time.Minute)),
		withPaymentAt(t, 3000, sampleTime.Add(2*time.Minute)),
	}
	reorder := customeriotest.WithBatchOrder(func(n int) []int { return []int{0, 2, 1} })
	const customer = "cus_8VbC6JDZzPEqfBPUdpj0K"

	fake := customeriotest.New(t, reorder)
	sendBatch(t, fake, templateByID(t, "customer-attributes"), payments)
	profile := fake.Profile(customer)
	if profile["last_payment_amount"] != float64(30) {
		t.Errorf("customer-attributes: last_payment_amount = %v, want 30 (the newest payment)", profile["last_payment_amount"])
	}
	if at, ok := fake.TimestampAttribute(customer, "last_payment_at"); !ok || !at.Equal(sampleTime.Add(2*time.Minute).Truncate(time.Second)) {
		t.Errorf("customer-attributes: last_payment_at = %v (a timestamp: %v), want the newest payment's time", at, ok)
	}
	if amount, ok := fake.NumberAttribute(customer, "last_payment_amount"); !ok || amount != 30 {
		t.Errorf("customer-attributes: last_payment_amount as a number = %v, %v", amount, ok)
	}

	docs := customeriotest.New(t, reorder)
	sendBatch(t, docs, templateByID(t, "docs-customer-attributes"), payments)
	if got := docs.Profile(customer)["total_spent"]; got != "20.00" {
		t.Errorf("documentation handler: total_spent = %v; want the fake to have applied the batch as 10, 30, 20, leaving \"20.00\"", got)
	}
	if _, ok := docs.NumberAttribute(customer, "total_spent"); ok {
		t.Error("documentation handler: total_spent, sent as text, compares as a number")
	}
	if _, ok := docs.TimestampAttribute(customer, "customer_since"); ok {
		t.Error("documentation handler: customer_since, sent as ISO 8601 text, matches a timestamp condition")
	}
}
