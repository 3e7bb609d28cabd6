package mixpanel_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/mixpanel"
	"github.com/hookbridge/hookbridge/integration/mixpanel/mixpaneltest"
)

// Prepare, Validate, BatchItem and ReadAnswer of one delivery read its
// body once.
func TestADeliveryReadsItsBodyOnce(t *testing.T) {
	in := mixpanel.New()
	creds := mixpaneltest.New(t).Credentials()
	sc := hookbridge.SendContext{IdempotencyKey: "idem_1", MessageID: "msg_1", Now: time.Now()}
	refused := hookbridge.Answer{Status: http.StatusBadRequest, Body: []byte(`{"code":400,"failed_records":[{"index":0,"message":"x"}]}`)}
	for _, tc := range []struct{ template, eventType string }{
		{"payment-events", "payment.succeeded"},
		{"subscription-events", "subscription.active"},
		{"refund-events", "refund.succeeded"},
		{"dispute-events", "dispute.opened"},
	} {
		et, ok := catalog.Lookup(tc.eventType)
		if !ok {
			t.Fatalf("no event type %s", tc.eventType)
		}
		req, changed := templatetest.RunPrepared(t, in, templatetest.ByID(t, in, tc.template), tc.eventType, et.Sample, mixpanel.DefaultURL, creds, sc)
		if !changed {
			t.Fatalf("%s left %s unchanged", tc.template, tc.eventType)
		}
		if ps := hookbridge.Blocking(in.Validate(req, time.Now())); len(ps) != 0 {
			t.Fatalf("%s: %+v", tc.template, ps)
		}
		if _, ok := in.(hookbridge.Batcher).BatchItem(req); !ok {
			t.Fatalf("%s: the event cannot go in a batch", tc.template)
		}
		hookbridge.ReadAnswer(in, req, refused)
		if req.BodyReads() != 1 {
			t.Errorf("%s on %s: the body was read %d times", tc.template, tc.eventType, req.BodyReads())
		}
	}
}

// A handler's one event becomes an array of one, the event's bytes in a
// batch as the import sends them.
func TestOneEventIsImportedAsAnArrayAndBatchedAsItIs(t *testing.T) {
	req := prepared(t, mixpanel.DefaultURL, validEvent(map[string]string{"$insert_id": "-"}))
	item, ok := mixpanel.New().(hookbridge.Batcher).BatchItem(req)
	if !ok || "["+string(item)+"]" != string(req.Body) || req.BodyReads() != 1 {
		t.Fatalf("body %s, item %s (%v), %d reads: want the body's one event", req.Body, item, ok, req.BodyReads())
	}
}
