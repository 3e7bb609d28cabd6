package e2e

import (
	"net/http"
	"testing"

	"github.com/hookbridge/hookbridge"
)

// TestDeliveryLogAnswersTheTroubleshootingQuestions: the delivery log shows,
// per endpoint and filtered, every attempt's request as sent (credentials
// masked), the response status and body, duration and error — what the
// source documents' troubleshooting sections ask about.
func TestDeliveryLogAnswersTheTroubleshootingQuestions(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	ep := segmentEndpoint(h, seg.Credentials())
	pay, _ := sample(t, "payment.succeeded")
	failed, _ := sample(t, "payment.failed")
	seg.FailNext(1, http.StatusInternalServerError)
	// One message at a time, so the injected 500 lands on the first one's
	// first attempt and not on whichever the dispatcher happens to send first.
	first := h.postMessage("payment.succeeded", pay, "")
	h.waitDeliveries(first.ID)
	second := h.postMessage("payment.failed", failed, "")
	h.waitDeliveries(second.ID)

	var all, onlyFailedType, succeeded, none struct {
		Data []hookbridge.Delivery `json:"data"`
	}
	base := "/api/v1/apps/default/endpoints/" + ep.ID + "/deliveries"
	h.mustCall("GET", base, nil, http.StatusOK, &all)
	h.mustCall("GET", base+"?event_type=payment.failed", nil, http.StatusOK, &onlyFailedType)
	h.mustCall("GET", base+"?status=succeeded", nil, http.StatusOK, &succeeded)
	h.mustCall("GET", base+"?status=failed", nil, http.StatusOK, &none)
	if len(all.Data) != 2 || len(onlyFailedType.Data) != 1 || onlyFailedType.Data[0].MessageID != second.ID ||
		len(succeeded.Data) != 2 || len(none.Data) != 0 {
		t.Fatalf("filters: all %d, by type %d, succeeded %d, failed %d", len(all.Data), len(onlyFailedType.Data), len(succeeded.Data), len(none.Data))
	}
	var e apiErr
	if status := h.call("GET", base+"?status=lost", nil, &e); status != http.StatusUnprocessableEntity {
		t.Fatalf("bad status filter answered %d", status)
	}

	_, dels := h.message(first.ID)
	atts := h.attempts(dels[0].ID)
	if len(atts) != 2 {
		t.Fatalf("%d attempts, want a 500 then a 200", len(atts))
	}
	for i, a := range atts {
		if a.Request.Method != "POST" || a.Request.URL != "https://api.segment.io/v1/track" || a.Request.Body == "" ||
			a.Request.Headers["Authorization"] != "Basic ********" || a.Duration <= 0 || a.ResponseBody == "" {
			t.Fatalf("attempt %d is missing what was sent or received: %+v", i, a)
		}
	}
	if atts[0].ResponseStatus != 500 || atts[1].ResponseStatus != 200 || atts[1].ResponseBody != `{"success":true}` {
		t.Fatalf("attempt statuses %d, %d (%q)", atts[0].ResponseStatus, atts[1].ResponseStatus, atts[1].ResponseBody)
	}
	// Another endpoint id, or a delivery of nobody's, is not found.
	if status := h.call("GET", "/api/v1/apps/default/endpoints/ep_nope/deliveries", nil, nil); status != http.StatusNotFound {
		t.Fatalf("unknown endpoint's deliveries answered %d", status)
	}
}
