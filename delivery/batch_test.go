package delivery_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
)

func batching(e *hookbridge.Endpoint) { e.Batching = true }

func TestDueDeliveriesGoToSegmentInOneBatch(t *testing.T) {
	r := newRig(t)
	e := r.segmentEndpoint(batching)
	var msgs []*hookbridge.Message
	for range 30 {
		msgs = append(msgs, r.post(""))
	}
	r.run()

	reqs := r.seg.Requests()
	if len(reqs) != 1 || reqs[0].Path != "/v1/batch" {
		t.Fatalf("Segment got %d requests (first to %s), want one to /v1/batch", len(reqs), reqs[0].Path)
	}
	accepted := map[string]bool{}
	for _, ev := range r.seg.Accepted() {
		if ev.Type != "track" {
			t.Errorf("batch event of type %q, want track (the template's /v1/track call)", ev.Type)
		}
		accepted[ev.MessageID] = true
	}
	for _, m := range msgs {
		d := r.deliveryOf(m, e)
		if d.Status != hookbridge.DeliverySucceeded || !accepted[key(m, e)] {
			t.Fatalf("delivery %+v: want succeeded, and Segment to hold its messageId", d)
		}
		atts := r.attempts(d)
		if len(atts) != 1 || atts[0].Batch == nil || atts[0].Batch.Size != 30 {
			t.Fatalf("attempts %+v, want one, in a batch of 30", atts)
		}
		a := atts[0]
		if !strings.HasSuffix(a.Request.URL, "/v1/batch") || a.Request.Headers["Authorization"] != "Basic ********" ||
			!strings.Contains(a.Request.Body, key(m, e)) || strings.Contains(a.Request.Body, `"batch"`) {
			t.Errorf("attempt request %+v: want the batch's URL and masked headers, and only this delivery's item", a.Request)
		}
	}
}

func TestBatchesKeepToTheirLimits(t *testing.T) {
	r := newRig(t, func(c *delivery.Config) { c.MaxBatch = 10 })
	r.segmentEndpoint(batching)
	for range 25 {
		r.post("")
	}
	r.run()
	sizes := []int{}
	for _, req := range r.seg.Requests() {
		var body struct {
			Batch []json.RawMessage `json:"batch"`
		}
		_ = json.Unmarshal(req.Body, &body)
		sizes = append(sizes, len(body.Batch))
	}
	total := 0
	for _, n := range sizes {
		if n > 10 {
			t.Errorf("a batch of %d, over the limit of 10: %v", n, sizes)
		}
		total += n
	}
	if total != 25 || len(r.seg.Accepted()) != 25 {
		t.Errorf("batches %v carried %d events (Segment accepted %d), want 25", sizes, total, len(r.seg.Accepted()))
	}
}

func TestCustomerIOPartialBatchFailsOnlyTheRefusedItem(t *testing.T) {
	r := newRig(t)
	e := r.customerioEndpoint(batching)
	msgs := []*hookbridge.Message{r.post(""), r.post(""), r.post("")}
	refusal := `{"errors":[{"batch_index":1,"reason":"invalid","field":"identifiers","message":"identifier is not valid"}]}`
	r.cio.RespondNext(1, http.StatusMultiStatus, http.Header{"Content-Type": {"application/json"}}, []byte(refusal))
	r.run()

	reqs := r.cio.Requests()
	if len(reqs) != 1 || reqs[0].Path != "/api/v2/batch" {
		t.Fatalf("Customer.io got %d requests, want one batch", len(reqs))
	}
	for i, m := range msgs {
		d := r.deliveryOf(m, e)
		atts := r.attempts(d)
		if len(atts) != 1 || atts[0].Batch == nil || atts[0].Batch.Index != i || atts[0].ResponseStatus != http.StatusMultiStatus {
			t.Fatalf("delivery %d attempts %+v, want one at batch index %d with the 207", i, atts, i)
		}
		if i == 1 {
			if d.Status != hookbridge.DeliveryFailed || !strings.Contains(d.LastError, "identifier is not valid") ||
				!strings.Contains(atts[0].Error, "batch index 1") {
				t.Errorf("the refused item: %+v (attempt error %q), want failed with Customer.io's reason", d, atts[0].Error)
			}
			continue
		}
		if d.Status != hookbridge.DeliverySucceeded || atts[0].Error != "" {
			t.Errorf("item %d: %s (%q), want succeeded", i, d.Status, atts[0].Error)
		}
	}
}

func TestCustomerIOBatchReachesTheTrackAPI(t *testing.T) {
	r := newRig(t)
	r.customerioEndpoint(batching)
	for range 5 {
		r.post("")
	}
	r.run()
	ops := r.cio.Accepted()
	if len(ops) != 5 || len(r.cio.Requests()) != 1 {
		t.Fatalf("Customer.io accepted %d operations in %d requests, want 5 in 1", len(ops), len(r.cio.Requests()))
	}
	ids := map[string]bool{}
	for _, op := range ops {
		if op.Route != "POST /api/v2/batch" || op.Action != "event" {
			t.Errorf("operation %+v, want an event in a v2 batch", op)
		}
		ids[op.ID] = true
	}
	if len(ids) != 5 {
		t.Errorf("%d distinct event ids among 5 operations: each needs its own idempotency key", len(ids))
	}
}
