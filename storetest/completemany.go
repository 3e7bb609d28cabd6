package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

// testCompleteMany records several completions at once: each as
// CompleteAttempt would, a lost lease failing only its own.
func testCompleteMany(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newEndpoint("acme", at, paymentSucceeded))
	other := createEndpoint(t, s, newEndpoint("acme", at, paymentFailed))
	for i := range 6 {
		eventType := paymentSucceeded
		if i == 4 {
			eventType = paymentFailed
		}
		createMessage(t, s, newMessage("acme", eventType, at.Add(time.Duration(i)*time.Millisecond)))
	}
	now := at.Add(time.Second)
	claims := claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 10, Lease: time.Minute})
	if len(claims) != 6 {
		t.Fatalf("claimed %d, want 6", len(claims))
	}
	// The endpoint fails first, so that a success in the batch ends it.
	failing := claims[5]
	must(t, "record a failure", s.CompleteAttempt(t.Context(), failing, newAttempt(failing, now, 503), hookbridge.Outcome{
		Status: hookbridge.DeliveryPending, NextAttemptAt: now.Add(time.Hour), LastError: "503",
		Endpoint: &hookbridge.EndpointReport{At: now, Health: hookbridge.HealthFailing},
	}))
	if got, err := s.GetEndpoint(t.Context(), "acme", e.ID); err != nil || got.FailingSince == nil {
		t.Fatalf("endpoint after a failure: %+v, %v; want failing", got, err)
	}
	stale := claims[3]
	must(t, "release", s.ReleaseClaim(t.Context(), stale))
	claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 1, Lease: time.Minute, IDs: []string{stale.Delivery.ID}})

	ok := newAttempt(claims[0], now, 200)
	retried := newAttempt(claims[1], now, 503)
	retryAt := now.Add(5 * time.Second)
	cs := []hookbridge.Completion{
		{Claim: claims[0], Attempt: ok, Outcome: hookbridge.Outcome{Status: hookbridge.DeliverySucceeded,
			Endpoint: &hookbridge.EndpointReport{At: now, Health: hookbridge.HealthOK}}},
		{Claim: claims[1], Attempt: retried, Outcome: hookbridge.Outcome{Status: hookbridge.DeliveryPending, NextAttemptAt: retryAt, LastError: "503"}},
		{Claim: claims[2], Outcome: hookbridge.Outcome{Status: hookbridge.DeliverySkipped, LastError: "skipped"}},
		{Claim: stale, Attempt: newAttempt(stale, now, 200), Outcome: hookbridge.Outcome{Status: hookbridge.DeliverySucceeded}},
		{Claim: claims[4], Attempt: newAttempt(claims[4], now, 410), Outcome: hookbridge.Outcome{Status: hookbridge.DeliveryFailed, LastError: "gone",
			Endpoint: &hookbridge.EndpointReport{At: now, Health: hookbridge.HealthFailing, DisableReason: "it answered 410"}}},
	}
	errs := s.CompleteAttempts(t.Context(), cs)
	if len(errs) != len(cs) {
		t.Fatalf("%d errors for %d completions", len(errs), len(cs))
	}
	for i, err := range errs {
		if i == 3 {
			if !errors.Is(err, hookbridge.ErrLeaseLost) {
				t.Errorf("completion with a lost lease: %v, want ErrLeaseLost", err)
			}
			continue
		}
		must(t, "completion", err)
	}

	want := []struct {
		status   hookbridge.DeliveryStatus
		attempts int
		recorded *hookbridge.Attempt
	}{
		{hookbridge.DeliverySucceeded, 1, ok},
		{hookbridge.DeliveryPending, 1, retried},
		{hookbridge.DeliverySkipped, 0, nil},
		{hookbridge.DeliveryPending, 0, nil}, // its lease was lost: as it was
		{hookbridge.DeliveryFailed, 1, cs[4].Attempt},
	}
	for i, w := range want {
		d := getDelivery(t, s, "acme", cs[i].Claim.Delivery.ID)
		if d.Status != w.status || d.Attempts != w.attempts {
			t.Errorf("completion %d: %s with %d attempts, want %s with %d", i, d.Status, d.Attempts, w.status, w.attempts)
		}
		attempts, err := s.ListAttempts(t.Context(), "acme", d.ID)
		must(t, "list attempts", err)
		switch {
		case w.recorded == nil && len(attempts) != 0:
			t.Errorf("completion %d: %d attempts recorded, want none", i, len(attempts))
		case w.recorded != nil && len(attempts) != 1:
			t.Errorf("completion %d: %d attempts recorded, want 1", i, len(attempts))
		case w.recorded != nil:
			checkEqual(t, "recorded attempt", normAttempt(attempts[0]), normAttempt(w.recorded))
		}
	}
	if d := getDelivery(t, s, "acme", claims[1].Delivery.ID); !sameTime(d.NextAttemptAt, retryAt) || d.LastError != "503" {
		t.Errorf("retried delivery: due %v, last error %q; want %v, 503", d.NextAttemptAt, d.LastError, retryAt)
	}
	got, err := s.GetEndpoint(t.Context(), "acme", e.ID)
	must(t, "get endpoint", err)
	if got.FailingSince != nil {
		t.Errorf("endpoint failing since %v after a success reported it healthy, want no failing streak", got.FailingSince)
	}
	got, err = s.GetEndpoint(t.Context(), "acme", other.ID)
	must(t, "get the other endpoint", err)
	if !got.Disabled || got.DisabledReason != "it answered 410" {
		t.Errorf("the other endpoint: disabled %v (%q), want disabled by its completion", got.Disabled, got.DisabledReason)
	}
}
