package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge/catalog"
)

// BenchmarkPreview500 replays a draft of Segment's payment template beside
// the live one over 500 real payment.succeeded messages of about 1.6 KB:
// the dashboard's "try on the last events" at its largest. The issue's
// bound is 2 s per preview on a 2-core machine.
func BenchmarkPreview500(b *testing.B) {
	tn := newTenants(b, nil, time.Second, 0)
	var ep struct {
		ID string `json:"id"`
	}
	a := tn.call(b, "quiet", "POST", "/api/v1/apps/quiet/endpoints", map[string]any{
		"integration": "segment", "template": "payment-events", "credentials": map[string]string{"write_key": "wk_bench"},
		"event_types": []string{"payment.succeeded"},
	})
	if a.status != http.StatusCreated {
		b.Fatalf("create endpoint: %d %v", a.status, a.body)
	}
	ep.ID, _ = a.body["id"].(string)
	created := a
	et, _ := catalog.Lookup("payment.succeeded")
	for i := range 500 {
		if a := tn.call(b, "quiet", "POST", "/api/v1/apps/quiet/messages", map[string]any{
			"event_type": "payment.succeeded", "payload": et.Sample, "event_id": fmt.Sprintf("evt_%d", i),
		}); a.status != http.StatusAccepted {
			b.Fatalf("post message: %d %v", a.status, a.body)
		}
	}
	tr, _ := created.body["transformation"].(map[string]any)
	code, _ := tr["code"].(string)
	draft := code + "\n// draft\n"
	b.ResetTimer()
	for b.Loop() {
		a := tn.call(b, "quiet", "POST", "/api/v1/apps/quiet/endpoints/"+ep.ID+"/transformation/preview",
			map[string]any{"code": draft, "limit": 500})
		if a.status != http.StatusOK {
			b.Fatalf("preview: %d %v", a.status, a.body)
		}
		if items, _ := a.body["items"].([]any); len(items) != 500 {
			b.Fatalf("%d items, want 500", len(items))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/preview")
}
