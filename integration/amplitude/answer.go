package amplitude

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// Retry delays the HTTP V2 API's 429 asks for: a throttled user or device
// waits 30 seconds; a daily quota lifts later.
const (
	throttledDelay = 30 * time.Second
	quotaDelay     = time.Hour
)

// apiAnswer is the HTTP V2 API's JSON answer to an error.
type apiAnswer struct {
	Code                    int              `json:"code"`
	Error                   string           `json:"error"`
	MissingField            string           `json:"missing_field"`
	EventsWithInvalidFields map[string][]int `json:"events_with_invalid_fields"`
	EventsWithMissingFields map[string][]int `json:"events_with_missing_fields"`
	SilencedEvents          []int            `json:"silenced_events"`

	EPSThreshold              int            `json:"eps_threshold"`
	ThrottledUsers            map[string]int `json:"throttled_users"`
	ThrottledDevices          map[string]int `json:"throttled_devices"`
	ExceededDailyQuotaUsers   map[string]int `json:"exceeded_daily_quota_users"`
	ExceededDailyQuotaDevices map[string]int `json:"exceeded_daily_quota_devices"`
}

// eventErrors maps each event index the answer names to what is wrong
// with it.
func (a apiAnswer) eventErrors() map[int][]string {
	out := map[int][]string{}
	add := func(fields map[string][]int, what string) {
		for _, field := range slices.Sorted(maps.Keys(fields)) {
			for _, i := range fields[field] {
				out[i] = append(out[i], what+" "+field)
			}
		}
	}
	add(a.EventsWithInvalidFields, "invalid field")
	add(a.EventsWithMissingFields, "missing field")
	for _, i := range a.SilencedEvents {
		out[i] = append(out[i], "silenced device (Amplitude blocks its events)")
	}
	return out
}

// readAnswer reads the HTTP V2 API's answers. A 400 naming some events of
// a batch is retried (Amplitude refused the whole request: the named
// events fail through SplitBatchResponse and the rest go again); any other
// 400 fails with what is wrong (a delivery's own request would be refused
// the same way again); 413 fails; 429 is retried after the delay its body
// implies.
func readAnswer(req *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
	var ans apiAnswer
	_ = json.Unmarshal(a.Body, &ans)
	switch a.Status {
	case http.StatusBadRequest:
		return readBadRequest(req, ans, a.BatchSize)
	case http.StatusRequestEntityTooLarge:
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
			Reason: "the request is over Amplitude's 1 MB or 2,000 events", Fix: "send fewer or smaller events per delivery"}
	case http.StatusTooManyRequests:
		return readTooMany(ans)
	}
	return hookbridge.AnswerReading{}
}

// readBadRequest reads a 400 to a request of batchSize deliveries' items
// (0 for one delivery's).
func readBadRequest(req *hookbridge.OutboundRequest, ans apiAnswer, batchSize int) hookbridge.AnswerReading {
	switch {
	case strings.Contains(strings.ToLower(ans.Error), "invalid api key"):
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: "Amplitude does not know the API key",
			Fix: "copy the API key from the project's General settings, and check the data residency (a project in the EU data center is not known on the US host)"}
	case ans.MissingField != "":
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: "the request has no " + ans.MissingField,
			Fix: "return webhook.payload = {events: [...]}; hookbridge adds api_key"}
	}
	named := ans.eventErrors()
	if len(named) == 0 {
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: kit.TextOr(ans.Error, "Amplitude could not read the request"),
			Fix: "see the test result's problems"}
	}
	if n := eventCount(req); batchSize > 0 && len(named) < n {
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerRetry,
			Reason: fmt.Sprintf("Amplitude refused the request for %d of its %d events; the others are sent again without them", len(named), n)}
	}
	first := slices.Min(mapsKeys(named))
	reason := fmt.Sprintf("%s: %s", kit.TextOr(ans.Error, "Amplitude refused the events"), strings.Join(named[first], ", "))
	if n := eventCount(req); n > 1 {
		reason = fmt.Sprintf("%s, in event %d of %d; Amplitude ingested none of them", reason, first, n)
	}
	return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed,
		Reason: reason,
		Fix:    "change the transformation so that the event passes; the test result lists each problem"}
}

// readTooMany reads a 429: throttled users or devices wait 30 seconds,
// an exceeded daily quota longer.
func readTooMany(ans apiAnswer) hookbridge.AnswerReading {
	if len(ans.ExceededDailyQuotaUsers)+len(ans.ExceededDailyQuotaDevices) > 0 {
		return hookbridge.AnswerReading{Verdict: hookbridge.AnswerRetry, RetryAfter: quotaDelay,
			Reason: "users or devices over Amplitude's daily event quota: " + ids(ans.ExceededDailyQuotaUsers, ans.ExceededDailyQuotaDevices)}
	}
	reason := "Amplitude throttled the request"
	if who := ids(ans.ThrottledUsers, ans.ThrottledDevices); who != "" {
		reason = fmt.Sprintf("users or devices over %d events a second: %s", max(ans.EPSThreshold, 30), who)
	}
	return hookbridge.AnswerReading{Verdict: hookbridge.AnswerRetry, RetryAfter: throttledDelay, Reason: reason}
}

// ids lists the user and device ids of a 429, sorted.
func ids(users, devices map[string]int) string {
	var out []string
	for _, id := range slices.Sorted(maps.Keys(users)) {
		out = append(out, "user "+id)
	}
	for _, id := range slices.Sorted(maps.Keys(devices)) {
		out = append(out, "device "+id)
	}
	return strings.Join(out, ", ")
}

func mapsKeys(m map[int][]string) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// eventCount is the number of events in the request's body.
func eventCount(req *hookbridge.OutboundRequest) int {
	if req == nil {
		return 0
	}
	body, _ := req.Object()
	events, _ := body["events"].([]any)
	return len(events)
}
