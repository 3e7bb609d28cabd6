package segment

import (
	"bytes"
	"net/http"
	"slices"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
	"github.com/hookbridge/hookbridge/integration/segment/segmenttest"
)

func problemFields(ps []hookbridge.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Field)
	}
	return out
}

// Segment's spec types amounts as numbers (revenue, price, value) and
// writes dates as ISO 8601 strings (the createdAt trait, timestamp); the
// validator warns of traits and properties filed otherwise, by name and
// value, whichever template sent them (issue 16, point 7).
func TestValidateWarnsOfValuesFiledAsTheWrongKind(t *testing.T) {
	tests := []struct {
		name, url, body string
		want            []string
	}{
		{"numbers and ISO dates", DefaultURL,
			`{"userId":"u","event":"Paid","properties":{"amount":29.99,"paid_at":"2025-08-04T05:30:45Z","zipcode":"78701"}}`, nil},
		{"amount as text in properties", DefaultURL,
			`{"userId":"u","event":"Paid","properties":{"amount":"29.99"}}`, []string{"properties.amount"}},
		{"total as text in traits", "https://api.segment.io/v1/identify",
			`{"userId":"u","traits":{"total_spent":"29.99","createdAt":"2025-08-04T05:30:45Z"}}`, []string{"traits.total_spent"}},
		{"date as unix seconds in traits", "https://api.segment.io/v1/identify",
			`{"userId":"u","traits":{"customer_since":1754285445,"createdAt":1754285445}}`, []string{"traits.createdAt", "traits.customer_since"}},
		{"group traits", "https://api.segment.io/v1/group",
			`{"userId":"u","groupId":"g","traits":{"mrr":"1200.50"}}`, []string{"traits.mrr"}},
		{"in a batch", "https://api.segment.io/v1/batch",
			`{"batch":[{"type":"identify","userId":"u","traits":{"ltv":"10"}}]}`, []string{"batch[0].traits.ltv"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := New().Validate(&hookbridge.OutboundRequest{Method: "POST", URL: tt.url, Body: []byte(tt.body)}, sc.Now)
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

// The documentation's handlers send amounts as "29.99": Segment keeps the
// calls, and the test step warns with the fix.
func TestDocTemplatesWarnOfValuesFiledAsText(t *testing.T) {
	tests := []struct {
		template, eventType string
		want                []string
	}{
		{"docs-payment-events", "payment.succeeded", []string{"properties.amount"}},
		{"docs-subscription-lifecycle", "subscription.active", []string{"properties.amount"}},
		{"docs-identify-customer", "payment.succeeded", []string{"traits.total_spent"}},
	}
	for _, tt := range tests {
		req, _ := runTemplate(t, templateByID(t, tt.template), tt.eventType, templatetest.Sample(tt.eventType))
		ps := New().Validate(req, sc.Now)
		if got := problemFields(ps); !slices.Equal(got, tt.want) || len(hookbridge.Blocking(ps)) != 0 {
			t.Errorf("%s: problems on %v, want warnings on %v:\n%s", tt.template, got, tt.want, describeProblems(ps))
		}
	}
}

// Against the fake, which reads traits as Segment's destinations do: the
// built-in identify files the amount as a number and the date as ISO 8601;
// the documentation's handler files its total as text.
func TestIdentifyTemplatesAgainstTheFake(t *testing.T) {
	const user = "cus_8VbC6JDZzPEqfBPUdpj0K"
	send := func(fake *segmenttest.Server, id string) {
		t.Helper()
		req, _ := templatetest.RunPrepared(t, New(), templateByID(t, id), "payment.succeeded", templatetest.Sample("payment.succeeded"), DefaultURL, fake.Credentials(), sc)
		httpReq, _ := http.NewRequest(req.Method, req.URL, bytes.NewReader(req.Body))
		for k, v := range req.Headers {
			httpReq.Header.Set(k, v)
		}
		resp, err := fake.Client().Do(httpReq)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %v %v", id, resp, err)
		}
		resp.Body.Close()
	}
	builtIn := segmenttest.New(t)
	send(builtIn, "identify-customer")
	if n, ok := builtIn.NumberTrait(user, "last_payment_amount"); !ok || n != 29.99 {
		t.Errorf("identify-customer: last_payment_amount = %v, %v; want the number 29.99", n, ok)
	}
	if _, ok := builtIn.DateTrait(user, "last_payment_at"); !ok {
		t.Errorf("identify-customer: last_payment_at is not a date: %v", builtIn.Traits(user)["last_payment_at"])
	}
	docs := segmenttest.New(t)
	send(docs, "docs-identify-customer")
	if _, ok := docs.NumberTrait(user, "total_spent"); ok {
		t.Error("docs-identify-customer: total_spent, sent as text, reads as a number")
	}
}
