package hubspot

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// apiError is HubSpot's error body:
//
//	{"status": "error", "message": "…", "category": "MISSING_SCOPES",
//	 "errorType": "RATE_LIMIT", "policyName": "TEN_SECONDLY_ROLLING",
//	 "errors": [{"message": "…", "context": {"requiredGranularScopes": […]}}]}
//
// A batch answered 207 lists its failed inputs in errors, with numErrors.
type apiError struct {
	Status     string           `json:"status"`
	Message    string           `json:"message"`
	Category   string           `json:"category"`
	ErrorType  string           `json:"errorType"`
	PolicyName string           `json:"policyName"`
	NumErrors  int              `json:"numErrors"`
	Errors     []apiErrorDetail `json:"errors"`
	Context    errorContext     `json:"context"`
}

type apiErrorDetail struct {
	Message  string       `json:"message"`
	Category string       `json:"category"`
	Context  errorContext `json:"context"`
}

// errorContext holds the scopes a 403 names, under either of the names
// HubSpot uses.
type errorContext struct {
	RequiredGranularScopes []string `json:"requiredGranularScopes"`
	MissingScopes          []string `json:"missingScopes"`
}

// retryAfterPolicy is how long each rate-limit policy takes to let a
// request through again. The daily limit resets at midnight in the
// account's time zone, which hookbridge does not know: an hour is a guess
// that does not hammer HubSpot.
var retryAfterPolicy = map[string]time.Duration{
	"TEN_SECONDLY_ROLLING": 10 * time.Second,
	"SECONDLY":             time.Second,
	"DAILY":                time.Hour,
}

// missingProperty finds the property HubSpot says does not exist.
var missingProperty = regexp.MustCompile(`Property \\?"([a-z0-9_]+)\\?" does not exist`)

// readAnswer names HubSpot's errors and what to do about them.
func readAnswer(req *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	var e apiError
	_ = json.Unmarshal(a.Body, &e)
	switch a.Status {
	case http.StatusTooManyRequests:
		return rateLimited(e)
	case http.StatusUnauthorized:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
			Reason: kit.TextOr(join(e.Category, e.Message), "HubSpot does not know the access token"),
			Fix:    "paste the private app's current access token (Settings → Integrations → Private Apps → your app → Auth); rotating it makes the old one invalid"}
	case http.StatusForbidden:
		return missingScopes(req, e)
	case http.StatusBadRequest:
		return invalid(e)
	case http.StatusMultiStatus:
		if e.NumErrors > 0 || len(e.Errors) > 0 {
			return partial(e)
		}
	}
	return hookbridge.AnswerReading{}
}

// rateLimited reads a 429: its policy says which limit was reached and
// when to try again.
func rateLimited(e apiError) hookbridge.AnswerReading {
	policy := kit.TextOr(e.PolicyName, "unnamed")
	reason := fmt.Sprintf("rate limit %s reached", policy)
	if e.Message != "" {
		reason += ": " + e.Message
	}
	fix := "lower the endpoint's rate limit: every app of the HubSpot account shares 100 requests per 10 seconds (more with the API limit increase), and batching sends up to 100 contacts in one request"
	if policy == "DAILY" {
		fix = "the account's daily request limit is used up until midnight in its time zone; deliveries wait and retry, and batching saves requests"
	}
	return hookbridge.AnswerReading{Verdict: hookbridge.AnswerRetry, Reason: reason, Fix: fix, RetryAfter: retryAfterPolicy[policy]}
}

// missingScopes reads a 403: the scopes HubSpot names, or those the
// endpoint needs.
func missingScopes(req *hookbridge.OutboundRequest, e apiError) hookbridge.AnswerReading {
	scopes := append(e.Context.RequiredGranularScopes, e.Context.MissingScopes...)
	for _, d := range e.Errors {
		scopes = append(scopes, d.Context.RequiredGranularScopes...)
		scopes = append(scopes, d.Context.MissingScopes...)
	}
	if len(scopes) == 0 {
		scopes = scopesFor(endpointOf(outbound.Path(req)))
	}
	return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
		Reason: kit.TextOr(join(e.Category, e.Message), "the private app may not do this"),
		Fix:    "give the private app the scope " + strings.Join(scopes, " and ") + " (its Scopes tab), then paste the token again if HubSpot issued a new one"}
}

// scopesFor names the scopes an endpoint needs.
func scopesFor(ep endpoint) []string {
	switch ep {
	case endpointEventSend:
		return []string{"analytics.behavioral_events.send"}
	case endpointContactsUpsert, endpointTaskCreate:
		return []string{"crm.objects.contacts.write"}
	}
	return []string{"the one the endpoint's documentation names"}
}

// invalid reads a 400: a property the account lacks, or another refusal.
func invalid(e apiError) hookbridge.AnswerReading {
	reason := kit.TextOr(join(e.Category, e.Message), "HubSpot refused the request")
	fix := "test the transformation to see the validator's findings, and compare the properties with the account's"
	if m := missingProperty.FindStringSubmatch(e.Message); m != nil {
		fix = fmt.Sprintf("create the contact property %s in HubSpot (Settings → Properties → Contact properties), or take it out of the transformation", m[1])
	}
	return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: reason, Fix: fix}
}

// partial reads a 207: HubSpot took the batch but refused some inputs.
func partial(e apiError) hookbridge.AnswerReading {
	var msgs []string
	for _, d := range e.Errors {
		msgs = append(msgs, d.Message)
	}
	return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
		Reason: fmt.Sprintf("HubSpot refused %d input(s): %s", max(e.NumErrors, len(e.Errors)), strings.Join(msgs, "; ")),
		Fix:    "see the answer's errors for the contacts concerned"}
}

func join(category, message string) string {
	switch {
	case category == "":
		return message
	case message == "":
		return category
	}
	return category + ": " + message
}
