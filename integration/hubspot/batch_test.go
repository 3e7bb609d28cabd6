package hubspot_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/hubspot"
	"github.com/hookbridge/hookbridge/integration/hubspot/hubspottest"
)

func batcherOf(t *testing.T) hookbridge.Batcher {
	t.Helper()
	b, ok := hubspot.New().(hookbridge.Batcher)
	if !ok {
		t.Fatal("the hubspot integration does not batch")
	}
	if b.BatchLimits().MaxItems != 100 {
		t.Errorf("MaxItems = %d, want HubSpot's 100", b.BatchLimits().MaxItems)
	}
	return b
}

func TestContactUpsertsGoInOneBatch(t *testing.T) {
	fake := hubspottest.New(t)
	b := batcherOf(t)
	var items [][]byte
	var like *hookbridge.OutboundRequest
	for _, et := range []string{"payment.succeeded", "subscription.active", "refund.succeeded"} {
		template := "contact-payments"
		if et == "subscription.active" {
			template = "subscription-status"
		}
		req := run(t, fake.Credentials(), template, et, "k_"+et)
		item, ok := b.BatchItem(req)
		if !ok {
			t.Fatalf("%s cannot go in a batch", et)
		}
		items, like = append(items, item), req
	}
	batch, err := b.BatchRequest(like, items)
	if err != nil {
		t.Fatal(err)
	}
	if ps := hookbridge.Blocking(hubspot.New().Validate(batch, time.Now())); len(ps) != 0 {
		t.Fatalf("the validator blocks the batch: %+v\n%s", ps, batch.Body)
	}
	var body struct {
		Inputs []map[string]any `json:"inputs"`
	}
	if err := json.Unmarshal(batch.Body, &body); err != nil || len(body.Inputs) != 1 {
		t.Fatalf("three deliveries for one contact should merge into one input: %s", batch.Body)
	}
	if _, j := send(t, fake, batch); j.Outcome != "accepted" {
		t.Fatalf("%s", j.Reason)
	}
	c, _ := fake.Contact("jane.doe@example.com")
	if c["last_payment_amount"] != 32.65 || c["subscription_status"] != "active" || c["last_refund_amount"] != 15.0 {
		t.Errorf("contact after the batch: %v", c)
	}
}

func TestLaterDeliveriesWinInAMergedInput(t *testing.T) {
	b := batcherOf(t)
	items := [][]byte{
		[]byte(`{"idProperty":"email","id":"a@example.com","properties":{"subscription_status":"active","subscription_id":"sub_1"}}`),
		[]byte(`{"idProperty":"email","id":"b@example.com","properties":{"subscription_status":"active"}}`),
		[]byte(`{"idProperty":"email","id":"A@example.com","properties":{"subscription_status":"cancelled"}}`),
	}
	batch, err := b.BatchRequest(&hookbridge.OutboundRequest{URL: upsertURL, Headers: map[string]string{"Authorization": "Bearer t"}}, items)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Inputs []struct {
			ID         string         `json:"id"`
			Properties map[string]any `json:"properties"`
		} `json:"inputs"`
	}
	if err := json.Unmarshal(batch.Body, &body); err != nil {
		t.Fatal(err)
	}
	if len(body.Inputs) != 2 || body.Inputs[0].Properties["subscription_status"] != "cancelled" || body.Inputs[0].Properties["subscription_id"] != "sub_1" {
		t.Errorf("merged batch: %s", batch.Body)
	}
	if batch.Headers["Authorization"] != "Bearer t" {
		t.Error("the batch lost the token")
	}
}

func TestOnlySingleContactUpsertsGoInABatch(t *testing.T) {
	b := batcherOf(t)
	two := `{"inputs":[{"idProperty":"email","id":"a@example.com","properties":{}},{"idProperty":"email","id":"b@example.com","properties":{}}]}`
	for _, req := range []*hookbridge.OutboundRequest{
		{Method: "POST", URL: eventURL, Body: []byte(validEvent)},
		{Method: "POST", URL: taskURL, Body: []byte(validTask)},
		{Method: "POST", URL: upsertURL, Body: []byte(two)},
		{Method: "GET", URL: upsertURL, Body: []byte(upsertOf(validInput))},
	} {
		if _, ok := b.BatchItem(req); ok {
			t.Errorf("%s %s went in a batch", req.Method, req.URL)
		}
	}
}

func TestTheFakeRefusesMoreThan100Inputs(t *testing.T) {
	fake := hubspottest.New(t)
	inputs := make([]string, 101)
	for i := range inputs {
		inputs[i] = fmt.Sprintf(`{"idProperty":"email","id":"c%d@example.com","properties":{}}`, i)
	}
	req := &hookbridge.OutboundRequest{Method: "POST", URL: upsertURL, Body: []byte(upsertOf(inputs...)),
		Headers: map[string]string{"Authorization": "Bearer " + hubspottest.Token, "Content-Type": "application/json"}}
	if resp, j := send(t, fake, req); resp.Status != 400 || j.Outcome != "failed" {
		t.Errorf("101 inputs: %d %s", resp.Status, j.Reason)
	}
}
