package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/webhook/webhooktest"
)

// TestRotatingAWebhookSecretLosesNoEvent: after rotate-secret, a receiver
// that still verifies with the old secret and one that already verifies
// with the new one both accept every event (each request carries a
// signature with each secret); setting a secret by hand ends the old one
// at once.
func TestRotatingAWebhookSecretLosesNoEvent(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio, withAllowPrivate())
	ep := h.createEndpoint(map[string]any{"integration": "webhook", "url": "http://placeholder.invalid/"})
	oldSecret := ep.GeneratedSecrets["signing_secret"]
	path := "/api/v1/apps/default/endpoints/" + ep.ID
	pay, _ := sample(t, "payment.succeeded")

	deliverTo := func(receiver *webhooktest.Server) {
		t.Helper()
		h.mustCall("PATCH", path, map[string]any{"url": receiver.URL}, http.StatusOK, nil)
		before := len(receiver.Accepted())
		msg := h.postMessage("payment.succeeded", pay, "")
		for _, d := range h.waitDeliveries(msg.ID) {
			if d.Status != hookbridge.DeliverySucceeded {
				t.Fatalf("delivery %s: %s (%s)", d.ID, d.Status, d.LastError)
			}
		}
		if got := len(receiver.Accepted()); got != before+1 {
			t.Fatalf("the receiver accepted %d new events, want 1 (rejected: %+v)", got-before, receiver.Rejected())
		}
	}

	var rotated endpointView
	h.mustCall("POST", path+"/rotate-secret", nil, http.StatusOK, &rotated)
	newSecret := rotated.GeneratedSecrets["signing_secret"]
	if !strings.HasPrefix(newSecret, "whsec_") || newSecret == oldSecret {
		t.Fatalf("rotate-secret gave %q: want a new whsec_ secret", newSecret)
	}
	expires, err := time.Parse(time.RFC3339, rotated.Credentials["previous_signing_secret_expires_at"])
	if err != nil || expires.Before(time.Now().Add(23*time.Hour)) {
		t.Errorf("the previous secret expires at %q, want about 24 hours from now", rotated.Credentials["previous_signing_secret_expires_at"])
	}
	if shown := rotated.Credentials["previous_signing_secret"]; shown != hookbridge.Mask(oldSecret) {
		t.Errorf("the previous secret is shown as %q, want it masked", shown)
	}

	deliverTo(webhooktest.New(t, webhooktest.WithSecrets(oldSecret)))
	deliverTo(webhooktest.New(t, webhooktest.WithSecrets(newSecret)))

	// A secret set by hand replaces both at once.
	const handSet = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
	var replaced endpointView
	h.mustCall("PATCH", path, map[string]any{"credentials": map[string]string{"signing_secret": handSet}}, http.StatusOK, &replaced)
	if _, kept := replaced.Credentials["previous_signing_secret"]; kept {
		t.Errorf("a secret set by hand kept the previous one: %v", replaced.Credentials)
	}
	stale := webhooktest.New(t, webhooktest.WithSecrets(newSecret))
	h.mustCall("PATCH", path, map[string]any{"url": stale.URL}, http.StatusOK, nil)
	msg := h.postMessage("payment.succeeded", pay, "")
	waitFor(t, "the stale receiver to refuse", func() bool { return len(stale.Rejected()) > 0 })
	if len(stale.Accepted()) != 0 {
		t.Errorf("a receiver with the replaced secret accepted %s", msg.ID)
	}

	// Endpoints without a signing secret have nothing to rotate.
	segEp := segmentEndpoint(h, seg.Credentials())
	var e apiErr
	if status := h.call("POST", "/api/v1/apps/default/endpoints/"+segEp.ID+"/rotate-secret", nil, &e); status != http.StatusUnprocessableEntity {
		t.Errorf("rotating a Segment endpoint answered %d, want 422", status)
	}
}
