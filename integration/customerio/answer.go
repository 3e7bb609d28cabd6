package customerio

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/hookbridge/hookbridge"
)

// readAnswer reads the Track API's documented error answers, each with
// what to change; the status decides, as for any destination, whether the
// delivery is retried:
//   - 401 (no body): the Site ID and API key, or the region, are wrong;
//   - 400: the errors the body names, v2's {"errors":[{"reason","field",
//     "message"}]} or v1's {"meta":{"errors":[…]}};
//   - 429: the workspace's rate limit.
func readAnswer(_ *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	switch a.Status {
	case http.StatusUnauthorized:
		return hookbridge.AnswerReading{
			Reason: "Customer.io refused the Site ID and API key",
			Fix: "check the endpoint's site_id and api_key against Customer.io's Settings → Account Settings → API Credentials → " +
				"Track API keys (a Track API key, not an App API key), and its region: a US account is refused on the EU host",
		}
	case http.StatusBadRequest:
		if errs := answerErrors(a.Body); errs != "" {
			return hookbridge.AnswerReading{
				Reason: "Customer.io refused the request: " + errs,
				Fix:    "change the transformation so that it sends what Customer.io names; the endpoint's test shows the request and what Customer.io would refuse",
			}
		}
	case http.StatusTooManyRequests:
		return hookbridge.AnswerReading{
			Reason: "over Customer.io's rate limit (about 100 requests a second per workspace)",
			Fix: "lower the endpoint's rate_limit, or turn batching on to send several deliveries in one request; " +
				"endpoints that send to the same workspace share its limit",
		}
	}
	return hookbridge.AnswerReading{}
}

// answerErrors joins the errors a 400 body names, "" if it names none.
func answerErrors(body []byte) string {
	var answer struct {
		Errors []batchError `json:"errors"`
		Meta   struct {
			Errors []string `json:"errors"`
		} `json:"meta"`
	}
	if json.Unmarshal(body, &answer) != nil {
		return ""
	}
	var msgs []string
	for _, e := range answer.Errors {
		msgs = append(msgs, describeBatchError(e))
	}
	msgs = append(msgs, answer.Meta.Errors...)
	return truncate(strings.Join(msgs, "; "), 500)
}
