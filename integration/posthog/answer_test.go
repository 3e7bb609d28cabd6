package posthog_test

import (
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/posthog"
)

func TestReadAnswer(t *testing.T) {
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://us.i.posthog.com/i/v0/e/"}
	cases := []struct {
		name    string
		status  int
		body    string
		verdict hookbridge.AnswerVerdict
		reason  string
	}{
		{"accepted", 200, `{"status":"Ok"}`, hookbridge.AnswerByStatus, ""},
		{"invalid key", 401, `{"type":"authentication_error","code":"invalid_api_key","detail":"Project API key invalid."}`, hookbridge.AnswerFailed, "invalid_api_key: Project API key invalid."},
		{"401 without a body", 401, ``, hookbridge.AnswerFailed, "the project API key is not valid here"},
		{"invalid payload", 400, `{"type":"validation_error","code":"invalid_payload","detail":"Invalid payload: all events must have the event name field 'event'"}`, hookbridge.AnswerFailed, "invalid_payload: Invalid payload"},
		{"too large", 413, ``, hookbridge.AnswerFailed, "20 MB"},
		{"server error", 503, ``, hookbridge.AnswerByStatus, ""},
	}
	in := posthog.New()
	for _, tc := range cases {
		r := hookbridge.ReadAnswer(in, req, hookbridge.Answer{Status: tc.status, Body: []byte(tc.body)})
		if r.Verdict != tc.verdict || !strings.Contains(r.Reason, tc.reason) {
			t.Errorf("%s: got %+v", tc.name, r)
		}
		if r.Verdict == hookbridge.AnswerFailed && r.Fix == "" {
			t.Errorf("%s: no fix", tc.name)
		}
	}
}

func TestAnswersFromCloudHostsAreRead(t *testing.T) {
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://eu.i.posthog.com/batch/"}
	r := hookbridge.ReadAnswer(posthog.New(), req, hookbridge.Answer{Status: 401})
	if r.Verdict != hookbridge.AnswerFailed {
		t.Errorf("got %+v", r)
	}
}
