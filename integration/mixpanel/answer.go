package mixpanel

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// importAnswer is the Import API's JSON answer.
type importAnswer struct {
	Code               int            `json:"code"`
	Error              string         `json:"error"`
	Status             any            `json:"status"`
	NumRecordsImported *int           `json:"num_records_imported"`
	FailedRecords      []failedRecord `json:"failed_records"`
}

// failedRecord is one event strict mode refused. The documentation names
// the id insert_id; $insert_id is read too.
type failedRecord struct {
	Index        *int   `json:"index"`
	InsertID     string `json:"insert_id"`
	DollarInsert string `json:"$insert_id"`
	Field        string `json:"field"`
	Message      string `json:"message"`
}

func (r failedRecord) describe() string {
	msg := r.Message
	if r.Field != "" && !strings.Contains(msg, r.Field) {
		msg = r.Field + ": " + msg
	}
	if id := r.insertID(); id != "" {
		msg += " ($insert_id " + id + ")"
	}
	return msg
}

func (r failedRecord) insertID() string {
	if r.InsertID != "" {
		return r.InsertID
	}
	return r.DollarInsert
}

// readAnswer reads the Import API's answers: a strict-mode 400 to a batch
// that imported some of its events is accepted (the refused ones fail
// through SplitBatchResponse); any other strict-mode 400 fails with the
// first refusal (a delivery whose own events were partly refused needs
// its transformation fixed: a retry would be refused the same way);
// 401, 403 and 413 fail with what to change; 429 is retried.
func readAnswer(req *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	var ans importAnswer
	_ = json.Unmarshal(a.Body, &ans)
	switch a.Status {
	case http.StatusBadRequest:
		return readBadRequest(req, ans, a.BatchSize)
	case http.StatusUnauthorized:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
			Reason: kit.TextOr(ans.Error, "Mixpanel refused the service account's credentials"),
			Fix:    "check the service account username and secret; a deleted or expired service account is refused too"}
	case http.StatusForbidden:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
			Reason: kit.TextOr(ans.Error, "the service account may not import into this project"),
			Fix:    "give the service account the Owner or Admin role on the project, and check the Project ID and data residency"}
	case http.StatusRequestEntityTooLarge:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
			Reason: "the import is over Mixpanel's 10 MB", Fix: "send fewer or smaller events per delivery"}
	case http.StatusTooManyRequests:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerRetry,
			Reason: kit.TextOr(ans.Error, "Mixpanel's rate limit (2 GB of events a minute per project) was reached")}
	}
	return hookbridge.AnswerReading{}
}

// readBadRequest reads a 400 to a request of batchSize deliveries' items
// (0 for one delivery's): strict mode's list of refused events, or a
// request Mixpanel could not take at all.
func readBadRequest(req *hookbridge.OutboundRequest, ans importAnswer, batchSize int) hookbridge.AnswerReading {
	if len(ans.FailedRecords) == 0 {
		fix := "send a JSON array of {event, properties} objects; see the test result's problems"
		if strings.Contains(ans.Error, "project_id") {
			fix = "set the endpoint's Project ID (Project Settings → Overview)"
		}
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
			Reason: kit.TextOr(ans.Error, "Mixpanel could not read the import"), Fix: fix}
	}
	failed := len(ans.FailedRecords)
	imported := eventCount(req) - failed
	if ans.NumRecordsImported != nil {
		imported = *ans.NumRecordsImported
	}
	if batchSize > 0 && imported > 0 {
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerAccepted,
			Reason: fmt.Sprintf("Mixpanel imported %d events of the batch and refused %d", imported, failed)}
	}
	reason := ans.FailedRecords[0].describe()
	if failed > 1 {
		reason += fmt.Sprintf(" (and %d more refused events)", failed-1)
	}
	if imported > 0 {
		reason = fmt.Sprintf("Mixpanel imported %d of the events and refused %d: %s", imported, failed, reason)
	}
	return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: reason,
		Fix: "change the transformation so that every event passes; the test result lists each problem"}
}

// eventCount is the number of events in the request's body.
func eventCount(req *hookbridge.OutboundRequest) int {
	if req == nil {
		return 0
	}
	events, _ := eventsOf(req)
	return len(events)
}
