package hubspot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/hubspot"
)

func TestReadAnswer(t *testing.T) {
	upsert := &hookbridge.OutboundRequest{Method: "POST", URL: upsertURL}
	event := &hookbridge.OutboundRequest{Method: "POST", URL: eventURL}
	cases := []struct {
		name       string
		req        *hookbridge.OutboundRequest
		status     int
		body       string
		verdict    hookbridge.AnswerVerdict
		reason     string
		fix        string
		retryAfter time.Duration
	}{
		{"accepted", upsert, 200, `{"status":"COMPLETE","results":[]}`, hookbridge.AnswerByStatus, "", "", 0},
		{"ten-secondly limit", upsert, 429,
			`{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","correlationId":"x","policyName":"TEN_SECONDLY_ROLLING"}`,
			hookbridge.AnswerRetry, "TEN_SECONDLY_ROLLING", "100 requests per 10 seconds", 10 * time.Second},
		{"daily limit", upsert, 429, `{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","policyName":"DAILY"}`,
			hookbridge.AnswerRetry, "DAILY", "midnight", time.Hour},
		{"429 without a body", upsert, 429, ``, hookbridge.AnswerRetry, "unnamed", "", 0},
		{"bad token", upsert, 401, `{"status":"error","message":"The access token provided is invalid or has expired.","category":"INVALID_AUTHENTICATION"}`,
			hookbridge.AnswerFailed, "INVALID_AUTHENTICATION", "access token", 0},
		{"scope named by HubSpot", upsert, 403,
			`{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","category":"MISSING_SCOPES","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.contacts.write"]}}]}`,
			hookbridge.AnswerFailed, "MISSING_SCOPES", "crm.objects.contacts.write", 0},
		{"scope from the endpoint", event, 403, `{"status":"error","category":"MISSING_SCOPES"}`,
			hookbridge.AnswerFailed, "MISSING_SCOPES", "analytics.behavioral_events.send", 0},
		{"missing property", upsert, 400,
			`{"status":"error","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"Property \\\"last_payment_amount\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"last_payment_amount\"}]","category":"VALIDATION_ERROR"}`,
			hookbridge.AnswerFailed, "VALIDATION_ERROR", "create the contact property last_payment_amount", 0},
		{"other 400", event, 400, `{"status":"error","message":"Event definition not found","category":"VALIDATION_ERROR"}`,
			hookbridge.AnswerFailed, "Event definition not found", "validator", 0},
		{"partial batch", upsert, 207, `{"status":"COMPLETE","results":[],"numErrors":1,"errors":[{"status":"error","category":"VALIDATION_ERROR","message":"Email address x is invalid"}]}`,
			hookbridge.AnswerFailed, "Email address x is invalid", "", 0},
		{"server error", upsert, 502, ``, hookbridge.AnswerByStatus, "", "", 0},
	}
	in := hubspot.New()
	for _, tc := range cases {
		r := hookbridge.ReadAnswer(in, tc.req, hookbridge.Answer{Status: tc.status, Body: []byte(tc.body)})
		if r.Verdict != tc.verdict || !strings.Contains(r.Reason, tc.reason) || !strings.Contains(r.Fix, tc.fix) || r.RetryAfter != tc.retryAfter {
			t.Errorf("%s: got %+v", tc.name, r)
		}
	}
}

func TestAnswersFromOtherHostsAreLeftAlone(t *testing.T) {
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://crm.example.com/x"}
	if r := hookbridge.ReadAnswer(hubspot.New(), req, hookbridge.Answer{Status: 401}); r != (hookbridge.AnswerReading{}) {
		t.Errorf("read a foreign answer: %+v", r)
	}
}
