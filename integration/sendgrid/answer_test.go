package sendgrid_test

import (
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/sendgrid"
)

func TestReadAnswer(t *testing.T) {
	cases := []struct {
		name    string
		status  int
		body    string
		verdict hookbridge.AnswerVerdict
		reason  string
		fix     string
	}{
		{"202", 202, ``, hookbridge.AnswerByStatus, "", ""},
		{"400 from", 400, `{"errors":[{"message":"The from object must be provided","field":"from","help":null}]}`,
			hookbridge.AnswerFailed, "from: The from object", "Verified Sender"},
		{"400 personalizations", 400, `{"errors":[{"message":"Does not contain a valid address.","field":"personalizations.0.to.0.email","help":null}]}`,
			hookbridge.AnswerFailed, "personalizations.0.to.0.email: Does not contain", "distinct addresses"},
		{"400 template", 400, `{"errors":[{"message":"The template_id must be a valid GUID","field":"template_id"}]}`,
			hookbridge.AnswerFailed, "template_id", "Dynamic Templates"},
		{"400 two errors", 400, `{"errors":[{"message":"a","field":"subject"},{"message":"b","field":"content"}]}`,
			hookbridge.AnswerFailed, "subject: a; content: b", "Dynamic Template whose subject"},
		{"400 unknown field", 400, `{"errors":[{"message":"bad","field":"asm.group_id"}]}`,
			hookbridge.AnswerFailed, "asm.group_id: bad", "correct asm.group_id"},
		{"401", 401, `{"errors":[{"message":"The provided authorization grant is invalid, expired, or revoked","field":null}]}`,
			hookbridge.AnswerFailed, "authorization grant", "region"},
		{"403 sender", 403, `{"errors":[{"message":"The from address does not match a verified Sender Identity.","field":"from"}]}`,
			hookbridge.AnswerFailed, "Sender Identity", "Verified Sender"},
		{"403 permission", 403, `{"errors":[{"message":"access forbidden","field":null}]}`,
			hookbridge.AnswerFailed, "access forbidden", "Mail Send: Full Access"},
		{"413", 413, ``, hookbridge.AnswerFailed, "too large", "30 MB"},
		{"429", 429, `{"errors":[{"field":null,"message":"too many requests"}]}`, hookbridge.AnswerRetry, "too many requests", "rate limit"},
		{"500", 500, `oops`, hookbridge.AnswerByStatus, "", ""},
	}
	req := &hookbridge.OutboundRequest{Method: "POST", URL: sendgrid.DefaultURL}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := hookbridge.ReadAnswer(sendgrid.New(), req, hookbridge.Answer{Status: c.status, Body: []byte(c.body)})
			if r.Verdict != c.verdict || !strings.Contains(r.Reason, c.reason) || !strings.Contains(r.Fix, c.fix) {
				t.Fatalf("reading = %+v; want verdict %v, reason with %q, fix with %q", r, c.verdict, c.reason, c.fix)
			}
		})
	}
}
