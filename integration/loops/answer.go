package loops

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// apiError is the body of Loops' error answers.
type apiError struct {
	Success bool   `json:"success"`
	Message string `json:"message"`
	Path    string `json:"path"`
}

// rateLimitRetry is the wait after a 429 that names none: Loops' limit
// is per second.
const rateLimitRetry = time.Second

// readAnswer reads Loops' answers: a 409 to a request with an
// Idempotency-Key means an earlier attempt went through; other errors get
// their message and a fix.
func readAnswer(req *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	if a.Status < 400 || a.Status >= 500 {
		return hookbridge.AnswerReading{}
	}
	var e apiError
	_ = json.Unmarshal(a.Body, &e)
	reason := e.Message
	if e.Path != "" {
		reason = e.Path + ": " + reason
	}
	switch {
	case a.Status == http.StatusConflict && req.Header("Idempotency-Key") != "":
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerAccepted,
			Reason: "Loops already took a request with this Idempotency-Key: an earlier attempt was delivered"}
	case a.Status == http.StatusTooManyRequests:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerRetry, Reason: kit.TextOr(reason, "rate limit exceeded"), RetryAfter: rateLimitRetry,
			Fix: "Loops allows 10 requests per second per team: lower the endpoint's rate limit"}
	case a.Status == http.StatusUnauthorized || a.Status == http.StatusForbidden:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: kit.TextOr(reason, "the API key was refused"),
			Fix: "the API key is wrong or was revoked: generate one in Loops → Settings → API and update the endpoint's api_key"}
	case a.Status == http.StatusNotFound && outbound.TrimmedPath(req) == PathTransactional:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: kit.TextOr(reason, "transactional email not found"),
			Fix: "no published transactional email has this transactionalId: publish it in Loops and copy its ID into the template's TRANSACTIONAL_ID"}
	}
	return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: reason, Fix: fixFor(e)}
}

// fixFor suggests a fix from the words of Loops' message.
func fixFor(e apiError) string {
	msg := strings.ToLower(e.Message)
	switch {
	case strings.Contains(msg, "data variable") || strings.Contains(msg, "required field") || e.Path == "dataVariables":
		return "give dataVariables every variable the transactional email uses, as strings or numbers"
	case strings.Contains(msg, "idempotency"):
		return "leave Idempotency-Key unset: hookbridge sends the delivery's own key (at most 100 characters)"
	case strings.Contains(msg, "email") || strings.Contains(msg, "userid"):
		return "set email (or userId) to the contact's address, such as webhook.payload.data.customer.email"
	case strings.Contains(msg, "event"):
		return "set eventName, without colons"
	}
	return "correct the request as the message says"
}
