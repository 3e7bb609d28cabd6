package mixpanel_test

import (
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/mixpanel"
	"github.com/hookbridge/hookbridge/integration/mixpanel/mixpaneltest"
)

// TestADeliveryReadsItsBodyOnce: Prepare, Validate, the batcher and the
// reading of a refusal read a template's request once between them.
func TestADeliveryReadsItsBodyOnce(t *testing.T) {
	integ := mixpanel.New()
	creds := mixpaneltest.New(t).Credentials()
	refused := hookbridge.Answer{Status: 400, Body: []byte(`{"code":400,"failed_records":[{"index":0,"message":"x"}]}`)}
	for _, c := range []struct{ template, eventType string }{
		{"payment-events", "payment.succeeded"},
		{"subscription-events", "subscription.active"},
		{"refund-events", "refund.succeeded"},
		{"dispute-events", "dispute.opened"},
	} {
		templatetest.ReadsOnce(t, integ, c.template, c.eventType, creds, refused)
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
