package webhook_test

import (
	"maps"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/integration/webhook"
	"github.com/hookbridge/hookbridge/signing"
)

// BenchmarkPrepareAndValidate is what the planner does with an event for
// a plain webhook endpoint: sign the catalogue's payment.succeeded sample
// (about 1.5 KB) as a Standard Webhook and check the request.
func BenchmarkPrepareAndValidate(b *testing.B) {
	in := webhook.New()
	secret, err := signing.GenerateSecret()
	if err != nil {
		b.Fatal(err)
	}
	sample, ok := catalog.Lookup("payment.succeeded")
	if !ok {
		b.Fatal("no payment.succeeded sample")
	}
	creds := hookbridge.Credentials{webhook.FieldSigningSecret: secret}
	now := time.Now()
	sc := hookbridge.SendContext{IdempotencyKey: hookbridge.IdempotencyKey("msg_1", "ep_1", now), MessageID: "msg_1", Now: now}
	headers := map[string]string{"Content-Type": "application/json"}
	b.SetBytes(int64(len(sample.Sample)))
	for b.Loop() {
		req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://hooks.example.com/in", Headers: maps.Clone(headers), Body: sample.Sample}
		if err := in.Prepare(req, creds, sc); err != nil {
			b.Fatal(err)
		}
		if problems := in.Validate(req, now); len(problems) != 0 {
			b.Fatalf("problems: %+v", problems)
		}
	}
}
