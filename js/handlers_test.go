package js

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
)

// specCases are the six spec handlers on the events they handle. The
// expected bodies follow browser JavaScript: (n / 100).toFixed(2) of an
// integer n is n with two decimals (2999 → "29.99", 5 → "0.05", 1005 →
// "10.05", and 400 JPY → "4.00", since the handlers divide by 100 whatever
// the currency); `p.currency || "USD"` and `p.payment_method || "unknown"`
// fall back for a missing field, null and ""; names in any script survive
// byte for byte; and last_payment_date is the envelope's timestamp, read
// before webhook.payload is replaced.
var specCases = []struct {
	handler, event string
	url, body      string
}{
	{
		handler: "customerio-payment-succeeded.js", event: "payment_succeeded.json",
		url:  "https://track.customer.io/api/v2/entity",
		body: `{"type":"person","identifiers":{"id":"cus_8VbC6JDZzPEqfBPUdpj0K"},"action":"payment_completed","name":"Payment Completed","attributes":{"email":"jose.muller@example.com","name":"José Müller","payment_amount":"29.99","payment_method":"card","payment_id":"pay_2IjeQm4hqU6RA4Z4kwDee","currency":"USD"}}`,
	},
	{
		handler: "customerio-customer-attributes.js", event: "payment_succeeded.json",
		url:  "https://track.customer.io/api/v2/entity",
		body: `{"type":"person","identifiers":{"id":"cus_8VbC6JDZzPEqfBPUdpj0K"},"action":"identify","name":"Customer Identified","attributes":{"email":"jose.muller@example.com","name":"José Müller","total_spent":"29.99","payment_method":"card","last_payment_date":"2025-08-04T05:30:45.182629Z","customer_since":"2025-08-04T05:30:45.182629Z"}}`,
	},
	{
		handler: "segment-payment-succeeded.js", event: "payment_succeeded.json",
		url:  "https://api.segment.io/v1/track",
		body: `{"userId":"cus_8VbC6JDZzPEqfBPUdpj0K","event":"Payment Completed","properties":{"amount":"29.99","currency":"USD","payment_method":"card","payment_id":"pay_2IjeQm4hqU6RA4Z4kwDee","customer_email":"jose.muller@example.com","customer_name":"José Müller"},"timestamp":"2025-08-04T05:30:45.182629Z"}`,
	},
	{
		handler: "segment-identify-customer.js", event: "payment_succeeded.json",
		url:  "https://api.segment.io/v1/identify",
		body: `{"userId":"cus_8VbC6JDZzPEqfBPUdpj0K","traits":{"email":"jose.muller@example.com","name":"José Müller","total_spent":"29.99","payment_method":"card","last_payment_date":"2025-08-04T05:30:45.182629Z","customer_since":"2025-08-04T05:30:45.182629Z"}}`,
	},
	{
		handler: "customerio-payment-succeeded.js", event: "payment_succeeded_jpy.json",
		url:  "https://track.customer.io/api/v2/entity",
		body: `{"type":"person","identifiers":{"id":"cus_Y4m4d4T4r0Jp11x"},"action":"payment_completed","name":"Payment Completed","attributes":{"email":"taro.yamada@example.jp","name":"山田 太郎","payment_amount":"4.00","payment_method":"card","payment_id":"pay_Jpy400Xq7Lm2Nd","currency":"JPY"}}`,
	},
	{
		handler: "customerio-customer-attributes.js", event: "payment_succeeded_jpy.json",
		url:  "https://track.customer.io/api/v2/entity",
		body: `{"type":"person","identifiers":{"id":"cus_Y4m4d4T4r0Jp11x"},"action":"identify","name":"Customer Identified","attributes":{"email":"taro.yamada@example.jp","name":"山田 太郎","total_spent":"4.00","payment_method":"card","last_payment_date":"2025-08-04T05:30:45.182629Z","customer_since":"2025-08-04T05:30:45.182629Z"}}`,
	},
	{
		handler: "segment-payment-succeeded.js", event: "payment_succeeded_jpy.json",
		url:  "https://api.segment.io/v1/track",
		body: `{"userId":"cus_Y4m4d4T4r0Jp11x","event":"Payment Completed","properties":{"amount":"4.00","currency":"JPY","payment_method":"card","payment_id":"pay_Jpy400Xq7Lm2Nd","customer_email":"taro.yamada@example.jp","customer_name":"山田 太郎"},"timestamp":"2025-08-04T05:30:45.182629Z"}`,
	},
	{
		handler: "segment-identify-customer.js", event: "payment_succeeded_jpy.json",
		url:  "https://api.segment.io/v1/identify",
		body: `{"userId":"cus_Y4m4d4T4r0Jp11x","traits":{"email":"taro.yamada@example.jp","name":"山田 太郎","total_spent":"4.00","payment_method":"card","last_payment_date":"2025-08-04T05:30:45.182629Z","customer_since":"2025-08-04T05:30:45.182629Z"}}`,
	},
	{
		handler: "customerio-payment-succeeded.js", event: "payment_succeeded_no_currency.json",
		url:  "https://track.customer.io/api/v2/entity",
		body: `{"type":"person","identifiers":{"id":"cus_Zoe5Emoji2Zwj"},"action":"payment_completed","name":"Payment Completed","attributes":{"email":"zoe@example.org","name":"Zoë 👩🏽‍💻 Ng","payment_amount":"0.05","payment_method":"unknown","payment_id":"pay_Five5Cents0Usd","currency":"USD"}}`,
	},
	{
		handler: "customerio-customer-attributes.js", event: "payment_succeeded_no_currency.json",
		url:  "https://track.customer.io/api/v2/entity",
		body: `{"type":"person","identifiers":{"id":"cus_Zoe5Emoji2Zwj"},"action":"identify","name":"Customer Identified","attributes":{"email":"zoe@example.org","name":"Zoë 👩🏽‍💻 Ng","total_spent":"0.05","payment_method":"unknown","last_payment_date":"2025-08-04T05:30:45.182629Z","customer_since":"2025-08-04T05:30:45.182629Z"}}`,
	},
	{
		handler: "segment-payment-succeeded.js", event: "payment_succeeded_no_currency.json",
		url:  "https://api.segment.io/v1/track",
		body: `{"userId":"cus_Zoe5Emoji2Zwj","event":"Payment Completed","properties":{"amount":"0.05","currency":"USD","payment_method":"unknown","payment_id":"pay_Five5Cents0Usd","customer_email":"zoe@example.org","customer_name":"Zoë 👩🏽‍💻 Ng"},"timestamp":"2025-08-04T05:30:45.182629Z"}`,
	},
	{
		handler: "segment-identify-customer.js", event: "payment_succeeded_no_currency.json",
		url:  "https://api.segment.io/v1/identify",
		body: `{"userId":"cus_Zoe5Emoji2Zwj","traits":{"email":"zoe@example.org","name":"Zoë 👩🏽‍💻 Ng","total_spent":"0.05","payment_method":"unknown","last_payment_date":"2025-08-04T05:30:45.182629Z","customer_since":"2025-08-04T05:30:45.182629Z"}}`,
	},
	{
		handler: "customerio-payment-succeeded.js", event: "payment_succeeded_null_currency.json",
		url:  "https://track.customer.io/api/v2/entity",
		body: `{"type":"person","identifiers":{"id":"cus_Comb1n1ngMarks"},"action":"payment_completed","name":"Payment Completed","attributes":{"email":"zoe.nino@example.es","name":"Zoë Niño Åström","payment_amount":"10.05","payment_method":"card","payment_id":"pay_TenOhFive1005","currency":"USD"}}`,
	},
	{
		handler: "customerio-customer-attributes.js", event: "payment_succeeded_null_currency.json",
		url:  "https://track.customer.io/api/v2/entity",
		body: `{"type":"person","identifiers":{"id":"cus_Comb1n1ngMarks"},"action":"identify","name":"Customer Identified","attributes":{"email":"zoe.nino@example.es","name":"Zoë Niño Åström","total_spent":"10.05","payment_method":"card","last_payment_date":"2025-08-04T05:30:45.182629Z","customer_since":"2025-08-04T05:30:45.182629Z"}}`,
	},
	{
		handler: "segment-payment-succeeded.js", event: "payment_succeeded_null_currency.json",
		url:  "https://api.segment.io/v1/track",
		body: `{"userId":"cus_Comb1n1ngMarks","event":"Payment Completed","properties":{"amount":"10.05","currency":"USD","payment_method":"card","payment_id":"pay_TenOhFive1005","customer_email":"zoe.nino@example.es","customer_name":"Zoë Niño Åström"},"timestamp":"2025-08-04T05:30:45.182629Z"}`,
	},
	{
		handler: "segment-identify-customer.js", event: "payment_succeeded_null_currency.json",
		url:  "https://api.segment.io/v1/identify",
		body: `{"userId":"cus_Comb1n1ngMarks","traits":{"email":"zoe.nino@example.es","name":"Zoë Niño Åström","total_spent":"10.05","payment_method":"card","last_payment_date":"2025-08-04T05:30:45.182629Z","customer_since":"2025-08-04T05:30:45.182629Z"}}`,
	},
	{
		handler: "customerio-payment-succeeded.js", event: "payment_succeeded_empty_currency.json",
		url:  "https://track.customer.io/api/v2/entity",
		body: `{"type":"person","identifiers":{"id":"cus_Greek1999Ee"},"action":"payment_completed","name":"Payment Completed","attributes":{"email":"olympia@example.gr","name":"Ολυμπία Παπαδοπούλου","payment_amount":"19.99","payment_method":"unknown","payment_id":"pay_Nineteen99Ee","currency":"USD"}}`,
	},
	{
		handler: "customerio-customer-attributes.js", event: "payment_succeeded_empty_currency.json",
		url:  "https://track.customer.io/api/v2/entity",
		body: `{"type":"person","identifiers":{"id":"cus_Greek1999Ee"},"action":"identify","name":"Customer Identified","attributes":{"email":"olympia@example.gr","name":"Ολυμπία Παπαδοπούλου","total_spent":"19.99","payment_method":"unknown","last_payment_date":"2025-08-04T05:30:45.182629Z","customer_since":"2025-08-04T05:30:45.182629Z"}}`,
	},
	{
		handler: "segment-payment-succeeded.js", event: "payment_succeeded_empty_currency.json",
		url:  "https://api.segment.io/v1/track",
		body: `{"userId":"cus_Greek1999Ee","event":"Payment Completed","properties":{"amount":"19.99","currency":"USD","payment_method":"unknown","payment_id":"pay_Nineteen99Ee","customer_email":"olympia@example.gr","customer_name":"Ολυμπία Παπαδοπούλου"},"timestamp":"2025-08-04T05:30:45.182629Z"}`,
	},
	{
		handler: "segment-identify-customer.js", event: "payment_succeeded_empty_currency.json",
		url:  "https://api.segment.io/v1/identify",
		body: `{"userId":"cus_Greek1999Ee","traits":{"email":"olympia@example.gr","name":"Ολυμπία Παπαδοπούλου","total_spent":"19.99","payment_method":"unknown","last_payment_date":"2025-08-04T05:30:45.182629Z","customer_since":"2025-08-04T05:30:45.182629Z"}}`,
	},
	{
		handler: "customerio-subscription-lifecycle.js", event: "subscription_active.json",
		url:  "https://track.customer.io/api/v2/entity",
		body: `{"type":"person","identifiers":{"id":"cus_J4kL9mN2pQ7rS1tV"},"action":"subscription_started","name":"Subscription Started","attributes":{"email":"taro.yamada@example.jp","subscription_id":"sub_9Rk3Lm7Qp2Xw5Zt1","product_id":"pdt_Pro_Monthly_4Jd8","amount":"19.99","frequency":"Month","next_billing":"2025-10-01T09:15:27Z"}}`,
	},
	{
		handler: "segment-subscription-lifecycle.js", event: "subscription_active.json",
		url:  "https://api.segment.io/v1/track",
		body: `{"userId":"cus_J4kL9mN2pQ7rS1tV","event":"Subscription Started","properties":{"subscription_id":"sub_9Rk3Lm7Qp2Xw5Zt1","product_id":"pdt_Pro_Monthly_4Jd8","amount":"19.99","frequency":"Month","next_billing":"2025-10-01T09:15:27Z","customer_email":"taro.yamada@example.jp"},"timestamp":"2025-09-01T09:15:29.550301Z"}`,
	},
	{
		handler: "customerio-subscription-lifecycle.js", event: "subscription_cancelled.json",
		url:  "https://track.customer.io/api/v2/entity",
		body: `{"type":"person","identifiers":{"id":"cus_J4kL9mN2pQ7rS1tV"},"action":"subscription_cancelled","name":"Subscription Cancelled","attributes":{"email":"taro.yamada@example.jp","subscription_id":"sub_9Rk3Lm7Qp2Xw5Zt1","cancelled_at":"2025-09-14T16:20:11.004Z","cancel_at_next_billing":true}}`,
	},
	{
		handler: "segment-subscription-lifecycle.js", event: "subscription_cancelled.json",
		url:  "https://api.segment.io/v1/track",
		body: `{"userId":"cus_J4kL9mN2pQ7rS1tV","event":"Subscription Cancelled","properties":{"subscription_id":"sub_9Rk3Lm7Qp2Xw5Zt1","product_id":"pdt_Pro_Monthly_4Jd8","cancelled_at":"2025-09-14T16:20:11.004Z","cancel_at_next_billing":true,"customer_email":"taro.yamada@example.jp"},"timestamp":"2025-09-14T16:20:11.771204Z"}`,
	},
}

func TestSpecHandlers(t *testing.T) {
	sb := New(Options{})
	for _, tc := range specCases {
		t.Run(tc.handler+"/"+tc.event, func(t *testing.T) {
			code := readHandler(t, tc.handler)
			eventType, payload := readEvent(t, tc.event)
			out, err := sb.Transform(context.Background(), tc.handler, code, hookbridge.TransformInput{
				EventType: eventType, Payload: payload, URL: "https://hooks.example.com/in"})
			if err != nil {
				t.Fatalf("Transform: %v", err)
			}
			if out.URL != tc.url {
				t.Errorf("URL = %q, want %q", out.URL, tc.url)
			}
			if string(out.Payload) != tc.body {
				t.Errorf("body\n got %s\nwant %s", out.Payload, tc.body)
			}
			if !out.Changed || out.Cancel || out.Method != "POST" || len(out.Headers) != 0 {
				t.Errorf("Changed=%v Cancel=%v Method=%q Headers=%v, want true false POST none",
					out.Changed, out.Cancel, out.Method, out.Headers)
			}
		})
	}
}

// TestSpecHandlersLeaveOtherEvents checks that each handler returns an event
// it does not handle unchanged, which makes an integration skip it.
func TestSpecHandlersLeaveOtherEvents(t *testing.T) {
	sb := New(Options{})
	cases := map[string][]string{
		"customerio-payment-succeeded.js":      {"payment_failed.json", "subscription_active.json"},
		"customerio-customer-attributes.js":    {"payment_failed.json", "subscription_cancelled.json"},
		"customerio-subscription-lifecycle.js": {"subscription_renewed.json", "payment_succeeded.json"},
		"segment-payment-succeeded.js":         {"payment_failed.json", "subscription_active.json"},
		"segment-identify-customer.js":         {"payment_failed.json", "subscription_renewed.json"},
		"segment-subscription-lifecycle.js":    {"subscription_renewed.json", "payment_failed.json"},
	}
	for handler, events := range cases {
		for _, event := range events {
			t.Run(handler+"/"+event, func(t *testing.T) {
				eventType, payload := readEvent(t, event)
				const url = "https://hooks.example.com/in"
				out, err := sb.Transform(context.Background(), handler, readHandler(t, handler),
					hookbridge.TransformInput{EventType: eventType, Payload: payload, URL: url})
				if err != nil {
					t.Fatalf("Transform: %v", err)
				}
				if out.Changed || out.URL != url {
					t.Errorf("Changed=%v URL=%q, want false and the input URL", out.Changed, out.URL)
				}
				var compact bytes.Buffer
				if err := json.Compact(&compact, payload); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(out.Payload, compact.Bytes()) {
					t.Errorf("payload changed:\n got %s\nwant %s", out.Payload, compact.Bytes())
				}
			})
		}
	}
}

// readHandler reads one of the six handlers of the source documents from
// the integration that ships it as a template (segment-… or customerio-…);
// the integrations' tests hold those copies byte for byte to the spec.
func readHandler(t testing.TB, name string) string {
	t.Helper()
	integration, _, _ := strings.Cut(name, "-")
	code, err := os.ReadFile(filepath.Join("..", "integration", integration, "templates", "docs", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(code)
}

// readEvent returns an event file's type and its bytes as they are.
func readEvent(t testing.TB, name string) (string, json.RawMessage) {
	t.Helper()
	payload, err := os.ReadFile(filepath.Join("testdata", "events", name))
	if err != nil {
		t.Fatal(err)
	}
	var envelope struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(payload, &envelope); err != nil {
		t.Fatal(err)
	}
	return envelope.Type, payload
}
