package customerio_test

import (
	"maps"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/customerio"
)

// entityEvent is a payment event as the built-in template sends it to
// Customer.io's Track API v2.
const entityEvent = `{"type":"person","identifiers":{"id":"cus_8VbC6JDZzPEqfBPUdpj0K"},"action":"event","name":"Payment Completed",` +
	`"attributes":{"email":"jose.muller@example.com","name":"José Müller","payment_amount":29.99,"payment_method":"card",` +
	`"payment_id":"pay_2IjeQm4hqU6RA4Z4kwDee","currency":"USD"}}`

// BenchmarkPrepareAndValidate is what the planner does with a transformed
// event before sending it: route it to the region's host, add Basic auth
// and the event id, then check it as Customer.io would.
func BenchmarkPrepareAndValidate(b *testing.B) {
	in := customerio.New()
	creds := hookbridge.Credentials{customerio.FieldSiteID: "site123", customerio.FieldAPIKey: "key456", customerio.FieldRegion: customerio.RegionUS}
	now := time.Now()
	sc := hookbridge.SendContext{IdempotencyKey: hookbridge.IdempotencyKey("msg_1", "ep_1", now), MessageID: "msg_1", Now: now}
	headers := map[string]string{"Content-Type": "application/json"}
	b.SetBytes(int64(len(entityEvent)))
	for b.Loop() {
		req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://" + customerio.HostUS + "/api/v2/entity",
			Headers: maps.Clone(headers), Body: []byte(entityEvent)}
		if err := in.Prepare(req, creds, sc); err != nil {
			b.Fatal(err)
		}
		if problems := in.Validate(req, now); len(problems) != 0 {
			b.Fatalf("problems: %+v", problems)
		}
	}
}
