package storetest

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

func deliveryCases() []testCase {
	return []testCase{
		{"GetOtherAppNotFound", testDeliveryOtherApp},
		{"ListFilters", testDeliveryListFilters},
		{"ListAttemptsOtherAppNotFound", testAttemptsOtherApp},
		{"CreateDeliveryQueuesResend", testCreateDelivery},
		{"RetryFailedDelivery", testRetryDelivery},
		{"RetryUnknownNotFound", testRetryUnknown},
		{"RecoverFailedInWindow", testRecoverDeliveries},
	}
}

func testDeliveryOtherApp(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	d := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at)))

	_, err := s.GetDelivery(t.Context(), "globex", d.ID)
	checkErrorIs(t, "get another app's delivery", err, hookbridge.ErrNotFound)
	_, err = s.GetDelivery(t.Context(), "acme", "dlv_unknown")
	checkErrorIs(t, "get unknown delivery", err, hookbridge.ErrNotFound)
	listed, err := s.ListDeliveries(t.Context(), "globex", hookbridge.DeliveryFilter{})
	must(t, "list deliveries", err)
	if len(listed) != 0 {
		t.Errorf("another app lists %d deliveries, want none", len(listed))
	}
}

func testDeliveryListFilters(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	e1 := createEndpoint(t, s, newEndpoint("acme", at))
	e2 := createEndpoint(t, s, newEndpoint("acme", at, paymentSucceeded, paymentFailed))
	createEndpoint(t, s, newEndpoint("globex", at))
	minute := func(n float64) time.Time { return at.Add(time.Duration(n * float64(time.Minute))) }
	m0 := createMessage(t, s, newMessage("acme", paymentSucceeded, minute(0)))
	createMessage(t, s, newMessage("acme", refundCreated, minute(1)))
	m2 := createMessage(t, s, newMessage("acme", paymentFailed, minute(2)))
	createMessage(t, s, newMessage("globex", paymentFailed, minute(1)))

	all, err := s.ListDeliveries(t.Context(), "acme", hookbridge.DeliveryFilter{})
	must(t, "list deliveries", err)
	if len(all) != 5 {
		t.Fatalf("listed %d deliveries, want 5", len(all))
	}
	byMessageAndEndpoint := func(m *hookbridge.Message, e *hookbridge.Endpoint) string {
		for _, d := range all {
			if d.MessageID == m.ID && d.EndpointID == e.ID {
				return d.ID
			}
		}
		t.Fatalf("no delivery of %s to %s", m.ID, e.ID)
		return ""
	}
	finish(t, s, minute(2), map[string]hookbridge.DeliveryStatus{
		byMessageAndEndpoint(m0, e1): hookbridge.DeliveryFailed,
		byMessageAndEndpoint(m2, e2): hookbridge.DeliverySucceeded,
	})
	all, err = s.ListDeliveries(t.Context(), "acme", hookbridge.DeliveryFilter{})
	must(t, "list deliveries", err)
	newestFirst := slices.Clone(all)
	slices.SortStableFunc(newestFirst, func(a, b *hookbridge.Delivery) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	checkEqual(t, "deliveries newest first", ids(all, deliveryID), ids(newestFirst, deliveryID))

	where := func(keep func(d *hookbridge.Delivery) bool) []string {
		out := []string{}
		for _, d := range newestFirst {
			if keep(d) {
				out = append(out, d.ID)
			}
		}
		return out
	}
	tests := []struct {
		name   string
		filter hookbridge.DeliveryFilter
		want   []string
	}{
		{"endpoint", hookbridge.DeliveryFilter{EndpointID: e2.ID},
			where(func(d *hookbridge.Delivery) bool { return d.EndpointID == e2.ID })},
		{"message", hookbridge.DeliveryFilter{MessageID: m0.ID},
			where(func(d *hookbridge.Delivery) bool { return d.MessageID == m0.ID })},
		{"status failed", hookbridge.DeliveryFilter{Status: hookbridge.DeliveryFailed},
			[]string{byMessageAndEndpoint(m0, e1)}},
		{"status pending", hookbridge.DeliveryFilter{Status: hookbridge.DeliveryPending},
			where(func(d *hookbridge.Delivery) bool { return d.Status == hookbridge.DeliveryPending })},
		{"event type", hookbridge.DeliveryFilter{EventType: paymentFailed},
			where(func(d *hookbridge.Delivery) bool { return d.EventType == paymentFailed })},
		{"since", hookbridge.DeliveryFilter{Since: minute(0.5)},
			where(func(d *hookbridge.Delivery) bool { return d.MessageID != m0.ID })},
		{"until", hookbridge.DeliveryFilter{Until: minute(1.5)},
			where(func(d *hookbridge.Delivery) bool { return d.MessageID != m2.ID })},
		{"before cursor", hookbridge.DeliveryFilter{Before: newestFirst[1].ID}, ids(newestFirst[2:], deliveryID)},
		{"limit", hookbridge.DeliveryFilter{Limit: 2}, ids(newestFirst[:2], deliveryID)},
		{"next page", hookbridge.DeliveryFilter{Before: newestFirst[1].ID, Limit: 2}, ids(newestFirst[2:4], deliveryID)},
		{"endpoint and status", hookbridge.DeliveryFilter{EndpointID: e1.ID, Status: hookbridge.DeliveryPending},
			where(func(d *hookbridge.Delivery) bool {
				return d.EndpointID == e1.ID && d.Status == hookbridge.DeliveryPending
			})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.ListDeliveries(t.Context(), "acme", tt.filter)
			must(t, "list deliveries", err)
			checkEqual(t, "listed deliveries", ids(got, deliveryID), tt.want)
		})
	}
}

func testAttemptsOtherApp(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	d := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at)))

	attempts, err := s.ListAttempts(t.Context(), "acme", d.ID)
	must(t, "list attempts of a new delivery", err)
	if len(attempts) != 0 {
		t.Errorf("new delivery has %d attempts", len(attempts))
	}
	_, err = s.ListAttempts(t.Context(), "globex", d.ID)
	checkErrorIs(t, "list attempts of another app's delivery", err, hookbridge.ErrNotFound)
	_, err = s.ListAttempts(t.Context(), "acme", "dlv_unknown")
	checkErrorIs(t, "list attempts of an unknown delivery", err, hookbridge.ErrNotFound)
}

func testCreateDelivery(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newEndpoint("acme", at))
	m := createMessage(t, s, newMessage("acme", paymentSucceeded, at))
	first := onlyDelivery(t, s, m)
	finish(t, s, at, map[string]hookbridge.DeliveryStatus{first.ID: hookbridge.DeliverySucceeded})

	now := at.Add(time.Hour)
	resend := &hookbridge.Delivery{
		ID:            hookbridge.NewID("dlv"),
		AppID:         "acme",
		MessageID:     m.ID,
		EndpointID:    e.ID,
		EventType:     m.EventType,
		Status:        hookbridge.DeliveryPending,
		NextAttemptAt: now,
		CreatedAt:     now,
		UpdatedAt:     now,
	}
	must(t, "create delivery", s.CreateDelivery(t.Context(), resend))
	got := getDelivery(t, s, "acme", resend.ID)
	checkEqual(t, "stored resend", normDelivery(got), normDelivery(resend))
	checkEqual(t, "deliveries of the message", sortedIDs(deliveriesOf(t, s, m), deliveryID), sorted(first.ID, resend.ID))

	claims := claimAll(t, s, now, time.Minute)
	checkEqual(t, "claimed", ids(claims, claimID), []string{resend.ID})
}

func testRetryDelivery(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	d := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at)))
	claims := claimAll(t, s, at, time.Minute)
	if len(claims) != 1 {
		t.Fatalf("claimed %d, want 1", len(claims))
	}
	attempt := newAttempt(claims[0], at, 500)
	must(t, "complete", s.CompleteAttempt(t.Context(), claims[0], attempt,
		hookbridge.Outcome{Status: hookbridge.DeliveryFailed, NextAttemptAt: at, LastError: "gave up"}))

	now := at.Add(24 * time.Hour)
	_, err := s.RetryDelivery(t.Context(), "globex", d.ID, now)
	checkErrorIs(t, "retry another app's delivery", err, hookbridge.ErrNotFound)
	if got := getDelivery(t, s, "acme", d.ID); got.Status != hookbridge.DeliveryFailed {
		t.Fatalf("status after another app's retry = %q, want failed", got.Status)
	}

	retried, err := s.RetryDelivery(t.Context(), "acme", d.ID, now)
	must(t, "retry delivery", err)
	if retried.ID != d.ID || retried.Status != hookbridge.DeliveryPending || !sameTime(retried.NextAttemptAt, now) {
		t.Errorf("retried delivery = %+v, want %s pending, due at %v", retried, d.ID, now)
	}
	got := getDelivery(t, s, "acme", d.ID)
	checkEqual(t, "stored retried delivery", normDelivery(got), normDelivery(retried))
	if got.Attempts != 1 {
		t.Errorf("attempts after retry = %d, want the 1 made before kept", got.Attempts)
	}
	claims = claimAll(t, s, now, time.Minute)
	checkEqual(t, "claimed after retry", ids(claims, claimID), []string{d.ID})
}

func testRetryUnknown(t *testing.T, s hookbridge.Store) {
	createApp(t, s, "acme", baseTime())
	_, err := s.RetryDelivery(t.Context(), "acme", "dlv_unknown", baseTime())
	checkErrorIs(t, "retry unknown delivery", err, hookbridge.ErrNotFound)
}

func testRecoverDeliveries(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	e1 := createEndpoint(t, s, newEndpoint("acme", at))
	e2 := createEndpoint(t, s, newEndpoint("acme", at))
	hour := func(n float64) time.Time { return at.Add(time.Duration(n * float64(time.Hour))) }

	// Message created at hour h → outcome of its delivery to e1.
	plan := []struct {
		at     float64
		status hookbridge.DeliveryStatus
		inside bool
	}{
		{0, hookbridge.DeliveryFailed, false},
		{1, hookbridge.DeliveryFailed, true},
		{1.5, hookbridge.DeliverySucceeded, false},
		{1.75, hookbridge.DeliveryFailed, true},
		{2, hookbridge.DeliveryFailed, false},
	}
	outcome := map[string]hookbridge.DeliveryStatus{}
	var want []string
	for _, p := range plan {
		for _, d := range deliveriesOf(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, hour(p.at)))) {
			if d.EndpointID == e2.ID {
				outcome[d.ID] = hookbridge.DeliveryFailed
				continue
			}
			outcome[d.ID] = p.status
			if p.inside {
				want = append(want, d.ID)
			}
		}
	}
	finish(t, s, hour(3), outcome)

	n, err := s.RecoverDeliveries(t.Context(), "globex", e1.ID, hour(0), hour(3), hour(4))
	if err != nil && !errors.Is(err, hookbridge.ErrNotFound) {
		t.Fatalf("recover through another app: %v", err)
	}
	if n != 0 {
		t.Errorf("recover through another app counted %d", n)
	}
	if claims := claimAll(t, s, hour(4), time.Minute); len(claims) != 0 {
		t.Fatalf("recover through another app made %d deliveries due", len(claims))
	}

	n, err = s.RecoverDeliveries(t.Context(), "acme", e1.ID, hour(1), hour(2), hour(4))
	must(t, "recover deliveries", err)
	if n != len(want) {
		t.Errorf("recovered %d deliveries, want %d", n, len(want))
	}
	for _, id := range want {
		d := getDelivery(t, s, "acme", id)
		if d.Status != hookbridge.DeliveryPending || !sameTime(d.NextAttemptAt, hour(4)) {
			t.Errorf("recovered delivery: status %q due %v, want pending due %v", d.Status, d.NextAttemptAt, hour(4))
		}
	}
	claims := claimAll(t, s, hour(4), time.Minute)
	checkEqual(t, "claimable after recovery", sortedIDs(claims, claimID), sorted(want...))
}
