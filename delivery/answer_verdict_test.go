package delivery

import (
	"testing"

	"github.com/hookbridge/hookbridge"
)

// A reading that says the tool already carried the request out turns a
// client error into a success; without it the same answer is retried.
func TestJudgeReadAccepted(t *testing.T) {
	resp := Response{Status: 409, Body: `{"success":false,"message":"Idempotency key already used"}`}
	if v, _ := judgeRead(resp, hookbridge.AnswerReading{}); v != verdictRetry {
		t.Fatalf("409 without a reading: verdict %v, want retry", v)
	}
	if v, why := judgeRead(resp, hookbridge.AnswerReading{Verdict: hookbridge.AnswerAccepted, Reason: "sent before"}); v != verdictSuccess || why != "" {
		t.Fatalf("409 read as accepted: verdict %v (%q), want success", v, why)
	}
}
