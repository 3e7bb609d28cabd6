package resend

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
)

// apiError is the body of Resend's error answers.
type apiError struct {
	StatusCode int    `json:"statusCode"`
	Name       string `json:"name"`
	Message    string `json:"message"`
}

// quotaRetry is how long to wait after Resend's daily quota ran out
// before trying again: the quota renews within a day.
const quotaRetry = time.Hour

// fixes says what to change for each of Resend's error names.
var fixes = map[string]string{
	"validation_error":       "correct the field the message names in the handler",
	"missing_required_field": "set the missing field in the handler: from, to, subject and html or text are required",
	"invalid_from_address":   `write from as "billing@yourdomain.com" or "Billing <billing@yourdomain.com>"`,
	"invalid_parameter":      "correct the parameter the message names",
	"invalid_attachment":     "give each attachment a filename and content (or path)",
	"invalid_idempotency_key": "leave Idempotency-Key unset: hookbridge sends the delivery's own key " +
		"(1 to 256 characters)",
	"invalid_idempotent_request": "the handler built a different email for the same delivery on a retry " +
		"(a timestamp or random value in the body?): make it depend on the event only",
	"missing_api_key":        "set the endpoint's api_key credential",
	"restricted_api_key":     "this key may only send emails: use a key with Full access for other endpoints",
	"invalid_api_key":        "the API key is wrong or was deleted: create one in Resend → API Keys and update the endpoint's api_key",
	"monthly_quota_exceeded": "the account's monthly sending quota is used up: upgrade the Resend plan",
	"security_error":         "Resend flagged the email: contact Resend support",
	"not_found":              "send to https://" + Host + pathEmails,
	"method_not_allowed":     "send with POST",
}

// readAnswer reads Resend's error answers: a name with a fix, a retry for
// rate limits, the daily quota and concurrent uses of one key.
func readAnswer(_ *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	if a.Status < 400 {
		return hookbridge.AnswerReading{}
	}
	var e apiError
	_ = json.Unmarshal(a.Body, &e)
	reason := e.Name
	if e.Message != "" {
		reason += ": " + e.Message
	}
	switch {
	case a.Status == http.StatusTooManyRequests && e.Name == "daily_quota_exceeded":
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerRetry, Reason: reason, RetryAfter: quotaRetry,
			Fix: "the daily sending quota is used up; hookbridge retries later. Upgrade the Resend plan to lift it"}
	case a.Status == http.StatusTooManyRequests && e.Name == "monthly_quota_exceeded":
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: reason, Fix: fixes[e.Name]}
	case a.Status == http.StatusTooManyRequests:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerRetry, Reason: reasonOr(reason, "rate_limit_exceeded"),
			Fix: "Resend allows 2 requests per second per team by default: lower the endpoint's rate limit, turn batching on, or ask Resend for more"}
	case e.Name == "concurrent_idempotent_requests":
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerRetry, Reason: reason}
	case a.Status >= 500 || e.Name == "":
		return hookbridge.AnswerReading{Reason: reason}
	}
	return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: reason, Fix: fixFor(a.Status, e)}
}

// fixFor is the fix of an error name; a 403 validation_error is about
// the sending domain, not a field.
func fixFor(status int, e apiError) string {
	if e.Name == "validation_error" && strings.Contains(e.Message, "API key") {
		return fixes["invalid_api_key"]
	}
	if status == http.StatusForbidden && e.Name == "validation_error" {
		if strings.Contains(e.Message, "testing emails") {
			return "the account has no verified domain, so it may only send to its own address: verify a domain in Resend → Domains and send from it"
		}
		return "verify the sender's domain in Resend → Domains, or set FROM in the template to an address on a verified domain"
	}
	if f, ok := fixes[e.Name]; ok {
		return f
	}
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden:
		return fixes["invalid_api_key"]
	}
	return ""
}

func reasonOr(reason, fallback string) string {
	if reason == "" {
		return fallback
	}
	return reason
}
