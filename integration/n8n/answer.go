package n8n

import (
	"encoding/json"
	"net/http"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// errorBody is n8n's JSON error: {"code":404,"message":"The requested
// webhook \"POST …\" is not registered.","hint":"…"}.
type errorBody struct {
	Message string `json:"message"`
	Hint    string `json:"hint"`
}

// readAnswer reads n8n's answers: 404 is a webhook not registered (the
// workflow is inactive, or the path or method is not the node's), 401 and
// 403 a Webhook node that asks for authentication, 413 a body over the
// instance's limit — all for good, with n8n's own message and hint.
func readAnswer(_ *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	var e errorBody
	_ = json.Unmarshal(a.Body, &e)
	switch a.Status {
	case http.StatusNotFound:
		fix := "activate the workflow and use the Webhook node's Production URL, with the node's HTTP method (POST)"
		if e.Hint != "" {
			fix = e.Hint
		}
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: kit.TextOr(e.Message, "the webhook is not registered"), Fix: fix}
	case http.StatusUnauthorized, http.StatusForbidden:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
			Reason: kit.TextOr(e.Message, "the Webhook node asks for authentication"),
			Fix:    "set the Webhook node's Authentication to None, or add its header (webhook.headers) in the transformation"}
	case http.StatusRequestEntityTooLarge:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
			Reason: "the body is over the instance's payload limit (N8N_PAYLOAD_SIZE_MAX, 16 MB by default)",
			Fix:    "send fewer fields, or raise N8N_PAYLOAD_SIZE_MAX on the instance"}
	}
	return hookbridge.AnswerReading{}
}
