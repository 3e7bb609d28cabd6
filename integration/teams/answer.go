package teams

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/outbound"
)

// deliveryFailed starts the body of a legacy connector's 200 that reports
// a failure: "Webhook message delivery failed with error: Microsoft Teams
// endpoint returned HTTP error 429 with ContextId …".
const deliveryFailed = "Webhook message delivery failed"

// innerStatus finds the status Teams gave the connector inside such a
// body.
var innerStatus = regexp.MustCompile(`HTTP error (\d{3})`)

// workflowError is the JSON error of a Workflows (Logic Apps) trigger:
// {"error": {"code": "WorkflowNotFound", "message": "…"}}.
type workflowError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// readAnswer reads Teams' answers. A legacy connector answers 200 "1"
// when it posted; a 2xx with any other body is a failure Teams reports in
// the body, retried when Teams was throttled or failing (429, 5xx) and
// final otherwise. A Workflows error names its code, with a fix for the
// known ones.
func readAnswer(req *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	body := strings.TrimSpace(string(a.Body))
	switch {
	case a.Status >= 200 && a.Status < 300:
		if strings.HasPrefix(body, deliveryFailed) || (onConnector(req) && body != "" && body != "1") {
			return readFailureIn200(body)
		}
	case a.Status >= 400:
		var e workflowError
		if json.Unmarshal(a.Body, &e) == nil && e.Error.Code != "" {
			return readWorkflowError(a.Status, e)
		}
		if onConnector(req) && body != "" && !strings.HasPrefix(body, "<") {
			return hookbridge.AnswerReading{Reason: clip(body)}
		}
	}
	return hookbridge.AnswerReading{}
}

func onConnector(req *hookbridge.OutboundRequest) bool {
	u, err := url.Parse(req.URL)
	return err == nil && isConnector(outbound.Host(u))
}

// readFailureIn200 reads a connector's 200 that reports a failure.
func readFailureIn200(body string) hookbridge.AnswerReading {
	r := hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: "Teams did not post the message: " + clip(body)}
	m := innerStatus.FindStringSubmatch(body)
	if m == nil {
		r.Fix = "the connector may be retired or removed from the channel: create a Workflows webhook and paste its URL in the endpoint's credentials"
		return r
	}
	switch status, _ := strconv.Atoi(m[1]); {
	case status == http.StatusTooManyRequests:
		r.Verdict = hookbridge.AnswerRetry
		r.Fix = "Teams throttled the webhook (more than four messages a second): hookbridge retries later; lower the endpoint's rate limit if it happens often"
	case status >= 500:
		r.Verdict = hookbridge.AnswerRetry
		r.Fix = "Teams failed to post: hookbridge retries later"
	case status == http.StatusRequestEntityTooLarge:
		r.Fix = "the card is over 28 KB: shorten it in the transformation"
	default:
		r.Fix = "Teams could not render the card: check it in the Adaptive Cards designer (adaptivecards.io/designer) with version up to 1.5"
	}
	return r
}

// readWorkflowError names a Workflows error and says what to do.
func readWorkflowError(status int, e workflowError) hookbridge.AnswerReading {
	r := hookbridge.AnswerReading{Reason: fmt.Sprintf("%s: %s", e.Error.Code, clip(e.Error.Message))}
	switch e.Error.Code {
	case "WorkflowNotFound", "TriggerNotFound":
		r.Verdict = hookbridge.AnswerFailed
		r.Fix = "the flow was deleted, or its URL changed: copy the current URL from the flow's trigger and paste it in the endpoint's credentials"
	case "DirectApiAuthorizationRequired", "DirectApiInvalidAuthorizationSignature", "AuthorizationFailed":
		r.Verdict = hookbridge.AnswerFailed
		r.Fix = "the URL's signature (sp, sv, sig) is missing or wrong: paste the whole URL the trigger shows, with its query"
	case "WorkflowTriggerIsNotEnabled", "WorkflowDisabled":
		r.Verdict = hookbridge.AnswerFailed
		r.Fix = "the flow is turned off: turn it on in Power Automate (or the Teams Workflows app)"
	case "InvalidRequestContent", "TriggerInputSchemaMismatch":
		r.Verdict = hookbridge.AnswerFailed
		r.Fix = "send the message the flow expects: a JSON object with type \"message\" and Adaptive Card attachments"
	}
	if status == http.StatusTooManyRequests {
		r.Verdict = hookbridge.AnswerRetry
	}
	return r
}

// clip keeps an error text short enough to show.
func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
