package httpapi

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"
)

// TestMessageAcceptedAnswersAsTheMapDid: the answer to a posted message
// is, byte for byte, what writeJSON made of it as a map, whatever it holds.
func TestMessageAcceptedAnswersAsTheMapDid(t *testing.T) {
	utc := time.Date(2025, 8, 4, 5, 30, 45, 123456000, time.UTC)
	cases := []messageAccepted{
		{ID: "msg_01J9ZQ", EventID: "evt_1", EventType: "payment.succeeded", CreatedAt: utc},
		{ID: "msg_01J9ZQ", EventID: "msg_01J9ZQ", EventType: "refund.failed", CreatedAt: utc.Truncate(time.Second), Duplicate: true},
		{ID: "msg_1", EventID: `a"b\c`, EventType: "x", CreatedAt: utc},
		{ID: "msg_1", EventID: "<tag>&amp;", EventType: "x", CreatedAt: utc},
		{ID: "msg_1", EventID: "tab\there\nnl\x00\x1f\x7f", EventType: "x", CreatedAt: utc},
		{ID: "msg_1", EventID: "é ✓ \u2028 \u2029 \xff", EventType: "x", CreatedAt: utc},
		{ID: "msg_1", EventID: "", EventType: "", CreatedAt: time.Time{}},
		{ID: "msg_1", EventID: "e", EventType: "x", CreatedAt: utc.In(time.FixedZone("", 5*3600+30*60))},
		{ID: "msg_1", EventID: "e", EventType: "x", CreatedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, a := range cases {
		got := httptest.NewRecorder()
		writeJSON(got, http.StatusAccepted, a)
		want := httptest.NewRecorder()
		writeJSON(want, http.StatusAccepted, map[string]any{
			"id": a.ID, "event_id": a.EventID, "event_type": a.EventType,
			"created_at": a.CreatedAt, "duplicate": a.Duplicate,
		})
		if got.Code != want.Code || got.Body.String() != want.Body.String() || !reflect.DeepEqual(got.Header(), want.Header()) {
			t.Errorf("for %+v:\n got %d %v %q\nwant %d %v %q", a, got.Code, got.Header(), got.Body, want.Code, want.Header(), want.Body)
		}
	}
}
