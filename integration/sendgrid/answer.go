package sendgrid

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// apiErrors is the body of SendGrid's error answers.
type apiErrors struct {
	Errors []struct {
		Field   *string `json:"field"`
		Message string  `json:"message"`
		Help    any     `json:"help"`
	} `json:"errors"`
}

// fieldFixes says what to change for an error on a field, by the field's
// first name.
var fieldFixes = map[string]string{
	"from":                  "set from to {email, name} of a Verified Sender (Settings → Sender Authentication)",
	"reply_to":              "set reply_to to {email, name}",
	"personalizations":      "give each personalization to: [{email}] with valid, distinct addresses",
	"subject":               "set subject, or use a Dynamic Template whose subject is set",
	"content":               "set content to [{type: \"text/plain\", value}, {type: \"text/html\", value}], text/plain first",
	"template_id":           "copy the Dynamic Template's id (d-…) from Email API → Dynamic Templates, and check it has an active version",
	"categories":            "give at most 10 categories of up to 255 characters",
	"dynamic_template_data": "put dynamic_template_data in each personalization",
}

// readAnswer reads SendGrid's error answers: the fields of a 400, which
// key or permission to check on 401 and 403, and 429 retries.
func readAnswer(_ *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	if a.Status < 400 || a.Status >= 500 {
		return hookbridge.AnswerReading{}
	}
	var body apiErrors
	_ = json.Unmarshal(a.Body, &body)
	reason, firstField := describe(body)
	switch a.Status {
	case http.StatusTooManyRequests:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerRetry, Reason: kit.TextOr(reason, "too many requests"),
			RetryAfter: resetDelay(a.Headers, time.Now()),
			Fix:        "lower the endpoint's rate limit; SendGrid's X-RateLimit-Reset tells when the limit lifts"}
	case http.StatusUnauthorized:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: kit.TextOr(reason, "the API key was refused"),
			Fix: "check the endpoint's api_key (Settings → API Keys; it may have been deleted) and its region: an EU subuser's key works only on api.eu.sendgrid.com"}
	case http.StatusForbidden:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: kit.TextOr(reason, "forbidden"), Fix: forbiddenFix(reason)}
	case http.StatusRequestEntityTooLarge:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: kit.TextOr(reason, "the email is too large"),
			Fix: "keep the whole request, attachments included, under 30 MB"}
	}
	return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: reason, Fix: fieldFix(firstField)}
}

// describe joins the errors as "field: message" and returns the first
// field named.
func describe(body apiErrors) (reason, firstField string) {
	var parts []string
	for _, e := range body.Errors {
		if e.Field != nil && *e.Field != "" {
			if firstField == "" {
				firstField = *e.Field
			}
			parts = append(parts, *e.Field+": "+e.Message)
		} else {
			parts = append(parts, e.Message)
		}
	}
	return strings.Join(parts, "; "), firstField
}

// fieldFix is the fix for an error on field ("personalizations.0.to").
func fieldFix(field string) string {
	name, _, _ := strings.Cut(field, ".")
	if fix, ok := fieldFixes[name]; ok {
		return fix
	}
	if field != "" {
		return "correct " + field + " in the handler"
	}
	return ""
}

func forbiddenFix(reason string) string {
	if strings.Contains(strings.ToLower(reason), "sender identity") {
		return "the from address is not a Verified Sender: verify it (Settings → Sender Authentication) or set FROM to one that is"
	}
	return "the API key lacks the Mail Send permission (give it Mail Send: Full Access), or SendGrid blocked the account for a while after repeated bad requests"
}

// resetDelay reads X-RateLimit-Reset (unix seconds) as a delay from now;
// zero when absent.
func resetDelay(headers map[string]string, now time.Time) time.Duration {
	for k, v := range headers {
		if strings.EqualFold(k, "X-RateLimit-Reset") {
			secs, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return 0
			}
			if d := time.Unix(secs, 0).Sub(now); d > 0 && d < 24*time.Hour {
				return d
			}
		}
	}
	return 0
}
