package posthog

import (
	"encoding/json"
	"net/http"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// apiError is the body of PostHog's capture errors:
// {"type": "authentication_error", "code": "invalid_api_key", "detail": "…"}.
type apiError struct {
	Type   string `json:"type"`
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

// readAnswer names PostHog's errors and what to do about them: a 401 is a
// project API key the host does not know (often one of the other region),
// a 400 a malformed event, a 413 a request over 20 MB. Each is final.
func readAnswer(_ *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	var e apiError
	_ = json.Unmarshal(a.Body, &e)
	reason := e.Detail
	if e.Code != "" {
		reason = e.Code + ": " + e.Detail
	}
	switch a.Status {
	case http.StatusUnauthorized:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: kit.TextOr(reason, "the project API key is not valid here"),
			Fix: "copy the Project API key (phc_…) from PostHog's Settings → Project, and check the endpoint's region: a US project's key is unknown to eu.i.posthog.com and the other way round"}
	case http.StatusBadRequest:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: kit.TextOr(reason, "PostHog refused the event"),
			Fix: "every event needs event and distinct_id; test the transformation to see the validator's findings"}
	case http.StatusRequestEntityTooLarge:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: "the request is over PostHog's 20 MB",
			Fix: "turn batching down or leave large values out of properties"}
	}
	return hookbridge.AnswerReading{}
}
