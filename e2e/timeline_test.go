package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/hookbridge/hookbridge"
)

// timelineAnswer is the answer of GET …/customers/{customer}/timeline.
type timelineAnswer struct {
	Customer string `json:"customer"`
	Data     []struct {
		ID         string `json:"id"`
		EventType  string `json:"event_type"`
		Deliveries []struct {
			ID          string                    `json:"id"`
			EndpointID  string                    `json:"endpoint_id"`
			Integration string                    `json:"integration"`
			Status      hookbridge.DeliveryStatus `json:"status"`
			LastAttempt *struct {
				ResponseStatus int    `json:"response_status"`
				URL            string `json:"url"`
			} `json:"last_attempt"`
			Identifiers []struct{ Field, Value string } `json:"identifiers"`
		} `json:"deliveries"`
	} `json:"data"`
	NextBefore string `json:"next_before"`
}

func (a timelineAnswer) ids() []string {
	ids := make([]string, len(a.Data))
	for i, e := range a.Data {
		ids[i] = e.ID
	}
	return ids
}

func (h *harness) timeline(app, customer, query string) timelineAnswer {
	h.t.Helper()
	var out timelineAnswer
	h.mustCall("GET", "/api/v1/apps/"+app+"/customers/"+url.PathEscape(customer)+"/timeline"+query, nil, http.StatusOK, &out)
	return out
}

// customerPayload is the catalogue's sample of an event type with its
// customer replaced.
func customerPayload(t *testing.T, eventType, customerID, email string) json.RawMessage {
	t.Helper()
	_, p := sample(t, eventType)
	data := p["data"].(map[string]any)
	if customer, ok := data["customer"].(map[string]any); ok {
		customer["customer_id"], customer["email"] = customerID, email
	} else {
		data["customer_id"] = customerID
	}
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestCustomerTimeline posts events about a customer, by id and by e-mail
// address, delivered to Segment and Customer.io (fakes), and reads the
// customer's timeline: newest first, each delivery's outcome and the
// identifier each tool received, paged, and blind to another app.
func TestCustomerTimeline(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	segment := h.createEndpoint(map[string]any{"integration": "segment", "template": "payment-events",
		"credentials": seg.Credentials(), "event_types": []string{"payment.succeeded"}})
	customerio := h.createEndpoint(map[string]any{"integration": "customerio", "template": "payment-completed",
		"credentials": cio.Credentials(), "event_types": []string{"payment.succeeded"}})

	first := h.postMessage("payment.succeeded", customerPayload(t, "payment.succeeded", "cus_tl_1", "Tina@Example.com"), "")
	second := h.postMessage("payment.succeeded", customerPayload(t, "payment.succeeded", "cus_tl_2", "tina@example.com"), "")
	credit := h.postMessage("credit.added", customerPayload(t, "credit.added", "cus_tl_1", ""), "")
	h.postMessage("payment.succeeded", customerPayload(t, "payment.succeeded", "cus_other", "other@example.com"), "")
	h.waitDeliveries(first.ID)
	h.waitDeliveries(second.ID)

	byID := h.timeline("default", "cus_tl_1", "")
	if got, want := byID.ids(), []string{credit.ID, first.ID}; !slices.Equal(got, want) {
		t.Fatalf("timeline of cus_tl_1 = %v, want %v (newest first)", got, want)
	}
	if byID.Customer != "cus_tl_1" || byID.NextBefore != "" {
		t.Errorf("customer %q, next_before %q; want cus_tl_1 and no next page", byID.Customer, byID.NextBefore)
	}
	if len(byID.Data[0].Deliveries) != 0 {
		t.Errorf("the credit event no endpoint accepts lists deliveries: %+v", byID.Data[0].Deliveries)
	}
	sent := map[string][]struct{ Field, Value string }{}
	for _, d := range byID.Data[1].Deliveries {
		if d.Status != hookbridge.DeliverySucceeded || d.LastAttempt == nil || d.LastAttempt.ResponseStatus != 200 {
			t.Errorf("delivery to %s: status %s, last attempt %+v; want succeeded with a 200", d.Integration, d.Status, d.LastAttempt)
		}
		sent[d.EndpointID] = d.Identifiers
	}
	wantSent := map[string][]struct{ Field, Value string }{
		segment.ID:    {{"userId", "cus_tl_1"}},
		customerio.ID: {{"identifiers.id", "cus_tl_1"}},
	}
	jsonEqual(t, "identifiers sent to each tool", sent, wantSent)

	byEmail := h.timeline("default", "TINA@example.com", "")
	if got, want := byEmail.ids(), []string{second.ID, first.ID}; !slices.Equal(got, want) {
		t.Errorf("timeline of the e-mail address = %v, want %v", got, want)
	}

	page1 := h.timeline("default", "tina@example.com", "?limit=1")
	page2 := h.timeline("default", "tina@example.com", "?limit=1&before="+page1.NextBefore)
	page3 := h.timeline("default", "tina@example.com", "?limit=1&before="+page2.NextBefore)
	if got := slices.Concat(page1.ids(), page2.ids(), page3.ids()); !slices.Equal(got, []string{second.ID, first.ID}) || page1.NextBefore == "" {
		t.Errorf("pages of one = %v (next_before %q), want %s then %s", got, page1.NextBefore, second.ID, first.ID)
	}

	if got := h.timeline("default", "cus_nobody", ""); got.Data == nil || len(got.Data) != 0 {
		t.Errorf("an unknown customer's timeline = %+v, want an empty list", got)
	}
	for _, limit := range []string{"0", "101", "x"} {
		if status := h.call("GET", "/api/v1/apps/default/customers/cus_tl_1/timeline?limit="+limit, nil, nil); status != http.StatusUnprocessableEntity {
			t.Errorf("limit=%s: status %d, want 422", limit, status)
		}
	}

	h.mustCall("POST", "/api/v1/apps", map[string]any{"id": "other-shop", "name": "Other"}, http.StatusCreated, nil)
	var theirs messageAnswer
	h.mustCall("POST", "/api/v1/apps/other-shop/messages", map[string]any{"event_type": "payment.succeeded",
		"payload": customerPayload(t, "payment.succeeded", "cus_tl_1", "tina@example.com")}, http.StatusAccepted, &theirs)
	if got := h.timeline("default", "cus_tl_1", ""); slices.Contains(got.ids(), theirs.ID) {
		t.Errorf("another app's message %s is in this app's timeline", theirs.ID)
	}
	if got := h.timeline("other-shop", "tina@example.com", ""); !slices.Equal(got.ids(), []string{theirs.ID}) {
		t.Errorf("timeline in the other app = %v, want only %s", got.ids(), theirs.ID)
	}
}
