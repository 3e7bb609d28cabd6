package loops_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/loops"
)

func TestReadAnswer(t *testing.T) {
	withKey := map[string]string{"Idempotency-Key": "msg_1"}
	cases := []struct {
		name    string
		url     string
		headers map[string]string
		status  int
		body    string
		verdict hookbridge.AnswerVerdict
		reason  string
		fix     string
	}{
		{"200", loops.DefaultURL, withKey, 200, `{"success":true}`, hookbridge.AnswerByStatus, "", ""},
		{"409 with a key", loops.DefaultURL, withKey, 409, `{"success":false,"message":"Idempotency key has already been used."}`,
			hookbridge.AnswerAccepted, "earlier attempt was delivered", ""},
		{"409 without a key", loops.DefaultURL, nil, 409, `{"success":false,"message":"Conflict"}`,
			hookbridge.AnswerFailed, "Conflict", ""},
		{"400 data variables", loops.DefaultURL, withKey, 400, `{"success":false,"path":"dataVariables","message":"Missing required data variables: amount"}`,
			hookbridge.AnswerFailed, "dataVariables: Missing required data variables", "every variable"},
		{"400 email", loops.DefaultURL, withKey, 400, `{"success":false,"message":"A valid email address is required."}`,
			hookbridge.AnswerFailed, "valid email", "customer.email"},
		{"400 event", eventsURL, withKey, 400, `{"success":false,"message":"eventName is required and may not contain colons."}`,
			hookbridge.AnswerFailed, "eventName", "without colons"},
		{"401", loops.DefaultURL, withKey, 401, `{"success":false,"message":"Invalid API key"}`,
			hookbridge.AnswerFailed, "Invalid API key", "Settings → API"},
		{"404 transactional", loops.DefaultURL, withKey, 404, `{"success":false,"message":"Transactional email not found."}`,
			hookbridge.AnswerFailed, "not found", "TRANSACTIONAL_ID"},
		{"429", loops.DefaultURL, withKey, 429, `{"success":false,"message":"Rate limit exceeded."}`,
			hookbridge.AnswerRetry, "Rate limit", "10 requests per second"},
		{"500", loops.DefaultURL, withKey, 500, `{}`, hookbridge.AnswerByStatus, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := &hookbridge.OutboundRequest{Method: "POST", URL: c.url, Headers: c.headers}
			r := hookbridge.ReadAnswer(loops.New(), req, hookbridge.Answer{Status: c.status, Body: []byte(c.body)})
			if r.Verdict != c.verdict || !strings.Contains(r.Reason, c.reason) || !strings.Contains(r.Fix, c.fix) {
				t.Fatalf("reading = %+v; want verdict %v, reason with %q, fix with %q", r, c.verdict, c.reason, c.fix)
			}
			if c.status == 429 && r.RetryAfter != time.Second {
				t.Fatalf("retry after %v", r.RetryAfter)
			}
		})
	}
}
