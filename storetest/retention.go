package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/retention"
)

func retentionCases() []testCase {
	return []testCase{
		{"AppSettings", testRetentionSettings},
		{"UnknownApp", testRetentionUnknownApp},
		{"PruneDeletesOldHistory", testPruneDeletesOldHistory},
		{"PruneNeverTouchesPending", testPruneKeepsPending},
		{"PruneInBatchesOldestFirst", testPruneBatches},
		{"PruneOnlyThatApp", testPruneOnlyThatApp},
		{"PrunedEventIDMayComeAgain", testPrunedEventIDReused},
	}
}

// retentionStore returns s as a retention.Store; every hookbridge store
// must be one.
func retentionStore(t *testing.T, s hookbridge.Store) retention.Store {
	t.Helper()
	rs, ok := s.(retention.Store)
	if !ok {
		t.Fatalf("%T does not implement retention.Store", s)
	}
	return rs
}

func testRetentionSettings(t *testing.T, s hookbridge.Store) {
	rs := retentionStore(t, s)
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)

	days, err := rs.AppRetentionDays(t.Context(), "acme")
	if err != nil || days != 0 {
		t.Fatalf("retention of a new app = %d, %v; want 0 (the default)", days, err)
	}
	must(t, "set retention", rs.SetAppRetentionDays(t.Context(), "acme", 30))
	if days, err := rs.AppRetentionDays(t.Context(), "acme"); err != nil || days != 30 {
		t.Errorf("retention after setting 30 = %d, %v", days, err)
	}
	byApp, err := rs.RetentionDaysByApp(t.Context())
	must(t, "retention by app", err)
	if want := map[string]int{"acme": 30, "globex": 0}; !equalMaps(byApp, want) {
		t.Errorf("RetentionDaysByApp = %v, want %v", byApp, want)
	}
	must(t, "reset retention", rs.SetAppRetentionDays(t.Context(), "acme", 0))
	if days, err := rs.AppRetentionDays(t.Context(), "acme"); err != nil || days != 0 {
		t.Errorf("retention after setting 0 = %d, %v; want the default again", days, err)
	}
}

func equalMaps(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func testRetentionUnknownApp(t *testing.T, s hookbridge.Store) {
	rs := retentionStore(t, s)
	if _, err := rs.AppRetentionDays(t.Context(), "nobody"); !errors.Is(err, hookbridge.ErrNotFound) {
		t.Errorf("retention of an unknown app: %v, want ErrNotFound", err)
	}
	if err := rs.SetAppRetentionDays(t.Context(), "nobody", 7); !errors.Is(err, hookbridge.ErrNotFound) {
		t.Errorf("set retention of an unknown app: %v, want ErrNotFound", err)
	}
}

// settleAll claims every delivery due at now and completes each with an
// attempt and the given final status.
func settleAll(t *testing.T, s hookbridge.Store, now time.Time, status hookbridge.DeliveryStatus) {
	t.Helper()
	for _, c := range claimAll(t, s, now, time.Minute) {
		must(t, "complete attempt", s.CompleteAttempt(t.Context(), c, newAttempt(c, now, 200), hookbridge.Outcome{Status: status}))
	}
}

func prune(t *testing.T, s hookbridge.Store, appID string, cutoff time.Time, limit int) int {
	t.Helper()
	n, err := retentionStore(t, s).PruneMessages(t.Context(), appID, cutoff, limit)
	must(t, "prune messages", err)
	return n
}

// messageGone checks that a message, its deliveries and their attempts
// are all gone.
func messageGone(t *testing.T, s hookbridge.Store, m *hookbridge.Message, deliveries []*hookbridge.Delivery) {
	t.Helper()
	if _, err := s.GetMessage(t.Context(), m.AppID, m.ID); !errors.Is(err, hookbridge.ErrNotFound) {
		t.Errorf("pruned message %s: get = %v, want ErrNotFound", m.ID, err)
	}
	for _, d := range deliveries {
		if _, err := s.GetDelivery(t.Context(), m.AppID, d.ID); !errors.Is(err, hookbridge.ErrNotFound) {
			t.Errorf("delivery %s of a pruned message: get = %v, want ErrNotFound", d.ID, err)
		}
		attempts, err := s.ListAttempts(t.Context(), m.AppID, d.ID)
		if err == nil && len(attempts) > 0 {
			t.Errorf("delivery %s of a pruned message still lists %d attempts", d.ID, len(attempts))
		}
	}
}

// messageKept checks that a message and its deliveries (and their
// attempts) are all still there.
func messageKept(t *testing.T, s hookbridge.Store, m *hookbridge.Message, deliveries []*hookbridge.Delivery, attempts int) {
	t.Helper()
	if _, err := s.GetMessage(t.Context(), m.AppID, m.ID); err != nil {
		t.Errorf("message %s should have been kept: %v", m.ID, err)
		return
	}
	if got := deliveriesOf(t, s, m); len(got) != len(deliveries) {
		t.Errorf("message %s kept %d of its %d deliveries", m.ID, len(got), len(deliveries))
	}
	total := 0
	for _, d := range deliveries {
		as, err := s.ListAttempts(t.Context(), m.AppID, d.ID)
		must(t, "list attempts", err)
		total += len(as)
	}
	if total != attempts {
		t.Errorf("message %s kept %d attempts, want %d", m.ID, total, attempts)
	}
}

func testPruneDeletesOldHistory(t *testing.T, s hookbridge.Store) {
	now := baseTime()
	old := now.Add(-100 * retention.Day)
	createApp(t, s, "acme", old)
	createEndpoint(t, s, newEndpoint("acme", old))
	createEndpoint(t, s, newEndpoint("acme", old))
	cutoff := retention.Cutoff(now, 90)

	stale := createMessage(t, s, newMessage("acme", paymentSucceeded, old))
	failed := createMessage(t, s, newMessage("acme", paymentFailed, old.Add(time.Hour)))
	atCutoff := createMessage(t, s, newMessage("acme", paymentSucceeded, cutoff))
	recent := createMessage(t, s, newMessage("acme", paymentSucceeded, now.Add(-time.Hour)))
	settleAll(t, s, now, hookbridge.DeliverySucceeded)
	staleDeliveries, failedDeliveries := deliveriesOf(t, s, stale), deliveriesOf(t, s, failed)
	if len(staleDeliveries) != 2 {
		t.Fatalf("message has %d deliveries, want 2", len(staleDeliveries))
	}

	if n := prune(t, s, "acme", cutoff, 100); n != 2 {
		t.Errorf("pruned %d messages, want the 2 created before the cutoff", n)
	}
	messageGone(t, s, stale, staleDeliveries)
	messageGone(t, s, failed, failedDeliveries)
	messageKept(t, s, atCutoff, deliveriesOf(t, s, atCutoff), 2)
	messageKept(t, s, recent, deliveriesOf(t, s, recent), 2)
	if n := prune(t, s, "acme", cutoff, 100); n != 0 {
		t.Errorf("pruning again deleted %d more", n)
	}
}

func testPruneKeepsPending(t *testing.T, s hookbridge.Store) {
	now := baseTime()
	old := now.Add(-100 * retention.Day)
	createApp(t, s, "acme", old)
	first := createEndpoint(t, s, newEndpoint("acme", old))

	// Half done: one delivery succeeded, the other is still pending.
	half := createMessage(t, s, newMessage("acme", paymentSucceeded, old))
	settleAll(t, s, now, hookbridge.DeliverySucceeded)
	createEndpoint(t, s, newEndpoint("acme", old))
	must(t, "resend", s.CreateDelivery(t.Context(), &hookbridge.Delivery{
		AppID: "acme", MessageID: half.ID, EndpointID: first.ID, CreatedAt: now,
	}))
	// Never tried, and leased to a worker right now.
	waiting := createMessage(t, s, newMessage("acme", paymentSucceeded, old))
	leased := createMessage(t, s, newMessage("acme", paymentSucceeded, old))
	for _, c := range claimAll(t, s, now, time.Hour) {
		if c.Delivery.MessageID != leased.ID {
			must(t, "release", s.ReleaseClaim(t.Context(), c))
		}
	}
	// Failed, then retried by hand: pending again.
	retried := createMessage(t, s, newMessage("acme", paymentFailed, old))
	for _, d := range deliveriesOf(t, s, retried) {
		finish(t, s, now, map[string]hookbridge.DeliveryStatus{d.ID: hookbridge.DeliveryFailed})
		if _, err := s.RetryDelivery(t.Context(), "acme", d.ID, now); err != nil {
			t.Fatal(err)
		}
	}

	if n := prune(t, s, "acme", now, 100); n != 0 {
		t.Errorf("pruned %d messages that still have pending deliveries", n)
	}
	for _, m := range []*hookbridge.Message{half, waiting, leased, retried} {
		ds := deliveriesOf(t, s, m)
		if !slices.ContainsFunc(ds, func(d *hookbridge.Delivery) bool { return d.Status == hookbridge.DeliveryPending }) {
			t.Fatalf("fixture: message %s has no pending delivery", m.ID)
		}
		if _, err := s.GetMessage(t.Context(), "acme", m.ID); err != nil {
			t.Errorf("message %s with a pending delivery was pruned: %v", m.ID, err)
		}
	}
	halfDeliveries := deliveriesOf(t, s, half)
	messageKept(t, s, half, halfDeliveries, 1)
}

func testPruneBatches(t *testing.T, s hookbridge.Store) {
	now := baseTime()
	old := now.Add(-100 * retention.Day)
	createApp(t, s, "acme", old)
	createEndpoint(t, s, newEndpoint("acme", old))
	var messages []*hookbridge.Message
	for i := range 7 {
		messages = append(messages, createMessage(t, s, newMessage("acme", paymentSucceeded, old.Add(time.Duration(i)*time.Minute))))
	}
	settleAll(t, s, now, hookbridge.DeliverySucceeded)

	if n := prune(t, s, "acme", now, 3); n != 3 {
		t.Fatalf("first batch pruned %d, want the limit, 3", n)
	}
	for i, m := range messages {
		_, err := s.GetMessage(t.Context(), "acme", m.ID)
		if gone := errors.Is(err, hookbridge.ErrNotFound); gone != (i < 3) {
			t.Errorf("after one batch, message %d (of 7, oldest first) gone = %v; the oldest go first", i, gone)
		}
	}
	if n := prune(t, s, "acme", now, 3); n != 3 {
		t.Errorf("second batch pruned %d, want 3", n)
	}
	if n := prune(t, s, "acme", now, 3); n != 1 {
		t.Errorf("third batch pruned %d, want the last 1", n)
	}
	if n := prune(t, s, "acme", now, 0); n != 0 {
		t.Errorf("a limit of 0 pruned %d", n)
	}
}

func testPruneOnlyThatApp(t *testing.T, s hookbridge.Store) {
	now := baseTime()
	old := now.Add(-100 * retention.Day)
	for _, app := range []string{"acme", "globex"} {
		createApp(t, s, app, old)
		createEndpoint(t, s, newEndpoint(app, old))
	}
	acme := createMessage(t, s, newMessage("acme", paymentSucceeded, old))
	globex := createMessage(t, s, newMessage("globex", paymentSucceeded, old))
	settleAll(t, s, now, hookbridge.DeliverySucceeded)
	globexDeliveries := deliveriesOf(t, s, globex)

	if n := prune(t, s, "acme", now, 100); n != 1 {
		t.Errorf("pruned %d messages of acme, want 1", n)
	}
	messageGone(t, s, acme, nil)
	messageKept(t, s, globex, globexDeliveries, 1)
}

// testPrunedEventIDReused: once pruned, an event id no longer deduplicates
// (the retention period bounds how long duplicates are recognised).
func testPrunedEventIDReused(t *testing.T, s hookbridge.Store) {
	now := baseTime()
	old := now.Add(-100 * retention.Day)
	createApp(t, s, "acme", old)
	first := newMessage("acme", paymentSucceeded, old)
	createMessage(t, s, first)
	if n := prune(t, s, "acme", now, 100); n != 1 {
		t.Fatalf("pruned %d, want 1 (a message without deliveries)", n)
	}
	again := newMessage("acme", paymentSucceeded, now)
	again.EventID = first.EventID
	in, err := s.CreateMessage(t.Context(), again)
	stored, created := in.Message, in.Created
	must(t, "create message again", err)
	if !created || stored.ID != again.ID {
		t.Errorf("an event id whose message was pruned was taken for a duplicate of %s", stored.ID)
	}
}
