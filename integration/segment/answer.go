package segment

import (
	"net/http"
	"strings"

	"github.com/hookbridge/hookbridge"
)

// readAnswer reads the Tracking API's error answers, each with what to
// change; the status decides, as for any destination, whether the
// delivery is retried. Segment answers 200 to almost everything (see
// validate for what it then drops); besides that:
//   - 401: the write key is wrong;
//   - 400 (a plain-text body): the body is not JSON or is over a size
//     limit;
//   - 429 (with Retry-After, which the dispatcher honours): the
//     workspace's rate limit.
func readAnswer(_ *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	switch a.Status {
	case http.StatusUnauthorized:
		return hookbridge.AnswerReading{
			Reason: "Segment refused the write key",
			Fix: "check the endpoint's write_key against Segment's Connections → Sources → your HTTP API source → " +
				"Settings → API Keys, and that its region is the workspace's",
		}
	case http.StatusBadRequest:
		reason := "Segment refused the request"
		if text := strings.TrimSpace(string(a.Body)); text != "" {
			reason += ": " + truncate(text, 300)
		}
		return hookbridge.AnswerReading{
			Reason: reason,
			Fix: "Segment answers 400 only for a body that is not JSON or is over its limits (32 KB a call or batched event, " +
				"500 KB and 2,500 events a batch): send fewer or smaller properties",
		}
	case http.StatusTooManyRequests:
		return hookbridge.AnswerReading{
			Reason: "over Segment's rate limit (1,000 requests a second per workspace)",
			Fix: "lower the endpoint's rate_limit, or turn batching on to send several deliveries in one request; " +
				"endpoints that send to the same workspace share its limit",
		}
	}
	return hookbridge.AnswerReading{}
}

// truncate shortens s to n bytes, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
