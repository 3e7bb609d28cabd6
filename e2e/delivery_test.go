package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/customerio/customeriotest"
	"github.com/hookbridge/hookbridge/integration/webhook/webhooktest"
)

func segmentEndpoint(h *harness, creds hookbridge.Credentials) endpointView {
	return h.createEndpoint(map[string]any{
		"integration": "segment", "credentials": creds, "template": "payment-events",
	})
}

func TestWrongCredentialsFailPermanentlyWithTheAnswer(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	segmentEndpoint(h, hookbridge.Credentials{"write_key": "not-the-write-key"})
	payload, _ := sample(t, "payment.succeeded")
	d := h.waitDeliveries(h.postMessage("payment.succeeded", payload, "").ID)[0]
	if d.Status != hookbridge.DeliveryFailed || !strings.Contains(d.LastError, "401") {
		t.Fatalf("delivery %+v, want failed with the 401", d)
	}
	if atts := h.attempts(d.ID); len(atts) != 1 {
		t.Fatalf("%d attempts, want 1: a 401 is not retried", len(atts))
	}
}

func TestRateLimitAndServerErrorsAreRetried(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	segmentEndpoint(h, seg.Credentials())
	seg.RateLimitNext(1, time.Second)
	seg.FailNext(1, http.StatusServiceUnavailable)
	payload, _ := sample(t, "payment.succeeded")
	start := time.Now()
	d := h.waitDeliveries(h.postMessage("payment.succeeded", payload, "").ID)[0]
	if d.Status != hookbridge.DeliverySucceeded {
		t.Fatalf("delivery %+v, want succeeded after retries", d)
	}
	atts := h.attempts(d.ID)
	if len(atts) != 3 {
		t.Fatalf("%d attempts, want 3 (429, 503, 200)", len(atts))
	}
	statuses := []int{atts[0].ResponseStatus, atts[1].ResponseStatus, atts[2].ResponseStatus}
	if statuses[0] != 429 && statuses[1] != 429 {
		t.Fatalf("statuses %v, want a 429 among the first two", statuses)
	}
	if time.Since(start) < time.Second {
		t.Fatalf("finished in %s: Retry-After: 1 was not honoured", time.Since(start))
	}
	if len(seg.Accepted()) != 1 || len(seg.Duplicates()) != 0 {
		t.Fatalf("Segment accepted %d and saw %d duplicates, want 1 and 0", len(seg.Accepted()), len(seg.Duplicates()))
	}
	// Every attempt carried the same idempotency key.
	key := ""
	for _, r := range seg.Requests() {
		k := headerOrBody(r.Body, "messageId")
		if key == "" {
			key = k
		}
		if k != key {
			t.Fatalf("messageId changed between retries: %q then %q", key, k)
		}
	}
}

func TestExhaustedRetriesFailWithTheLastError(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	segmentEndpoint(h, seg.Credentials())
	seg.FailNext(10, http.StatusBadGateway)
	payload, _ := sample(t, "payment.succeeded")
	d := h.waitDeliveries(h.postMessage("payment.succeeded", payload, "").ID)[0]
	if d.Status != hookbridge.DeliveryFailed || !strings.Contains(d.LastError, "gave up after 4 attempts") || !strings.Contains(d.LastError, "502") {
		t.Fatalf("delivery %+v, want failed after the 4 scheduled attempts, keeping the 502", d)
	}
}

func TestDuplicateEventIDIsOneMessageAndOneDelivery(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	segmentEndpoint(h, seg.Credentials())
	payload, _ := sample(t, "payment.succeeded")
	first := h.postMessage("payment.succeeded", payload, "evt_dup")
	second := h.postMessage("payment.succeeded", payload, "evt_dup")
	if first.ID != second.ID || first.Duplicate || !second.Duplicate {
		t.Fatalf("answers %+v and %+v, want the same message, the second marked duplicate", first, second)
	}
	h.waitDeliveries(first.ID)
	_, dels := h.message(first.ID)
	if len(dels) != 1 || len(seg.Accepted()) != 1 {
		t.Fatalf("%d deliveries, %d calls accepted; want 1 and 1", len(dels), len(seg.Accepted()))
	}
}

func TestSecretsAreMaskedInResponsesAndAttempts(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	const apiKey = "cio-api-key-that-must-not-leak"
	ep := h.createEndpoint(map[string]any{
		"integration": "customerio", "template": "payment-completed",
		"credentials": map[string]string{"site_id": customeriotest.SiteID, "api_key": apiKey},
	})
	if ep.Credentials["api_key"] == apiKey || !strings.HasSuffix(ep.Credentials["api_key"], "****") {
		t.Fatalf("api_key shown as %q, want masked", ep.Credentials["api_key"])
	}
	if ep.Credentials["site_id"] != customeriotest.SiteID || ep.Credentials["region"] != "us" {
		t.Fatalf("non-secret credentials %+v, want site_id and the default region shown", ep.Credentials)
	}
	payload, _ := sample(t, "payment.succeeded")
	d := h.waitDeliveries(h.postMessage("payment.succeeded", payload, "").ID)[0]
	atts := h.attempts(d.ID)
	if len(atts) == 0 {
		t.Fatal("no attempts")
	}
	auth := atts[0].Request.Headers["Authorization"]
	if auth != "Basic ********" {
		t.Fatalf("recorded Authorization %q, want it masked", auth)
	}
	var raw map[string]any
	h.mustCall("GET", "/api/v1/apps/default/endpoints/"+ep.ID, nil, http.StatusOK, &raw)
	for _, v := range []any{raw, atts} {
		if strings.Contains(toJSON(v), apiKey) {
			t.Fatalf("the API key appears in %s", toJSON(v))
		}
	}
	// The real key reached Customer.io: the fake checks Basic auth.
	if d.Status != hookbridge.DeliveryFailed || !strings.Contains(d.LastError, "401") {
		t.Fatalf("delivery %+v: with a wrong API key the fake must answer 401", d)
	}
}

func TestPlainWebhookIsSignedWithTheGeneratedSecret(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio, withAllowPrivate())
	ep := h.createEndpoint(map[string]any{"integration": "webhook", "url": "http://placeholder.invalid/"})
	secret := ep.GeneratedSecrets["signing_secret"]
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("generated secrets %+v, want a whsec_ signing secret shown once", ep.GeneratedSecrets)
	}
	receiver := webhooktest.New(t, webhooktest.WithSecrets(secret))
	h.mustCall("PATCH", "/api/v1/apps/default/endpoints/"+ep.ID, map[string]any{"url": receiver.URL + "/hooks"}, http.StatusOK, nil)
	var again map[string]any
	h.mustCall("GET", "/api/v1/apps/default/endpoints/"+ep.ID, nil, http.StatusOK, &again)
	if strings.Contains(toJSON(again), secret) {
		t.Fatal("the signing secret is returned again after creation")
	}
	payload, _ := sample(t, "refund.succeeded")
	d := h.waitDeliveries(h.postMessage("refund.succeeded", payload, "").ID)[0]
	if d.Status != hookbridge.DeliverySucceeded {
		t.Fatalf("delivery %+v (rejected: %+v)", d, receiver.Rejected())
	}
	got := receiver.Accepted()
	if len(got) != 1 || string(got[0].Body) != string(payload) {
		t.Fatalf("receiver got %+v, want the event byte for byte", got)
	}
}

func TestPrivateDestinationsAreRefused(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio) // no AllowPrivate: only the overrides may be loopback
	receiver := webhooktest.New(t)
	h.createEndpoint(map[string]any{"integration": "webhook", "url": receiver.URL})
	payload, _ := sample(t, "payment.failed")
	d := h.waitDeliveries(h.postMessage("payment.failed", payload, "").ID)[0]
	if d.Status != hookbridge.DeliveryFailed || !strings.Contains(d.LastError, "HOOKBRIDGE_ALLOW_PRIVATE_DESTINATIONS") {
		t.Fatalf("delivery %+v, want refused with a hint", d)
	}
	if len(receiver.Requests()) != 0 {
		t.Fatal("the loopback receiver was contacted")
	}
}
