package delivery_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/amplitude/amplitudetest"
	"github.com/hookbridge/hookbridge/integration/mixpanel/mixpaneltest"
	"github.com/hookbridge/hookbridge/netguard"
)

// routeTo makes r's dispatcher send requests for hosts to the fake at
// target.
func (r *rig) routeTo(target string, hosts ...string) {
	overrides := map[string]*url.URL{}
	for _, h := range hosts {
		overrides[h] = mustURL(r.t, target)
	}
	sender := &delivery.Sender{
		Client:  netguard.NewClient(netguard.Config{AllowPrivate: true, HostOverrides: overrides}),
		Timeout: 5 * time.Second,
	}
	r.d = delivery.New(r.store, r.planner, sender, noJitter, delivery.Config{Workers: 4, Clock: r.clock}, nil)
}

// analyticsEndpoint is a batching endpoint of integration with its
// payment-events template.
func (r *rig) analyticsEndpoint(integration string, creds hookbridge.Credentials) *hookbridge.Endpoint {
	return r.endpoint(&hookbridge.Endpoint{Integration: integration, Credentials: creds, Batching: true,
		Transformation: hookbridge.Transformation{Code: template(r.t, integration, "payment-events"), Enabled: true},
		EventTypes:     []string{"payment.succeeded"}})
}

func TestMixpanelStrictModeFailsOnlyTheRefusedEvent(t *testing.T) {
	r := newRig(t)
	mp := mixpaneltest.New(t)
	r.routeTo(mp.URL, "api.mixpanel.com")
	e := r.analyticsEndpoint("mixpanel", mp.Credentials())
	msgs := []*hookbridge.Message{r.post(""), r.post(""), r.post("")}
	refusal := `{"code":400,"error":"some data points in the request failed validation","status":"Bad Request",` +
		`"num_records_imported":2,"failed_records":[{"index":1,"insert_id":"x","field":"properties.time","message":"'properties.time' is invalid"}]}`
	mp.RespondNext(1, http.StatusBadRequest, http.Header{"Content-Type": {"application/json"}}, []byte(refusal))
	r.run()

	if reqs := mp.Requests(); len(reqs) != 1 {
		t.Fatalf("Mixpanel got %d requests, want one import of the three events", len(reqs))
	}
	for i, m := range msgs {
		d := r.deliveryOf(m, e)
		atts := r.attempts(d)
		if len(atts) != 1 || atts[0].Batch == nil || atts[0].Batch.Index != i {
			t.Fatalf("delivery %d attempts %+v, want one at batch index %d", i, atts, i)
		}
		if i == 1 {
			if d.Status != hookbridge.DeliveryFailed || !strings.Contains(d.LastError, "properties.time") {
				t.Errorf("the refused event: %s (%q), want failed with Mixpanel's reason", d.Status, d.LastError)
			}
			continue
		}
		if d.Status != hookbridge.DeliverySucceeded {
			t.Errorf("event %d: %s (%q), want succeeded: Mixpanel imported it", i, d.Status, d.LastError)
		}
	}
}

func TestMixpanelBatchIsImportedOnceEach(t *testing.T) {
	r := newRig(t)
	mp := mixpaneltest.New(t)
	r.routeTo(mp.URL, "api.mixpanel.com")
	e := r.analyticsEndpoint("mixpanel", mp.Credentials())
	var msgs []*hookbridge.Message
	for range 5 {
		msgs = append(msgs, r.post(""))
	}
	r.run()
	if len(mp.Requests()) != 1 || len(mp.Events()) != 5 {
		t.Fatalf("%d requests, %d events imported; want 5 events in one import", len(mp.Requests()), len(mp.Events()))
	}
	for _, m := range msgs {
		if d := r.deliveryOf(m, e); d.Status != hookbridge.DeliverySucceeded {
			t.Errorf("delivery %s: %s (%q)", d.ID, d.Status, d.LastError)
		}
	}
}

func TestAmplitudeBatchRefusedForOneEventSendsTheOthersAgain(t *testing.T) {
	r := newRig(t)
	amp := amplitudetest.New(t)
	r.routeTo(amp.URL, "api2.amplitude.com")
	e := r.analyticsEndpoint("amplitude", amp.Credentials())
	msgs := []*hookbridge.Message{r.post(""), r.post(""), r.post("")}
	refusal := `{"code":400,"error":"Request has events with invalid fields","events_with_invalid_fields":{"user_id":[1]}}`
	amp.RespondNext(1, http.StatusBadRequest, http.Header{"Content-Type": {"application/json"}}, []byte(refusal))
	r.run()

	refused := r.deliveryOf(msgs[1], e)
	if refused.Status != hookbridge.DeliveryFailed || !strings.Contains(refused.LastError, "invalid field user_id") {
		t.Fatalf("the refused event: %s (%q), want failed for good with Amplitude's reason", refused.Status, refused.LastError)
	}
	for _, i := range []int{0, 2} {
		if d := r.deliveryOf(msgs[i], e); d.Status != hookbridge.DeliveryPending {
			t.Fatalf("event %d: %s (%q), want pending: Amplitude ingested nothing of the request", i, d.Status, d.LastError)
		}
	}
	for _, i := range []int{0, 2} {
		if d := r.settle(msgs[i], e); d.Status != hookbridge.DeliverySucceeded {
			t.Errorf("event %d after the retry: %s (%q), want succeeded", i, d.Status, d.LastError)
		}
	}
	reqs := amp.Requests()
	if len(reqs) != 2 || len(amp.Events()) != 2 {
		t.Fatalf("%d requests, %d events ingested; want the refused batch, then one of the two others", len(reqs), len(amp.Events()))
	}
	if atts := r.attempts(r.deliveryOf(msgs[1], e)); len(atts) != 1 {
		t.Errorf("the refused event was tried %d times, want once", len(atts))
	}
}
