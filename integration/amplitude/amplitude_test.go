package amplitude_test

import (
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/amplitude"
	"github.com/hookbridge/hookbridge/integration/amplitude/amplitudetest"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
)

func TestEveryTemplateIsImportedByTheFake(t *testing.T) {
	for _, region := range []string{"us", "eu"} {
		t.Run(region, func(t *testing.T) {
			fake := amplitudetest.New(t, amplitudetest.WithRegion(region))
			integ := amplitude.New()
			sent := kittest.Templates(t, integ, fake.Credentials(), fake.Client())
			if len(sent) != 24 || len(fake.Events()) != 24 {
				t.Fatalf("%d requests, %d events imported; want 24 of each (every event type the templates list)", len(sent), len(fake.Events()))
			}
			for _, s := range sent {
				kittest.SecretsMasked(t, integ, fake.Credentials(), s.Request)
			}
		})
	}
}

func TestTemplateAmountsAreInTheCurrencysOwnUnits(t *testing.T) {
	fake := amplitudetest.New(t)
	kittest.Templates(t, amplitude.New(), fake.Credentials(), fake.Client())
	want := map[string]string{"Payment Processing": "4980", "Payment Cancelled": "19.99", "Payment Completed": "32.65", "Dispute Opened": "4980"}
	for _, ev := range fake.Events() {
		if w, ok := want[ev.Type]; ok {
			if got := jsonNumber(ev.Fields["event_properties"].(map[string]any)["amount"]); got != w {
				t.Errorf("%s amount %s, want %s", ev.Type, got, w)
			}
		}
	}
}

func jsonNumber(v any) string {
	if n, ok := v.(interface{ String() string }); ok {
		return n.String()
	}
	return ""
}

// TestADeliveryReadsItsBodyOnce: Prepare, Validate, the batcher and the
// reading of a refusal read a template's request once between them.
func TestADeliveryReadsItsBodyOnce(t *testing.T) {
	integ := amplitude.New()
	creds := amplitudetest.New(t).Credentials()
	refused := hookbridge.Answer{Status: 400, Body: []byte(`{"code":400,"error":"x","events_with_invalid_fields":{"time":[0]}}`)}
	for _, c := range []struct{ template, eventType string }{
		{"payment-events", "payment.succeeded"},
		{"subscription-events", "subscription.active"},
		{"refund-events", "refund.succeeded"},
		{"dispute-events", "dispute.opened"},
	} {
		templatetest.ReadsOnce(t, integ, c.template, c.eventType, creds, refused)
	}
}
