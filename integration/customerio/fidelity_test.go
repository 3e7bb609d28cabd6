package customerio

// Tests of the rules by which Customer.io accepts a request but files it
// or acts on it differently than meant; each names its source.

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
)

// sampleTime is the envelope timestamp of the payment.succeeded samples.
var sampleTime = time.Date(2025, 8, 4, 5, 30, 45, 182629000, time.UTC)

func problemFields(ps []hookbridge.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Field)
	}
	return out
}

// withPayment returns the payment.succeeded sample with another amount
// and currency.
func withPayment(t *testing.T, minorUnits int64, currency string) []byte {
	t.Helper()
	var env map[string]any
	if err := json.Unmarshal(templatetest.Sample("payment.succeeded"), &env); err != nil {
		t.Fatal(err)
	}
	data := env["data"].(map[string]any)
	data["total_amount"], data["currency"] = minorUnits, currency
	b, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Customer.io's Track API v2: identify and event take "timestamp (int
// unix seconds)"; without it Customer.io applies calls in the order they
// arrive, and batches and retries reorder deliveries (issue 16, point 4).
func TestBuiltInTemplatesSendTheEventTimeAsTimestamp(t *testing.T) {
	for _, tpl := range New().Info().Templates {
		if tpl.FromDocs {
			continue
		}
		for _, eventType := range tpl.EventTypes {
			payload := templatetest.Sample(eventType)
			var env struct {
				Timestamp time.Time `json:"timestamp"`
			}
			if err := json.Unmarshal(payload, &env); err != nil {
				t.Fatal(err)
			}
			req, _ := runTemplate(t, tpl, eventType, payload)
			body := decode(t, req.Body)
			if body["timestamp"] != float64(env.Timestamp.Unix()) {
				t.Errorf("%s on %s: timestamp %v, want the event's time %d (%s)", tpl.ID, eventType, body["timestamp"], env.Timestamp.Unix(), env.Timestamp)
			}
		}
	}
}

// Customer.io's segments compare numbers ("greater than", "less than"),
// so amounts go out as numbers in the currency's major unit, by its ISO
// 4217 exponent (issue 16, point 5).
func TestCustomerIOTemplatesSendAmountsAsNumbersPerCurrency(t *testing.T) {
	tests := []struct {
		currency   string
		minorUnits int64
		want       float64
	}{
		{"USD", 3265, 32.65}, {"EUR", 5, 0.05}, {"JPY", 400, 400}, {"KRW", 12000, 12000},
		{"KWD", 1234, 1.234}, {"BHD", 500, 0.5}, {"JOD", 10001, 10.001}, {"OMR", 7, 0.007}, {"TND", 2500, 2.5},
	}
	for _, tt := range tests {
		t.Run(tt.currency, func(t *testing.T) {
			payload := withPayment(t, tt.minorUnits, tt.currency)
			for id, attr := range map[string]string{"payment-completed": "payment_amount", "customer-attributes": "last_payment_amount"} {
				req, _ := runTemplate(t, templateByID(t, id), "payment.succeeded", payload)
				attrs := decode(t, req.Body)["attributes"].(map[string]any)
				if attrs[attr] != tt.want {
					t.Errorf("%s: %s = %#v, want the number %v", id, attr, attrs[attr], tt.want)
				}
				if ps := New().Validate(req, sc.Now); len(ps) != 0 {
					t.Errorf("%s: problems:\n%s", id, describeProblems(ps))
				}
			}
		})
	}
}

// Customer.io's Track API: "Events timestamped within the past 72 hours
// can trigger campaigns"; older ones are stored and trigger nothing. The
// validator measures the age at the send time it is given (issue 16,
// point 6).
func TestValidateWarnsOfEventsTooOldToTriggerCampaigns(t *testing.T) {
	event := `{"type":"person","identifiers":{"id":"cus_1"},"action":"event","name":"payment_completed","timestamp":1754285445,"attributes":{"amount":29.99}}`
	identify := `{"type":"person","identifiers":{"id":"cus_1"},"action":"identify","timestamp":1754285445,"attributes":{"amount":29.99}}`
	v1 := `{"name":"payment_completed","timestamp":1754285445,"data":{"amount":29.99}}`
	sent := time.Unix(1754285445, 0)
	tests := []struct {
		name, url, body string
		now             time.Time
		wantWarning     string
	}{
		{"fresh event", DefaultURL, event, sent.Add(time.Minute), ""},
		{"event 71 h old", DefaultURL, event, sent.Add(71 * time.Hour), ""},
		{"event 73 h old", DefaultURL, event, sent.Add(73 * time.Hour), "timestamp"},
		{"replayed months later", DefaultURL, event, sent.Add(200 * 24 * time.Hour), "timestamp"},
		{"old identify triggers nothing anyway", DefaultURL, identify, sent.Add(200 * 24 * time.Hour), ""},
		{"old event in a batch", "https://track.customer.io/api/v2/batch", `{"batch":[` + identify + `,` + event + `]}`, sent.Add(73 * time.Hour), "batch[1].timestamp"},
		{"old v1 event", "https://track.customer.io/api/v1/customers/cus_1/events", v1, sent.Add(73 * time.Hour), "timestamp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := New().Validate(prepare(t, newRequest("POST", tt.url, tt.body), creds), tt.now)
			if tt.wantWarning == "" {
				if len(ps) != 0 {
					t.Fatalf("problems:\n%s", describeProblems(ps))
				}
				return
			}
			if len(ps) != 1 || ps[0].Field != tt.wantWarning || !ps[0].Warning ||
				!strings.Contains(ps[0].Message, "72 hours") || !strings.Contains(ps[0].Fix, "USE_SEND_TIME") {
				t.Fatalf("problems:\n%s\nwant one warning on %s about the 72 hours, with the fix", describeProblems(ps), tt.wantWarning)
			}
		})
	}
}

// The template option USE_SEND_TIME leaves the timestamp out, so that
// Customer.io stamps the event when it receives it and a late delivery
// still triggers campaigns.
func TestUseSendTimeOptionLeavesTheTimestampOut(t *testing.T) {
	lateSend := sampleTime.Add(30 * 24 * time.Hour)
	for _, id := range []string{"payment-completed", "subscription-lifecycle"} {
		tpl := templateByID(t, id)
		eventType := tpl.EventTypes[0]
		req, _ := runTemplate(t, tpl, eventType, templatetest.Sample(eventType))
		if ps := New().Validate(req, lateSend); !slices.Equal(problemFields(ps), []string{"timestamp"}) {
			t.Errorf("%s as shipped, sent a month late: problems on %v, want the 72-hour warning", id, problemFields(ps))
		}
		const option = "const USE_SEND_TIME = false;"
		if !strings.Contains(tpl.Code, option) {
			t.Fatalf("%s has no %q", id, option)
		}
		tpl.Code = strings.Replace(tpl.Code, option, "const USE_SEND_TIME = true;", 1)
		req, _ = runTemplate(t, tpl, eventType, templatetest.Sample(eventType))
		if _, ok := decode(t, req.Body)["timestamp"]; ok {
			t.Errorf("%s with USE_SEND_TIME: the body still has a timestamp: %s", id, req.Body)
		}
		if ps := New().Validate(req, lateSend); len(ps) != 0 {
			t.Errorf("%s with USE_SEND_TIME: problems:\n%s", id, describeProblems(ps))
		}
	}
}

// Customer.io's Timestamp Conditions FAQ: timestamp rules need unix
// seconds — "if you're using a different timestamp format like ISO 8601,
// your users will not match"; its segments compare numbers as numbers. The
// validator sees such attributes by name and value, whichever template
// sent them (issue 16, point 7).
func TestValidateWarnsOfAttributesFiledAsText(t *testing.T) {
	identify := func(attrs string) string {
		return `{"type":"person","identifiers":{"id":"cus_1"},"action":"identify","timestamp":1754285445,"attributes":` + attrs + `}`
	}
	tests := []struct {
		name, body string
		want       []string
	}{
		{"unix seconds and numbers", identify(`{"paid_at":1754285445,"customer_since":1754285445,"total_spent":29.99,"zipcode":"78701","card_last_four":"4242"}`), nil},
		{"ISO date in a _at attribute", identify(`{"paid_at":"2025-08-04T05:30:45Z"}`), []string{"attributes.paid_at"}},
		{"ISO date in a _since attribute", identify(`{"customer_since":"2025-08-04T05:30:45.182629Z"}`), []string{"attributes.customer_since"}},
		{"ISO day in a _date attribute", identify(`{"renewal_date":"2025-09-04"}`), []string{"attributes.renewal_date"}},
		{"ISO date under another name is left alone", identify(`{"next_billing":"2025-09-04T05:30:45Z"}`), nil},
		{"decimal as text", identify(`{"total_spent":"29.99"}`), []string{"attributes.total_spent"}},
		{"whole amount as text", identify(`{"last_payment_amount":"400"}`), []string{"attributes.last_payment_amount"}},
		{"event data amount as text", `{"type":"person","identifiers":{"id":"cus_1"},"action":"event","name":"paid","timestamp":1754285445,"attributes":{"amount":"32.65"}}`, []string{"attributes.amount"}},
		{"v1 identify", "", []string{"body.customer_since"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newRequest("POST", DefaultURL, tt.body)
			if tt.body == "" {
				req = newRequest("PUT", "https://track.customer.io/api/v1/customers/cus_1", `{"email":"a@example.com","customer_since":"2025-08-04T05:30:45Z"}`)
			}
			ps := New().Validate(prepare(t, req, creds), sc.Now)
			if got := problemFields(ps); !slices.Equal(got, tt.want) || len(hookbridge.Blocking(ps)) != 0 {
				t.Fatalf("problems on %v, want warnings on %v:\n%s", got, tt.want, describeProblems(ps))
			}
			for _, p := range ps {
				if p.Fix == "" {
					t.Errorf("%s: no fix", p.Field)
				}
			}
		})
	}
}

// Without a timestamp an identify is applied in arrival order.
func TestValidateWarnsOfAnIdentifyWithoutTimestamp(t *testing.T) {
	body := `{"type":"person","identifiers":{"id":"cus_1"},"action":"identify","attributes":{"email":"a@example.com"}}`
	ps := New().Validate(prepare(t, newRequest("POST", DefaultURL, body), creds), sc.Now)
	if len(ps) != 1 || ps[0].Field != "timestamp" || !ps[0].Warning || !strings.Contains(ps[0].Fix, "timestamp") {
		t.Fatalf("problems:\n%s", describeProblems(ps))
	}
}
