package zapier

import (
	"net/http"

	"github.com/hookbridge/hookbridge"
)

// readAnswer reads Zapier's answers: 410 is a Zap turned off or deleted
// (Zapier's REST-hook contract: stop sending), 404 no hook at that URL,
// both for good; 429 its rate limit, retried.
func readAnswer(_ *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	switch a.Status {
	case http.StatusGone:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
			Reason: "the Zap is turned off or was deleted",
			Fix:    "turn the Zap on in Zapier; if it was deleted, add a new Catch Hook trigger and paste its URL into this endpoint's credentials"}
	case http.StatusNotFound:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
			Reason: "there is no Catch Hook at this URL",
			Fix:    "copy the URL again from the Zap's Catch Hook trigger"}
	case http.StatusTooManyRequests:
		return hookbridge.AnswerReading{
			Reason: "Zapier's rate limit (30 requests a second on one hook, 10,000 every 5 minutes per account)",
			Fix:    "lower this endpoint's rate limit, or spread the events over several Zaps"}
	}
	return hookbridge.AnswerReading{}
}
