package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

type deliveryPage struct {
	Data []hookbridge.Delivery `json:"data"`
}

// customerSample is the sample of an event type about another customer.
func customerSample(t *testing.T, eventType, email string) json.RawMessage {
	t.Helper()
	_, payload := sample(t, eventType)
	payload["data"].(map[string]any)["customer"].(map[string]any)["email"] = email
	b, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// failingAndWorking makes two Segment endpoints, one with a wrong write
// key (every delivery fails at once, a 401 is not retried) and one that
// works, and posts three events, the last about zoe@example.com.
func failingAndWorking(t *testing.T, h *harness) (bad, good endpointView, zoeMsg string) {
	t.Helper()
	bad = segmentEndpoint(h, hookbridge.Credentials{"write_key": "not-the-write-key"})
	good = segmentEndpoint(h, h.segment.Credentials())
	payload, _ := sample(t, "payment.succeeded")
	h.waitDeliveries(h.postMessage("payment.succeeded", payload, "").ID)
	h.waitDeliveries(h.postMessage("payment.succeeded", payload, "").ID)
	zoeMsg = h.postMessage("payment.succeeded", customerSample(t, "payment.succeeded", "zoe@example.com"), "").ID
	h.waitDeliveries(zoeMsg)
	return bad, good, zoeMsg
}

func TestDeliveriesFilteredByCustomer(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	_, _, zoeMsg := failingAndWorking(t, h)
	var page deliveryPage
	h.mustCall("GET", "/api/v1/apps/default/deliveries?customer=zoe@example.com", nil, http.StatusOK, &page)
	if len(page.Data) != 2 {
		t.Fatalf("%d deliveries of zoe's event, want 2 (one per endpoint): %+v", len(page.Data), page.Data)
	}
	for _, d := range page.Data {
		if d.MessageID != zoeMsg {
			t.Errorf("delivery %s of message %s is not about zoe", d.ID, d.MessageID)
		}
	}
	h.mustCall("GET", "/api/v1/apps/default/deliveries?customer=zoe@example.com&status=failed", nil, http.StatusOK, &page)
	if len(page.Data) != 1 || page.Data[0].Status != hookbridge.DeliveryFailed {
		t.Fatalf("failed deliveries of zoe: %+v, want the one to the bad endpoint", page.Data)
	}
}

func TestRetryFailedRetriesWhatTheFilterSelects(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	bad, _, zoeMsg := failingAndWorking(t, h)

	var ans struct {
		Queued    int  `json:"queued"`
		Truncated bool `json:"truncated"`
	}
	h.mustCall("POST", "/api/v1/apps/default/deliveries/retry-failed", map[string]any{"customer": "zoe@example.com"}, http.StatusAccepted, &ans)
	if ans.Queued != 1 || ans.Truncated {
		t.Fatalf("retry of zoe's failures: %+v, want 1 queued", ans)
	}
	for _, d := range h.waitDeliveries(zoeMsg) {
		want := 1
		if d.EndpointID == bad.ID {
			want = 2
		}
		if got := len(h.attempts(d.ID)); got != want {
			t.Errorf("delivery to %s has %d attempts, want %d", d.EndpointID, got, want)
		}
	}

	h.mustCall("POST", "/api/v1/apps/default/deliveries/retry-failed", map[string]any{"endpoint_id": bad.ID, "event_type": "payment.succeeded"}, http.StatusAccepted, &ans)
	if ans.Queued != 3 {
		t.Fatalf("retry of the bad endpoint's failures queued %d, want 3", ans.Queued)
	}
	h.mustCall("POST", "/api/v1/apps/default/deliveries/retry-failed", map[string]any{"event_type": "refund.succeeded"}, http.StatusAccepted, &ans)
	if ans.Queued != 0 {
		t.Fatalf("a filter matching nothing queued %d", ans.Queued)
	}
	since := time.Now().Add(time.Hour).UTC()
	if got := h.call("POST", "/api/v1/apps/default/deliveries/retry-failed", map[string]any{"since": since, "until": since.Add(-time.Minute)}, nil); got != http.StatusUnprocessableEntity {
		t.Fatalf("since after until answered %d, want 422", got)
	}
}

func TestAppOverview(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	bad, good, _ := failingAndWorking(t, h)
	var ov struct {
		PerMinute []struct {
			Succeeded, Failed, Other int
		} `json:"per_minute"`
		Failures int `json:"failures"`
		Slowest  []struct {
			EndpointID string  `json:"endpoint_id"`
			Attempts   int     `json:"attempts"`
			P95MS      float64 `json:"p95_ms"`
		} `json:"slowest_endpoints"`
		Lag struct {
			Pending int `json:"pending"`
		} `json:"lag"`
	}
	h.mustCall("GET", "/api/v1/apps/default/overview?window=15m", nil, http.StatusOK, &ov)
	if len(ov.PerMinute) < 15 || len(ov.PerMinute) > 16 {
		t.Errorf("%d minutes in a 15-minute window", len(ov.PerMinute))
	}
	ok, failed := 0, 0
	for _, m := range ov.PerMinute {
		ok += m.Succeeded
		failed += m.Failed
	}
	if ok != 3 || failed != 3 || ov.Failures != 3 {
		t.Errorf("per minute: %d succeeded, %d failed, failures %d; want 3, 3, 3", ok, failed, ov.Failures)
	}
	seen := map[string]int{}
	for _, s := range ov.Slowest {
		seen[s.EndpointID] = s.Attempts
		if s.P95MS <= 0 {
			t.Errorf("endpoint %s: p95 %v ms", s.EndpointID, s.P95MS)
		}
	}
	if seen[bad.ID] != 3 || seen[good.ID] != 3 {
		t.Errorf("slowest endpoints %+v, want both with 3 attempts", ov.Slowest)
	}
	if ov.Lag.Pending != 0 {
		t.Errorf("%d pending after every delivery finished", ov.Lag.Pending)
	}
	if got := h.call("GET", "/api/v1/apps/default/overview?window=3d", nil, nil); got != http.StatusUnprocessableEntity {
		t.Errorf("a 3-day window answered %d, want 422", got)
	}
}

func TestSourceSendsSignedSample(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	good := segmentEndpoint(h, h.segment.Credentials())
	var src struct {
		ID string `json:"id"`
	}
	h.mustCall("POST", "/api/v1/apps/default/sources", map[string]any{"name": "platform"}, http.StatusCreated, &src)
	var ans struct {
		ID        string `json:"id"`
		WebhookID string `json:"webhook_id"`
	}
	h.mustCall("POST", "/api/v1/apps/default/sources/"+src.ID+"/send-sample", map[string]any{"event_type": "payment.succeeded"}, http.StatusCreated, &ans)
	msg, _ := h.message(ans.ID)
	if msg.SourceID != src.ID || msg.EventID != ans.WebhookID || msg.EventType != "payment.succeeded" {
		t.Fatalf("message %+v: want one of the source, its event id the webhook-id", msg)
	}
	dels := h.waitDeliveries(ans.ID)
	if len(dels) != 1 || dels[0].EndpointID != good.ID || dels[0].Status != hookbridge.DeliverySucceeded {
		t.Fatalf("deliveries %+v, want one succeeded to the endpoint", dels)
	}
	if got := h.call("POST", "/api/v1/apps/default/sources/"+src.ID+"/send-sample", map[string]any{"event_type": "payment.exploded"}, nil); got != http.StatusUnprocessableEntity {
		t.Errorf("an unknown event type answered %d, want 422", got)
	}
}

func TestEndpointSendTest(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	good := segmentEndpoint(h, h.segment.Credentials())
	bad := segmentEndpoint(h, hookbridge.Credentials{"write_key": "not-the-write-key"})
	var res struct {
		Status   string `json:"status"`
		Response struct {
			Status    int `json:"status"`
			Judgement struct {
				Outcome string `json:"outcome"`
			} `json:"judgement"`
		} `json:"response"`
	}
	h.mustCall("POST", "/api/v1/apps/default/endpoints/"+good.ID+"/send-test", map[string]any{"event_type": "payment.succeeded"}, http.StatusOK, &res)
	if res.Status != "ready" || res.Response.Status != http.StatusOK || len(seg.Accepted()) != 1 {
		t.Fatalf("test to the working endpoint: %+v, Segment accepted %d; want sent and accepted once", res, len(seg.Accepted()))
	}
	h.mustCall("POST", "/api/v1/apps/default/endpoints/"+bad.ID+"/send-test", map[string]any{"event_type": "payment.succeeded"}, http.StatusOK, &res)
	if res.Response.Status != http.StatusUnauthorized {
		t.Fatalf("test to the endpoint with a wrong key: %+v, want Segment's 401", res)
	}
	var msgs struct {
		Data []json.RawMessage `json:"data"`
	}
	h.mustCall("GET", "/api/v1/apps/default/messages", nil, http.StatusOK, &msgs)
	if len(msgs.Data) != 0 {
		t.Errorf("a test event stored %d messages, want none", len(msgs.Data))
	}
	if got := h.call("POST", "/api/v1/apps/default/endpoints/"+good.ID+"/send-test", map[string]any{"event_type": "nope"}, nil); got != http.StatusUnprocessableEntity {
		t.Errorf("an unknown event type answered %d, want 422", got)
	}
}

func TestAppRename(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	const app = "/api/v1/apps/default"
	h.mustCall("PATCH", app, map[string]any{"retry_schedule": []string{"0s", "1m"}}, http.StatusOK, nil)
	var got struct {
		ID            string   `json:"id"`
		Name          string   `json:"name"`
		RetrySchedule []string `json:"retry_schedule"`
	}
	h.mustCall("PATCH", app, map[string]any{"name": "  Acme Payments "}, http.StatusOK, &got)
	if got.Name != "Acme Payments" || got.ID != "default" {
		t.Fatalf("PATCH name answered %+v", got)
	}
	h.mustCall("GET", app, nil, http.StatusOK, &got)
	if got.Name != "Acme Payments" || len(got.RetrySchedule) != 2 {
		t.Errorf("after the rename the app reads %+v; want the new name and the schedule kept", got)
	}
	var list struct {
		Data []struct{ ID, Name string } `json:"data"`
	}
	h.mustCall("GET", "/api/v1/apps", nil, http.StatusOK, &list)
	if len(list.Data) != 1 || list.Data[0].Name != "Acme Payments" {
		t.Errorf("apps listed %+v", list.Data)
	}
	for _, bad := range []string{"", "   ", string(bytes.Repeat([]byte("x"), 201))} {
		if code := h.call("PATCH", app, map[string]any{"name": bad, "retry_schedule": []string{"0s"}}, nil); code != http.StatusUnprocessableEntity {
			t.Errorf("name %q answered %d, want 422", bad, code)
		}
	}
	h.mustCall("GET", app, nil, http.StatusOK, &got)
	if got.Name != "Acme Payments" || len(got.RetrySchedule) != 2 {
		t.Errorf("a refused rename changed the app: %+v", got)
	}
}
