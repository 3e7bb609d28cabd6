package storetest

import (
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

func endpointCases() []testCase {
	return []testCase{
		{"RoundTripEveryField", testEndpointRoundTrip},
		{"RoundTripEmptyFields", testEndpointEmptyFields},
		{"SecretHeadersRoundTrip", testEndpointSecretHeaders},
		{"ListByApp", testEndpointList},
		{"UpdateReplacesAndIncrementsVersion", testEndpointUpdate},
		{"UpdateUnknownNotFound", testEndpointUpdateUnknown},
		{"OtherAppNotFound", testEndpointOtherApp},
		{"Delete", testEndpointDelete},
		{"DeleteCancelsPendingDeliveries", testEndpointDeleteCancels},
	}
}

func testEndpointRoundTrip(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newIntegrationEndpoint("acme", at))
	got, err := s.GetEndpoint(t.Context(), "acme", e.ID)
	must(t, "get endpoint", err)
	checkEqual(t, "stored endpoint", normEndpoint(got), normEndpoint(e))

	disabled := newIntegrationEndpoint("acme", at)
	disabled.Disabled = true
	disabled.Transformation.Enabled = false
	createEndpoint(t, s, disabled)
	got, err = s.GetEndpoint(t.Context(), "acme", disabled.ID)
	must(t, "get disabled endpoint", err)
	checkEqual(t, "stored disabled endpoint", normEndpoint(got), normEndpoint(disabled))
}

func testEndpointEmptyFields(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newEndpoint("acme", at))
	got, err := s.GetEndpoint(t.Context(), "acme", e.ID)
	must(t, "get endpoint", err)
	checkEqual(t, "stored endpoint", normEndpoint(got), normEndpoint(e))
	if !got.Accepts("any.type") {
		t.Errorf("endpoint stored without event types accepts no event type (event types %q)", got.EventTypes)
	}
}

func testEndpointList(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	a1 := createEndpoint(t, s, newIntegrationEndpoint("acme", at))
	a2 := createEndpoint(t, s, newEndpoint("acme", at.Add(time.Second), paymentFailed))
	createEndpoint(t, s, newEndpoint("globex", at))

	got, err := s.ListEndpoints(t.Context(), "acme")
	must(t, "list endpoints", err)
	checkEqual(t, "endpoints of acme", sortedIDs(got, endpointID), sorted(a1.ID, a2.ID))
	for _, e := range got {
		want := a1
		if e.ID == a2.ID {
			want = a2
		}
		checkEqual(t, "listed endpoint", normEndpoint(e), normEndpoint(want))
	}
}

func testEndpointUpdate(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newIntegrationEndpoint("acme", at))
	stored, err := s.GetEndpoint(t.Context(), "acme", e.ID)
	must(t, "get endpoint", err)
	version := stored.Version

	e.Name = "Segment"
	e.Integration = "segment"
	e.URL = "https://api.segment.io/v1/track"
	e.Credentials = hookbridge.Credentials{"write_key": "segment-write-key-0123456789"}
	e.EventTypes = nil
	e.Transformation = hookbridge.Transformation{Code: "function handler(w) { return w }", Enabled: false}
	e.Headers = map[string]string{"X-New": "1"}
	e.RateLimit, e.RateLimitPeriod = 5, hookbridge.Duration(2*time.Second)
	e.Disabled = true
	e.UpdatedAt = at.Add(time.Hour)
	must(t, "update endpoint", s.UpdateEndpoint(t.Context(), e))
	if e.Version != version+1 {
		t.Fatalf("version after update = %d, want %d", e.Version, version+1)
	}
	got, err := s.GetEndpoint(t.Context(), "acme", e.ID)
	must(t, "get updated endpoint", err)
	checkEqual(t, "updated endpoint", normEndpoint(got), normEndpoint(e))

	must(t, "update endpoint again", s.UpdateEndpoint(t.Context(), e))
	got, err = s.GetEndpoint(t.Context(), "acme", e.ID)
	must(t, "get endpoint", err)
	if got.Version != version+2 || e.Version != version+2 {
		t.Errorf("version after a second update = %d (stored %d), want %d", e.Version, got.Version, version+2)
	}
}

func testEndpointUpdateUnknown(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	err := s.UpdateEndpoint(t.Context(), newEndpoint("acme", at))
	checkErrorIs(t, "update unknown endpoint", err, hookbridge.ErrNotFound)
}

func testEndpointOtherApp(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	e := createEndpoint(t, s, newIntegrationEndpoint("acme", at))

	_, err := s.GetEndpoint(t.Context(), "globex", e.ID)
	checkErrorIs(t, "get another app's endpoint", err, hookbridge.ErrNotFound)

	hijack := *e
	hijack.AppID = "globex"
	hijack.URL = "https://attacker.example/steal"
	checkErrorIs(t, "update another app's endpoint", s.UpdateEndpoint(t.Context(), &hijack), hookbridge.ErrNotFound)
	checkErrorIs(t, "delete another app's endpoint", s.DeleteEndpoint(t.Context(), "globex", e.ID), hookbridge.ErrNotFound)

	got, err := s.GetEndpoint(t.Context(), "acme", e.ID)
	must(t, "get endpoint", err)
	checkEqual(t, "endpoint after another app's attempts", normEndpoint(got), normEndpoint(e))
}

func testEndpointDelete(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newEndpoint("acme", at))
	must(t, "delete endpoint", s.DeleteEndpoint(t.Context(), "acme", e.ID))
	_, err := s.GetEndpoint(t.Context(), "acme", e.ID)
	checkErrorIs(t, "get deleted endpoint", err, hookbridge.ErrNotFound)
	checkErrorIs(t, "delete it again", s.DeleteEndpoint(t.Context(), "acme", e.ID), hookbridge.ErrNotFound)
}

func testEndpointDeleteCancels(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	doomed := createEndpoint(t, s, newEndpoint("acme", at))
	kept := createEndpoint(t, s, newEndpoint("acme", at))

	delivered := createMessage(t, s, newMessage("acme", paymentSucceeded, at))
	waiting := createMessage(t, s, newMessage("acme", paymentSucceeded, at.Add(time.Minute)))
	var deliveredToDoomed string
	for _, d := range deliveriesOf(t, s, delivered) {
		if d.EndpointID == doomed.ID {
			deliveredToDoomed = d.ID
		}
	}
	finish(t, s, at, map[string]hookbridge.DeliveryStatus{deliveredToDoomed: hookbridge.DeliverySucceeded})

	must(t, "delete endpoint", s.DeleteEndpoint(t.Context(), "acme", doomed.ID))

	for _, d := range deliveriesOf(t, s, waiting) {
		want := hookbridge.DeliveryPending
		if d.EndpointID == doomed.ID {
			want = hookbridge.DeliveryCancelled
		}
		if d.Status != want {
			t.Errorf("delivery to %s after deleting %s: status %q, want %q", d.EndpointID, doomed.ID, d.Status, want)
		}
	}
	if d := getDelivery(t, s, "acme", deliveredToDoomed); d.Status != hookbridge.DeliverySucceeded {
		t.Errorf("finished delivery of a deleted endpoint: status %q, want it kept %q", d.Status, hookbridge.DeliverySucceeded)
	}
	claims := claimAll(t, s, at.Add(time.Hour), time.Minute)
	for _, c := range claims {
		if c.Delivery.EndpointID != kept.ID {
			t.Errorf("claimed delivery %s to endpoint %s, want only those to %s", c.Delivery.ID, c.Delivery.EndpointID, kept.ID)
		}
	}
	if len(claims) != 2 {
		t.Errorf("claimed %d deliveries after deleting an endpoint, want the 2 to the other endpoint", len(claims))
	}
}

// testEndpointSecretHeaders stores headers of which some are secrets
// (named like credentials, or marked): they come back whole, with the
// names marked, through get, list and update.
func testEndpointSecretHeaders(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := newEndpoint("acme", at)
	e.Headers = map[string]string{"Authorization": "Bearer hdr-token-0123456789", "X-Team": "growth", "X-Custom": "marked-secret-value"}
	e.SecretHeaders = []string{"X-Custom"}
	createEndpoint(t, s, e)
	got, err := s.GetEndpoint(t.Context(), "acme", e.ID)
	must(t, "get endpoint", err)
	checkEqual(t, "stored endpoint with secret headers", normEndpoint(got), normEndpoint(e))
	list, err := s.ListEndpoints(t.Context(), "acme")
	must(t, "list endpoints", err)
	if len(list) != 1 {
		t.Fatalf("listed %d endpoints, want 1", len(list))
	}
	checkEqual(t, "listed endpoint with secret headers", normEndpoint(list[0]), normEndpoint(e))

	e.Headers = map[string]string{"X-Api-Key": "hdr-api-key-9876543210", "X-Team": "ops"}
	e.SecretHeaders = nil
	must(t, "update endpoint", s.UpdateEndpoint(t.Context(), e))
	got, err = s.GetEndpoint(t.Context(), "acme", e.ID)
	must(t, "get updated endpoint", err)
	checkEqual(t, "updated endpoint with secret headers", normEndpoint(got), normEndpoint(e))

	e.Headers = map[string]string{"X-Team": "ops"}
	must(t, "update endpoint", s.UpdateEndpoint(t.Context(), e))
	got, err = s.GetEndpoint(t.Context(), "acme", e.ID)
	must(t, "get endpoint without secret headers", err)
	checkEqual(t, "endpoint without secret headers", normEndpoint(got), normEndpoint(e))
}
