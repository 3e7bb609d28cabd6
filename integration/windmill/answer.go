package windmill

import (
	"net/http"
	"strings"

	"github.com/hookbridge/hookbridge"
)

// readAnswer reads Windmill's answers: 401 a token that is wrong, expired
// or revoked; 403 a token without the right to run this script or flow;
// 404 no script or flow at that path in that workspace; 400 arguments the
// script does not take — all for good, with Windmill's message.
func readAnswer(_ *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	msg := strings.TrimSpace(string(a.Body))
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	switch a.Status {
	case http.StatusUnauthorized:
		return failed("the token is not valid (wrong, expired or revoked)", msg,
			"create a token in Windmill (Account settings → Tokens) and set it in this endpoint's credentials")
	case http.StatusForbidden:
		return failed("the token may not run this script or flow", msg,
			"use a token of a user (or with a scope) allowed to run it, or share the script with that user")
	case http.StatusNotFound:
		return failed("there is no script or flow at this path in this workspace", msg,
			"copy the UUID/Async webhook URL again from the script's or flow's Triggers tab (it changes when the script is moved or renamed)")
	case http.StatusBadRequest:
		return failed("Windmill refused the arguments", msg,
			"make the script's parameters match the event's fields (names and types), or make the extra ones optional")
	}
	return hookbridge.AnswerReading{}
}

func failed(reason, body, fix string) hookbridge.AnswerReading {
	if body != "" {
		reason += " (" + body + ")"
	}
	return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: reason, Fix: fix}
}
