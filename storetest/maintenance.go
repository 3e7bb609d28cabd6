package storetest

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

func maintenanceCases() []testCase {
	return []testCase{
		{"QueueStatsEmpty", testQueueStatsEmpty},
		{"QueueStatsCountsPendingOfEveryApp", testQueueStats},
		{"QueueStatsTellsCreatedFromDue", testQueueStatsRetried},
		{"ResealRewritesStaleValuesOnly", testResealStale},
		{"ResealPicksSingleValues", testResealSelective},
		{"ResealWalksEveryRow", testResealManyRows},
	}
}

func checkStats(t *testing.T, got *hookbridge.QueueStats, want hookbridge.QueueStats) {
	t.Helper()
	n := *got
	n.OldestPendingCreatedAt = normTime(n.OldestPendingCreatedAt)
	n.OldestDueAt = normTime(n.OldestDueAt)
	want.OldestPendingCreatedAt = normTime(want.OldestPendingCreatedAt)
	want.OldestDueAt = normTime(want.OldestDueAt)
	checkEqual(t, "queue stats", n, want)
}

func testQueueStatsEmpty(t *testing.T, s hookbridge.Store) {
	st, err := s.QueueStats(t.Context(), baseTime())
	must(t, "queue stats", err)
	checkEqual(t, "stats of an empty store", *st, hookbridge.QueueStats{})
}

func testQueueStats(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	createEndpoint(t, s, newEndpoint("globex", at))
	oldest := createMessage(t, s, newMessage("acme", paymentSucceeded, at))
	createMessage(t, s, newMessage("globex", paymentSucceeded, at.Add(time.Minute)))
	createMessage(t, s, newMessage("acme", paymentSucceeded, at.Add(time.Hour))) // not due at +30m
	done := createMessage(t, s, newMessage("globex", paymentFailed, at.Add(-time.Hour)))
	finish(t, s, at.Add(-time.Hour), map[string]hookbridge.DeliveryStatus{onlyDelivery(t, s, done).ID: hookbridge.DeliverySucceeded})

	st, err := s.QueueStats(t.Context(), at.Add(30*time.Minute))
	must(t, "queue stats", err)
	checkStats(t, st, hookbridge.QueueStats{Pending: 3, Due: 2, OldestPendingCreatedAt: at, OldestDueAt: at})

	finish(t, s, at.Add(2*time.Hour), map[string]hookbridge.DeliveryStatus{
		onlyDelivery(t, s, oldest).ID: hookbridge.DeliveryFailed,
	})
	st, err = s.QueueStats(t.Context(), at.Add(2*time.Hour))
	must(t, "queue stats after one failed", err)
	next := at.Add(time.Minute)
	checkStats(t, st, hookbridge.QueueStats{Pending: 2, Due: 2, OldestPendingCreatedAt: next, OldestDueAt: next})
}

// testQueueStatsRetried has the oldest pending delivery wait for a retry,
// so that the oldest pending and the oldest due are different deliveries.
func testQueueStatsRetried(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	createEndpoint(t, s, newEndpoint("globex", at))
	minute := func(n int) time.Time { return at.Add(time.Duration(n) * time.Minute) }

	retried := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, minute(-5))))
	createMessage(t, s, newMessage("globex", paymentSucceeded, minute(-3)))
	createMessage(t, s, newMessage("acme", paymentSucceeded, minute(-1)))
	createMessage(t, s, newMessage("acme", paymentSucceeded, minute(5))) // not yet due
	for _, c := range claimAll(t, s, minute(-5), time.Minute) {
		if c.Delivery.ID != retried.ID {
			t.Fatalf("unexpected claim of %s", c.Delivery.ID)
		}
		must(t, "complete", s.CompleteAttempt(t.Context(), c, nil,
			hookbridge.Outcome{Status: hookbridge.DeliveryPending, NextAttemptAt: minute(2)}))
	}

	stats, err := s.QueueStats(t.Context(), at)
	must(t, "queue stats", err)
	checkStats(t, stats, hookbridge.QueueStats{
		Pending:                4,
		Due:                    2,
		OldestPendingCreatedAt: minute(-5),
		OldestDueAt:            minute(-3),
	})
}

// sealedSeen records the sealed values a stale function was shown.
type sealedSeen struct {
	mu   sync.Mutex
	seen map[string]bool
}

// all records sealed and calls it stale.
func (r *sealedSeen) all(sealed []byte) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	r.seen[string(sealed)] = true
	return true
}

// before calls sealed stale if it was recorded.
func (r *sealedSeen) before(sealed []byte) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen[string(sealed)]
}

// The reseal tests observe resealing only through the sealed values the
// store shows to stale, and through the secrets still reading back.

func testResealStale(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	src := createSource(t, s, newSource("acme", at))
	ep := createEndpoint(t, s, newIntegrationEndpoint("acme", at))
	other := createEndpoint(t, s, newIntegrationEndpoint("globex", at))

	n, err := s.ResealSecrets(t.Context(), func([]byte) bool { return false })
	must(t, "reseal nothing", err)
	if n != 0 {
		t.Errorf("resealed %d values when none was stale", n)
	}
	var first sealedSeen
	n, err = s.ResealSecrets(t.Context(), first.all)
	must(t, "reseal everything", err)
	if n != 3 || len(first.seen) != 3 {
		t.Errorf("resealed %d values, shown %d; want 3 and 3 (a source and two endpoints)", n, len(first.seen))
	}
	// Every value was written anew: none is still one of those seen.
	n, err = s.ResealSecrets(t.Context(), first.before)
	must(t, "reseal values seen before", err)
	if n != 0 {
		t.Errorf("%d values still hold what they held before resealing", n)
	}

	gotSrc, err := s.GetSource(t.Context(), "acme", src.ID)
	must(t, "get source after resealing", err)
	checkEqual(t, "source secrets after resealing", normSource(gotSrc).Secrets, normSource(src).Secrets)
	for _, want := range []*hookbridge.Endpoint{ep, other} {
		got, err := s.GetEndpoint(t.Context(), want.AppID, want.ID)
		must(t, "get endpoint after resealing", err)
		checkEqual(t, "endpoint after resealing", normEndpoint(got), normEndpoint(want))
	}
}

func testResealSelective(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newIntegrationEndpoint("acme", at))
	createEndpoint(t, s, newIntegrationEndpoint("acme", at))
	createSource(t, s, newSource("acme", at))

	stored := func() [][]byte {
		var seen [][]byte
		_, err := s.ResealSecrets(t.Context(), func(sealed []byte) bool {
			seen = append(seen, bytes.Clone(sealed))
			return false
		})
		must(t, "list sealed values", err)
		return seen
	}
	before := stored()
	if len(before) != 3 {
		t.Fatalf("stale was shown %d sealed values, want 3", len(before))
	}
	target := before[0]
	n, err := s.ResealSecrets(t.Context(), func(sealed []byte) bool { return bytes.Equal(sealed, target) })
	must(t, "reseal one", err)
	if n != 1 {
		t.Errorf("resealed %d values, want 1", n)
	}
	after := stored()
	if len(after) != 3 || containsBytes(after, target) {
		t.Errorf("the stale value is still stored after resealing")
	}
	for _, v := range before[1:] {
		if !containsBytes(after, v) {
			t.Errorf("a value that was not stale was rewritten")
		}
	}
}

func testResealManyRows(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	const endpoints = 230 // more than two pages of any sensible size
	for range endpoints {
		createEndpoint(t, s, newIntegrationEndpoint("acme", at))
	}
	var shown sealedSeen
	n, err := s.ResealSecrets(t.Context(), shown.all)
	must(t, "reseal", err)
	if n != endpoints || len(shown.seen) != endpoints {
		t.Errorf("resealed %d values, shown %d; want %d", n, len(shown.seen), endpoints)
	}
}

func containsBytes(list [][]byte, v []byte) bool {
	for _, item := range list {
		if bytes.Equal(item, v) {
			return true
		}
	}
	return false
}
