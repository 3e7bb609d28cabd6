package posthog_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/posthog"
)

var validateNow = time.Date(2025, 8, 4, 6, 0, 0, 0, time.UTC)

const validEvent = `{"api_key":"phc_k","event":"payment_succeeded","distinct_id":"cus_1","uuid":"6f1c2a9e-4b73-5d0a-9c51-e2873d60b415","timestamp":"2025-08-04T05:30:45Z","properties":{"amount":32.65}}`

func TestAValidEventHasNoProblems(t *testing.T) {
	for _, req := range []*hookbridge.OutboundRequest{
		{Method: "POST", URL: "https://us.i.posthog.com/i/v0/e/", Body: []byte(validEvent)},
		{Method: "POST", URL: "https://eu.i.posthog.com/batch/", Body: []byte(`{"api_key":"phc_k","batch":[` + validEvent + `]}`)},
	} {
		if ps := posthog.New().Validate(req, validateNow); len(ps) != 0 {
			t.Errorf("%s: %+v", req.URL, ps)
		}
	}
}

// Each rule on its own: the request differs from a valid one in one way,
// and the validator names that field (blocking, or a warning when PostHog
// still keeps the event).
func TestEachRule(t *testing.T) {
	big := `{"api_key":"phc_k","event":"x","distinct_id":"c","properties":{"blob":"` + strings.Repeat("a", 1<<20) + `"}}`
	cases := []struct {
		name, method, url, body, field string
		warning                        bool
	}{
		{"unknown path", "POST", "https://us.i.posthog.com/track", validEvent, "url", false},
		{"not POST", "GET", "https://us.i.posthog.com/i/v0/e/", validEvent, "method", false},
		{"not JSON", "POST", "https://us.i.posthog.com/i/v0/e/", `[1]`, "body", false},
		{"no api_key", "POST", "https://us.i.posthog.com/i/v0/e/", strings.Replace(validEvent, `"api_key":"phc_k",`, "", 1), "api_key", false},
		{"personal key", "POST", "https://us.i.posthog.com/i/v0/e/", strings.Replace(validEvent, "phc_k", "phx_k", 1), "api_key", false},
		{"no event", "POST", "https://us.i.posthog.com/i/v0/e/", strings.Replace(validEvent, `"event":"payment_succeeded",`, "", 1), "event", false},
		{"no distinct_id", "POST", "https://us.i.posthog.com/i/v0/e/", strings.Replace(validEvent, `"distinct_id":"cus_1",`, "", 1), "distinct_id", false},
		{"placeholder distinct_id", "POST", "https://us.i.posthog.com/i/v0/e/", strings.Replace(validEvent, `"cus_1"`, `"null"`, 1), "distinct_id", false},
		{"invalid uuid", "POST", "https://us.i.posthog.com/i/v0/e/", strings.Replace(validEvent, "6f1c2a9e-4b73-5d0a-9c51-e2873d60b415", "pay_1", 1), "uuid", false},
		{"timestamp not ISO", "POST", "https://us.i.posthog.com/i/v0/e/", strings.Replace(validEvent, "2025-08-04T05:30:45Z", "yesterday", 1), "timestamp", true},
		{"timestamp in the future", "POST", "https://us.i.posthog.com/i/v0/e/", strings.Replace(validEvent, "2025-08-04T05:30:45Z", "2025-08-06T05:30:45Z", 1), "timestamp", true},
		{"properties not an object", "POST", "https://us.i.posthog.com/i/v0/e/", strings.Replace(validEvent, `{"amount":32.65}`, `[1]`, 1), "properties", false},
		{"event over 1 MB", "POST", "https://us.i.posthog.com/i/v0/e/", big, "", false},
		{"empty batch", "POST", "https://us.i.posthog.com/batch/", `{"api_key":"phc_k","batch":[]}`, "batch", false},
		{"batch item not an object", "POST", "https://us.i.posthog.com/batch/", `{"api_key":"phc_k","batch":[1]}`, "batch[0]", false},
		{"batch event without name", "POST", "https://us.i.posthog.com/batch/", `{"api_key":"phc_k","batch":[` + strings.Replace(validEvent, `"event":"payment_succeeded",`, "", 1) + `]}`, "batch[0].event", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ps := posthog.New().Validate(&hookbridge.OutboundRequest{Method: tc.method, URL: tc.url, Body: []byte(tc.body)}, validateNow)
			if len(ps) != 1 {
				t.Fatalf("want one problem on %q, got %+v", tc.field, ps)
			}
			p := ps[0]
			if p.Field != tc.field || p.Warning != tc.warning || p.Fix == "" {
				t.Errorf("got %+v, want field %q warning %v with a fix", p, tc.field, tc.warning)
			}
		})
	}
}

func TestRequestOver20MBIsRefused(t *testing.T) {
	body := `{"api_key":"phc_k","batch":[` + strings.Repeat(validEvent+",", 20<<20/len(validEvent)+1) + validEvent + `]}`
	ps := posthog.New().Validate(&hookbridge.OutboundRequest{Method: "POST", URL: "https://us.i.posthog.com/batch/", Body: []byte(body)}, validateNow)
	if len(ps) != 1 || ps[0].Field != "body" {
		t.Errorf("problems: %+v", ps)
	}
}
