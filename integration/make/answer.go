package make

import (
	"net/http"
	"strings"

	"github.com/hookbridge/hookbridge"
)

// readAnswer reads Make's answers: 400 "Queue is full" (the scenario is
// off or scheduled and its webhook queue reached its limit) is retried;
// 410 "There is no scenario listening for this webhook" fails for good;
// 413 a body over 5 MB; 429 its rate limit, retried.
func readAnswer(_ *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	body := strings.ToLower(string(a.Body))
	switch {
	case a.Status == http.StatusBadRequest && strings.Contains(body, "queue is full"):
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerRetry,
			Reason: "the webhook's queue is full: its scenario is off or scheduled and has not processed the events waiting",
			Fix:    "turn the scenario on, or set it to run immediately; events are retried until the queue has room"}
	case a.Status == http.StatusGone:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
			Reason: "there is no scenario listening for this webhook (the webhook was deleted or is not used by a scenario)",
			Fix:    "add the webhook to a scenario's Custom webhook trigger, or create a new one and paste its address into this endpoint's credentials"}
	case a.Status == http.StatusRequestEntityTooLarge:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
			Reason: "the body is over Make's 5 MB webhook limit",
			Fix:    "send only the fields the scenario maps (the flat templates do)"}
	case a.Status == http.StatusTooManyRequests:
		return hookbridge.AnswerReading{
			Reason: "Make's webhook rate limit (30 requests a second)",
			Fix:    "lower this endpoint's rate limit"}
	}
	return hookbridge.AnswerReading{}
}
