package pipedream

import (
	"net/http"

	"github.com/hookbridge/hookbridge"
)

// readAnswer reads Pipedream's answers: 404 is an endpoint whose workflow
// or source was deleted, 413 a body over 512 KB, both for good; 429 its
// rate limit, retried.
func readAnswer(_ *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	switch a.Status {
	case http.StatusNotFound:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
			Reason: "there is no workflow at this endpoint: its workflow or HTTP source was deleted",
			Fix:    "add an HTTP / Webhook trigger to a workflow, deploy it, and paste its endpoint URL into this endpoint's credentials"}
	case http.StatusRequestEntityTooLarge:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
			Reason: "the body is over Pipedream's 512 KB limit for HTTP triggers",
			Fix:    "send only the fields the workflow uses (the flat templates do)"}
	case http.StatusTooManyRequests:
		return hookbridge.AnswerReading{
			Reason: "Pipedream's rate limit for HTTP triggers (an average of 10 requests a second)",
			Fix:    "lower this endpoint's rate limit"}
	}
	return hookbridge.AnswerReading{}
}
