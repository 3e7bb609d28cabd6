package inngest

import (
	"encoding/json"
	"net/http"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// reply is the Event API's answer: {"ids": […], "status": 200}, or
// {"error": "…", "status": 4xx}.
type reply struct {
	IDs    []string `json:"ids"`
	Status int      `json:"status"`
	Error  string   `json:"error"`
}

// readAnswer reads the Event API's answers: 401 an event key Inngest does
// not know, 400 an event it refuses (with its error), 413 an event over
// the plan's size — all for good; a 2xx whose body reports an error
// status fails too.
func readAnswer(_ *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	var r reply
	_ = json.Unmarshal(a.Body, &r)
	switch {
	case a.Status == http.StatusUnauthorized:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
			Reason: kit.TextOr(r.Error, "the event key is not known"),
			Fix:    "copy an event key from Inngest (Manage → Event Keys) of the environment your functions run in, and set it in this endpoint's credentials"}
	case a.Status == http.StatusBadRequest:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
			Reason: kit.TextOr(r.Error, "Inngest refused the event"),
			Fix:    "give each event a name and make data and user objects, as the templates do"}
	case a.Status == http.StatusRequestEntityTooLarge:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
			Reason: kit.TextOr(r.Error, "the event is over the plan's size limit"),
			Fix:    "send fewer fields (256 KiB per event on the free plan, 3 MiB on paid plans)"}
	case a.Status >= 200 && a.Status < 300 && r.Status >= 400:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: kit.TextOr(r.Error, "Inngest reported an error")}
	}
	return hookbridge.AnswerReading{}
}
