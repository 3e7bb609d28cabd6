package segment_test

import (
	"maps"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/segment"
)

// trackCall is what the source document's payment handler makes of a
// payment.succeeded event.
const trackCall = `{"userId":"cus_8VbC6JDZzPEqfBPUdpj0K","event":"Payment Completed","properties":{"amount":"29.99",` +
	`"currency":"USD","payment_method":"card","payment_id":"pay_2IjeQm4hqU6RA4Z4kwDee","customer_email":"jose.muller@example.com",` +
	`"customer_name":"José Müller"},"timestamp":"2025-08-04T05:30:45.182629Z"}`

// BenchmarkPrepareAndValidate is what the planner does with a transformed
// event before sending it: route it to the region's host, add the write
// key and the messageId, then check it as Segment would.
func BenchmarkPrepareAndValidate(b *testing.B) {
	in := segment.New()
	creds := hookbridge.Credentials{segment.FieldWriteKey: "bench-write-key", segment.FieldRegion: segment.RegionUS}
	now := time.Now()
	sc := hookbridge.SendContext{IdempotencyKey: hookbridge.IdempotencyKey("msg_1", "ep_1", now), MessageID: "msg_1", Now: now}
	headers := map[string]string{"Content-Type": "application/json"}
	b.SetBytes(int64(len(trackCall)))
	for b.Loop() {
		req := &hookbridge.OutboundRequest{Method: "POST", URL: segment.DefaultURL, Headers: maps.Clone(headers), Body: []byte(trackCall)}
		if err := in.Prepare(req, creds, sc); err != nil {
			b.Fatal(err)
		}
		// The source document's handler sends the amount as text, which
		// Segment takes with a warning; nothing may stop the request.
		if problems := hookbridge.Blocking(in.Validate(req, now)); len(problems) != 0 {
			b.Fatalf("problems: %+v", problems)
		}
	}
}
