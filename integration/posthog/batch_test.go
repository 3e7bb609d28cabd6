package posthog_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/posthog"
	"github.com/hookbridge/hookbridge/integration/posthog/posthogtest"
)

func TestBatchCarriesEachEventOnceAndTheKeyOnce(t *testing.T) {
	fake := posthogtest.New(t, posthogtest.WithRegion("eu"))
	in := posthog.New()
	b := in.(hookbridge.Batcher)
	var items [][]byte
	var like *hookbridge.OutboundRequest
	for _, key := range []string{"idem_a", "idem_b", "idem_c"} {
		req := prepared(t, fake.Credentials(), key)
		like = req
		item, ok := b.BatchItem(req)
		if !ok {
			t.Fatalf("a prepared event cannot go in a batch: %s", req.Body)
		}
		if strings.Contains(string(item), "api_key") {
			t.Errorf("the item carries the key: %s", item)
		}
		items = append(items, item)
	}
	batch, err := b.BatchRequest(like, items)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(batch.URL, "https://eu.i.posthog.com/batch/") || strings.Count(string(batch.Body), posthogtest.APIKey) != 1 {
		t.Fatalf("batch %s %s", batch.URL, batch.Body)
	}
	if ps := hookbridge.Blocking(in.Validate(batch, time.Now())); len(ps) != 0 {
		t.Fatalf("the validator blocks the batch: %+v", ps)
	}
	sender := &delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}
	for range 2 { // the second is a retry of the whole batch
		if resp := sender.Send(context.Background(), batch); delivery.Judge(in, batch, resp).Outcome != "accepted" {
			t.Fatalf("answered %d %s", resp.Status, resp.Body)
		}
	}
	if len(fake.Accepted()) != 3 || len(fake.Duplicates()) != 3 {
		t.Errorf("accepted %d, duplicates %d; want 3 and 3", len(fake.Accepted()), len(fake.Duplicates()))
	}
	var uuids []string
	for _, ev := range fake.Accepted() {
		uuids = append(uuids, ev.UUID)
	}
	if uuids[0] == uuids[1] || uuids[1] == uuids[2] {
		t.Errorf("batch events share a uuid: %v", uuids)
	}
}

func TestOnlySingleEventsGoInABatch(t *testing.T) {
	b := posthog.New().(hookbridge.Batcher)
	for _, req := range []*hookbridge.OutboundRequest{
		{Method: "POST", URL: "https://us.i.posthog.com/batch/", Body: []byte(`{"batch":[]}`)},
		{Method: "GET", URL: "https://us.i.posthog.com/i/v0/e/", Body: []byte(`{}`)},
		{Method: "POST", URL: "https://us.i.posthog.com/i/v0/e/", Body: []byte(`[]`)},
		{Method: "POST", URL: "https://us.i.posthog.com/decide/", Body: []byte(`{}`)},
	} {
		if _, ok := b.BatchItem(req); ok {
			t.Errorf("%s %s %s went in a batch", req.Method, req.URL, req.Body)
		}
	}
}

func TestPrepareGivesEachEventOfAHandlersBatchItsOwnUUID(t *testing.T) {
	req := &hookbridge.OutboundRequest{URL: "https://us.i.posthog.com/batch/", Body: []byte(`{"batch":[{"event":"a","distinct_id":"c"},{"event":"b","distinct_id":"c"}]}`)}
	if err := posthog.New().Prepare(req, hookbridge.Credentials{"api_key": "phc_k"}, hookbridge.SendContext{IdempotencyKey: "k"}); err != nil {
		t.Fatal(err)
	}
	var body struct {
		APIKey string           `json:"api_key"`
		Batch  []map[string]any `json:"batch"`
	}
	if err := json.Unmarshal(req.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.APIKey != "phc_k" || body.Batch[0]["uuid"] == nil || body.Batch[0]["uuid"] == body.Batch[1]["uuid"] {
		t.Errorf("prepared batch: %s", req.Body)
	}
}
