package delivery_test

import (
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/admission"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/webhook/webhooktest"
)

// admittedRig is a rig whose planner admits one transformation at a time
// and waits at most wait (0: until the run's context ends).
func admittedRig(t *testing.T, wait time.Duration) (*rig, *admission.Gate, *webhooktest.Server, *hookbridge.Endpoint) {
	r := newRig(t)
	gate, err := admission.New(admission.Limits{Runs: 1})
	if err != nil {
		t.Fatal(err)
	}
	r.planner.Admission, r.planner.AdmissionWait = gate, wait
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	ep := r.webhookEndpoint(to, func(e *hookbridge.Endpoint) {
		e.Transformation = hookbridge.Transformation{Code: "function handler(webhook) { return webhook }", Enabled: true}
	})
	return r, gate, to, ep
}

// TestADeliveryNotAdmittedWaitsItsTurn: while other runs hold every
// admission, a delivery's transformation waits AdmissionWait, and the
// delivery is then handed back without an attempt, due again a moment
// later — not failed, nor counted against its retries.
func TestADeliveryNotAdmittedWaitsItsTurn(t *testing.T) {
	r, gate, to, ep := admittedRig(t, 20*time.Millisecond)
	msg := r.post("")
	other, err := gate.Admit(t.Context(), "another-app", "ep_other", 0)
	if err != nil {
		t.Fatal(err)
	}
	r.run()
	d := r.deliveryOf(msg, ep)
	if d.Status != hookbridge.DeliveryPending || d.Attempts != 0 || d.LastError != "" {
		t.Fatalf("delivery %+v, want pending without attempts or error", d)
	}
	if want := t0.Add(delivery.AdmissionRetry); !d.NextAttemptAt.Equal(want) {
		t.Errorf("due again at %v, want %v", d.NextAttemptAt, want)
	}
	if n := len(to.Requests()); n != 0 {
		t.Fatalf("%d requests sent without a transformation", n)
	}

	other()
	r.clock.Set(d.NextAttemptAt)
	r.run()
	if d := r.deliveryOf(msg, ep); d.Status != hookbridge.DeliverySucceeded || d.Attempts != 1 {
		t.Errorf("delivery %+v once admitted, want succeeded at its first attempt", d)
	}
}

// TestADeliveryWaitsForAdmission: a delivery whose transformation is
// admitted within its wait goes out as usual.
func TestADeliveryWaitsForAdmission(t *testing.T) {
	r, gate, to, ep := admittedRig(t, 0)
	msg := r.post("")
	other, err := gate.Admit(t.Context(), "another-app", "ep_other", 0)
	if err != nil {
		t.Fatal(err)
	}
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		r.run()
	}()
	if !waitFor(func() bool { return gate.Load().Waiting == 1 }) {
		t.Fatal("the delivery's transformation did not wait to be admitted")
	}
	other()
	<-ran
	if d := r.deliveryOf(msg, ep); d.Status != hookbridge.DeliverySucceeded || d.Attempts != 1 {
		t.Errorf("delivery %+v, want succeeded at its first attempt", d)
	}
	if n := len(to.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}
