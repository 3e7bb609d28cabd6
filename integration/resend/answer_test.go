package resend_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/resend"
)

func TestReadAnswer(t *testing.T) {
	cases := []struct {
		name    string
		status  int
		body    string
		verdict hookbridge.AnswerVerdict
		reason  string // in the reason
		fix     string // in the fix
		retry   time.Duration
	}{
		{"accepted", 200, `{"id":"x"}`, hookbridge.AnswerByStatus, "", "", 0},
		{"422 missing field", 422, `{"statusCode":422,"name":"missing_required_field","message":"Missing ` + "`to`" + ` field."}`,
			hookbridge.AnswerFailed, "missing_required_field: Missing", "from, to, subject", 0},
		{"422 validation", 422, `{"statusCode":422,"name":"validation_error","message":"Invalid ` + "`to`" + ` field."}`,
			hookbridge.AnswerFailed, "validation_error", "field the message names", 0},
		{"400 validation", 400, `{"statusCode":400,"name":"validation_error","message":"bad"}`,
			hookbridge.AnswerFailed, "validation_error", "field", 0},
		{"403 unverified domain", 403, `{"statusCode":403,"name":"validation_error","message":"The acme.dev domain is not verified."}`,
			hookbridge.AnswerFailed, "not verified", "Domains", 0},
		{"403 testing only", 403, `{"statusCode":403,"name":"validation_error","message":"You can only send testing emails to your own email address"}`,
			hookbridge.AnswerFailed, "testing emails", "verify a domain", 0},
		{"401 missing key", 401, `{"statusCode":401,"name":"missing_api_key","message":"Missing API key"}`,
			hookbridge.AnswerFailed, "missing_api_key", "api_key credential", 0},
		{"403 invalid key", 403, `{"statusCode":403,"name":"invalid_api_key","message":"API key is invalid"}`,
			hookbridge.AnswerFailed, "invalid_api_key", "API Keys", 0},
		{"401 invalid key, newer wording", 401, `{"statusCode":401,"name":"validation_error","message":"API key is invalid"}`,
			hookbridge.AnswerFailed, "validation_error", "API Keys", 0},
		{"401 restricted key", 401, `{"statusCode":401,"name":"restricted_api_key","message":"This API key is restricted to only send emails"}`,
			hookbridge.AnswerFailed, "restricted_api_key", "Full access", 0},
		{"409 other body", 409, `{"statusCode":409,"name":"invalid_idempotent_request","message":"Same idempotency key used with a different request payload."}`,
			hookbridge.AnswerFailed, "invalid_idempotent_request", "depend on the event only", 0},
		{"409 concurrent", 409, `{"statusCode":409,"name":"concurrent_idempotent_requests","message":"still in progress"}`,
			hookbridge.AnswerRetry, "concurrent_idempotent_requests", "", 0},
		{"429 rate limit", 429, `{"statusCode":429,"name":"rate_limit_exceeded","message":"Too many requests"}`,
			hookbridge.AnswerRetry, "rate_limit_exceeded", "2 requests per second", 0},
		{"429 daily quota", 429, `{"statusCode":429,"name":"daily_quota_exceeded","message":"quota"}`,
			hookbridge.AnswerRetry, "daily_quota_exceeded", "daily", time.Hour},
		{"429 monthly quota", 429, `{"statusCode":429,"name":"monthly_quota_exceeded","message":"quota"}`,
			hookbridge.AnswerFailed, "monthly_quota_exceeded", "upgrade", 0},
		{"500", 500, `{"statusCode":500,"name":"application_error","message":"oops"}`,
			hookbridge.AnswerByStatus, "application_error", "", 0},
	}
	integ := resend.New().(hookbridge.AnswerReader)
	req := &hookbridge.OutboundRequest{Method: "POST", URL: resend.DefaultURL}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := integ.ReadAnswer(req, hookbridge.Answer{Status: c.status, Body: []byte(c.body)})
			if r.Verdict != c.verdict || !strings.Contains(r.Reason, c.reason) || !strings.Contains(r.Fix, c.fix) || r.RetryAfter != c.retry {
				t.Fatalf("reading = %+v; want verdict %v, reason with %q, fix with %q, retry %v", r, c.verdict, c.reason, c.fix, c.retry)
			}
		})
	}
}
