package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

func claimCases() []testCase {
	return []testCase{
		{"OnlyDue", testClaimOnlyDue},
		{"OnlyPending", testClaimOnlyPending},
		{"SkipsDisabledEndpoints", testClaimSkipsDisabled},
		{"LimitTakesLongestDueFirst", testClaimLimit},
		{"ReturnsMessageAndEndpoint", testClaimContents},
		{"DeletedEndpointGivesNilEndpoint", testClaimDeletedEndpoint},
		{"LeasedNotClaimedAgain", testClaimLeased},
		{"ExpiredLeaseReclaimed", testClaimExpiredLease},
		{"ConcurrentClaimsNeverOverlap", testClaimConcurrent},
		{"CompleteWithAttempt", testCompleteWithAttempt},
		{"CompleteWithoutAttempt", testCompleteWithoutAttempt},
		{"CompleteStaleLeaseLost", testCompleteStaleLease},
		{"CompleteEndsLease", testCompleteEndsLease},
		{"CompleteManyEachOnItsOwn", testCompleteMany},
		{"ReleaseMakesClaimableAtOnce", testRelease},
		{"ReleaseStaleKeepsNewLease", testReleaseStale},
	}
}

// newAttempt returns an attempt at c with every field set.
func newAttempt(c *hookbridge.Claim, at time.Time, status int) *hookbridge.Attempt {
	return &hookbridge.Attempt{
		ID:         hookbridge.NewID("att"),
		DeliveryID: c.Delivery.ID,
		Request: hookbridge.RecordedRequest{
			Method:  "POST",
			URL:     "https://track.customer.io/api/v2/entity",
			Headers: map[string]string{"Content-Type": "application/json", "Authorization": "Basic ********"},
			Body:    "{\"type\":\"person\",\n \"action\":\"event\"}",
		},
		ResponseStatus:        status,
		ResponseHeaders:       map[string]string{"Content-Type": "text/plain", "Retry-After": "120"},
		ResponseBody:          fmt.Sprintf("status %d\nsee https://status.example.com", status),
		Duration:              1234567 * time.Microsecond,
		Error:                 fmt.Sprintf("destination answered %d", status),
		TransformationVersion: 3,
		CreatedAt:             at,
	}
}

func testClaimOnlyDue(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	early := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at)))
	late := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at.Add(time.Minute))))

	if claims := claimAll(t, s, at.Add(-time.Second), time.Minute); len(claims) != 0 {
		t.Fatalf("claimed %d deliveries before any was due", len(claims))
	}
	claims := claimAll(t, s, at, time.Hour)
	checkEqual(t, "claimed when the first is due", ids(claims, claimID), []string{early.ID})
	claims = claimAll(t, s, at.Add(time.Minute), time.Hour)
	checkEqual(t, "claimed when the second is due", ids(claims, claimID), []string{late.ID})
}

func testClaimOnlyPending(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	outcome := map[string]hookbridge.DeliveryStatus{}
	for _, status := range []hookbridge.DeliveryStatus{
		hookbridge.DeliverySucceeded, hookbridge.DeliveryFailed, hookbridge.DeliverySkipped, hookbridge.DeliveryCancelled,
	} {
		d := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at)))
		outcome[d.ID] = status
	}
	pending := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at)))
	finish(t, s, at, outcome)

	claims := claimAll(t, s, at.Add(time.Hour), time.Minute)
	checkEqual(t, "claimed", ids(claims, claimID), []string{pending.ID})
}

func testClaimSkipsDisabled(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newEndpoint("acme", at))
	d := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at)))

	e.Disabled = true
	must(t, "disable endpoint", s.UpdateEndpoint(t.Context(), e))
	if claims := claimAll(t, s, at, time.Minute); len(claims) != 0 {
		t.Fatalf("claimed %d deliveries of a disabled endpoint", len(claims))
	}
	if got := getDelivery(t, s, "acme", d.ID); got.Status != hookbridge.DeliveryPending {
		t.Errorf("delivery of a disabled endpoint: status %q, want it left pending", got.Status)
	}
	e.Disabled = false
	must(t, "enable endpoint", s.UpdateEndpoint(t.Context(), e))
	claims := claimAll(t, s, at, time.Minute)
	checkEqual(t, "claimed after enabling", ids(claims, claimID), []string{d.ID})
}

func testClaimLimit(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	var due []string
	for _, minutes := range []int{3, 1, 4, 0, 2} {
		m := createMessage(t, s, newMessage("acme", paymentSucceeded, at.Add(time.Duration(minutes)*time.Minute)))
		if minutes < 2 {
			due = append(due, onlyDelivery(t, s, m).ID)
		}
	}
	now := at.Add(time.Hour)
	claims, err := s.ClaimDeliveries(t.Context(), now, 2, time.Minute)
	must(t, "claim 2", err)
	checkEqual(t, "claimed with limit 2", sortedIDs(claims, claimID), sorted(due...))
	claims, err = s.ClaimDeliveries(t.Context(), now, 10, time.Minute)
	must(t, "claim the rest", err)
	if len(claims) != 3 {
		t.Errorf("claimed %d of the remaining 3", len(claims))
	}
}

func testClaimContents(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newIntegrationEndpoint("acme", at))
	m := createMessage(t, s, newMessage("acme", paymentSucceeded, at))
	d := onlyDelivery(t, s, m)

	claims := claimAll(t, s, at.Add(time.Second), time.Minute)
	if len(claims) != 1 {
		t.Fatalf("claimed %d deliveries, want 1", len(claims))
	}
	c := claims[0]
	if c.LeaseID == "" {
		t.Errorf("claim without lease id")
	}
	checkEqual(t, "claimed delivery", normDelivery(c.Delivery), normDelivery(d))
	if c.Message == nil || c.Endpoint == nil {
		t.Fatalf("claim without message (%v) or endpoint (%v)", c.Message, c.Endpoint)
	}
	checkEqual(t, "claimed message", normMessage(c.Message), normMessage(m))
	checkEqual(t, "claimed endpoint, credentials decrypted", normEndpoint(c.Endpoint), normEndpoint(e))
}

func testClaimDeletedEndpoint(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newEndpoint("acme", at))
	d := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at)))
	must(t, "delete endpoint", s.DeleteEndpoint(t.Context(), "acme", e.ID))
	_, err := s.RetryDelivery(t.Context(), "acme", d.ID, at)
	must(t, "retry the cancelled delivery", err)

	claims := claimAll(t, s, at, time.Minute)
	if len(claims) != 1 || claims[0].Delivery.ID != d.ID {
		t.Fatalf("claimed %v, want the delivery of the deleted endpoint", ids(claims, claimID))
	}
	if claims[0].Endpoint != nil {
		t.Errorf("claim of a deleted endpoint's delivery has endpoint %+v, want nil", claims[0].Endpoint)
	}
	if claims[0].Message == nil || claims[0].Message.ID != d.MessageID {
		t.Errorf("claim of a deleted endpoint's delivery lacks its message")
	}
}

func testClaimLeased(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	d := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at)))

	claims := claimAll(t, s, at, 30*time.Second)
	checkEqual(t, "first claim", ids(claims, claimID), []string{d.ID})
	for _, later := range []time.Duration{0, time.Second, 29 * time.Second} {
		if again := claimAll(t, s, at.Add(later), 30*time.Second); len(again) != 0 {
			t.Errorf("delivery claimed again %v into a 30s lease", later)
		}
	}
	if got := getDelivery(t, s, "acme", d.ID); got.Status != hookbridge.DeliveryPending {
		t.Errorf("claimed delivery: status %q, want still pending", got.Status)
	}
}

func testClaimExpiredLease(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	d := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at)))

	first := claimAll(t, s, at, 30*time.Second)
	second := claimAll(t, s, at.Add(31*time.Second), 30*time.Second)
	if len(first) != 1 || len(second) != 1 {
		t.Fatalf("claims before and after the lease expired: %d and %d, want 1 and 1", len(first), len(second))
	}
	if second[0].Delivery.ID != d.ID {
		t.Errorf("reclaimed %s, want %s", second[0].Delivery.ID, d.ID)
	}
	if second[0].LeaseID == first[0].LeaseID {
		t.Errorf("reclaimed delivery kept lease id %q", first[0].LeaseID)
	}
	if again := claimAll(t, s, at.Add(45*time.Second), 30*time.Second); len(again) != 0 {
		t.Errorf("delivery claimed during the second lease")
	}
}

// testClaimConcurrent has several workers claim at once and checks that no
// delivery is handed to two of them.
func testClaimConcurrent(t *testing.T, s hookbridge.Store) {
	const (
		messages = 100
		total    = 2 * messages // deliveries: two endpoints
		workers  = 8
		batch    = 7
	)
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	createEndpoint(t, s, newEndpoint("acme", at))
	for i := range messages {
		createMessage(t, s, newMessage("acme", paymentSucceeded, at.Add(time.Duration(i)*time.Millisecond)))
	}
	now := at.Add(time.Minute)

	var (
		mu        sync.Mutex
		claimed   = map[string]int{}
		handedOut int
		wg        sync.WaitGroup
		stopAfter = 2 * total // a broken store could hand out forever
	)
	// record notes the claims and reports whether to go on.
	record := func(claims []*hookbridge.Claim) bool {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range claims {
			claimed[c.Delivery.ID]++
		}
		handedOut += len(claims)
		return len(claims) > 0 && handedOut < stopAfter
	}
	errs := make(chan error, workers)
	for range workers {
		wg.Go(func() {
			for {
				claims, err := s.ClaimDeliveries(t.Context(), now, batch, time.Hour)
				if err != nil {
					errs <- err
					return
				}
				if !record(claims) {
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent claim: %v", err)
	}
	// A claimer may give up early (a database that skips rows locked by
	// others can answer empty); what is left must still be claimable.
	record(claimAll(t, s, now, time.Hour))

	if len(claimed) != total {
		t.Errorf("claimed %d distinct deliveries, want %d", len(claimed), total)
	}
	var twice []string
	for id, n := range claimed {
		if n > 1 {
			twice = append(twice, id)
		}
	}
	if len(twice) > 0 {
		t.Errorf("%d deliveries handed out more than once during one lease, e.g. %s %d times",
			len(twice), twice[0], claimed[twice[0]])
	}
}

func testCompleteWithAttempt(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	d := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at)))

	c := claimAll(t, s, at, time.Minute)[0]
	first := newAttempt(c, at.Add(time.Second), 503)
	retryAt := at.Add(5 * time.Second)
	must(t, "complete first attempt", s.CompleteAttempt(t.Context(), c, first,
		hookbridge.Outcome{Status: hookbridge.DeliveryPending, NextAttemptAt: retryAt, LastError: "destination answered 503"}))

	got := getDelivery(t, s, "acme", d.ID)
	if got.Status != hookbridge.DeliveryPending || got.Attempts != 1 || !sameTime(got.NextAttemptAt, retryAt) ||
		got.LastError != "destination answered 503" {
		t.Errorf("after a failed attempt: %+v, want pending, 1 attempt, due %v, last error kept", got, retryAt)
	}
	if claims := claimAll(t, s, retryAt.Add(-time.Millisecond), time.Minute); len(claims) != 0 {
		t.Errorf("claimed before the retry was due")
	}

	c = claimAll(t, s, retryAt, time.Minute)[0]
	second := newAttempt(c, retryAt.Add(time.Second), 200)
	second.Error = ""
	second.ResponseHeaders = nil
	second.Warnings = []hookbridge.Problem{{Field: "timestamp", Message: "the event is 4 days old: it triggers no campaign",
		Fix: "leave timestamp out", Warning: true}}
	must(t, "complete second attempt", s.CompleteAttempt(t.Context(), c, second,
		hookbridge.Outcome{Status: hookbridge.DeliverySucceeded}))

	got = getDelivery(t, s, "acme", d.ID)
	if got.Status != hookbridge.DeliverySucceeded || got.Attempts != 2 {
		t.Errorf("after a successful attempt: status %q, %d attempts; want succeeded, 2", got.Status, got.Attempts)
	}
	attempts, err := s.ListAttempts(t.Context(), "acme", d.ID)
	must(t, "list attempts", err)
	if len(attempts) != 2 {
		t.Fatalf("listed %d attempts, want 2", len(attempts))
	}
	checkEqual(t, "first attempt, listed first", normAttempt(attempts[0]), normAttempt(first))
	checkEqual(t, "second attempt", normAttempt(attempts[1]), normAttempt(second))
	if claims := claimAll(t, s, retryAt.Add(time.Hour), time.Minute); len(claims) != 0 {
		t.Errorf("succeeded delivery claimed again")
	}
}

func testCompleteWithoutAttempt(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	d := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at)))

	c := claimAll(t, s, at, time.Minute)[0]
	must(t, "complete without attempt", s.CompleteAttempt(t.Context(), c, nil,
		hookbridge.Outcome{Status: hookbridge.DeliverySkipped, LastError: "handler left the event unchanged"}))
	got := getDelivery(t, s, "acme", d.ID)
	if got.Status != hookbridge.DeliverySkipped || got.Attempts != 0 || got.LastError != "handler left the event unchanged" {
		t.Errorf("after completing without attempt: %+v, want skipped, 0 attempts, reason kept", got)
	}
	attempts, err := s.ListAttempts(t.Context(), "acme", d.ID)
	must(t, "list attempts", err)
	if len(attempts) != 0 {
		t.Errorf("listed %d attempts, want none", len(attempts))
	}
}

func testCompleteStaleLease(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	d := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at)))

	stale := claimAll(t, s, at, time.Minute)[0]
	current := claimAll(t, s, at.Add(2*time.Minute), time.Minute)[0]
	err := s.CompleteAttempt(t.Context(), stale, newAttempt(stale, at.Add(3*time.Minute), 200),
		hookbridge.Outcome{Status: hookbridge.DeliverySucceeded})
	checkErrorIs(t, "complete with a lost lease", err, hookbridge.ErrLeaseLost)

	got := getDelivery(t, s, "acme", d.ID)
	checkEqual(t, "delivery after a lost-lease completion", normDelivery(got), normDelivery(d))
	attempts, err := s.ListAttempts(t.Context(), "acme", d.ID)
	must(t, "list attempts", err)
	if len(attempts) != 0 {
		t.Errorf("lost-lease completion recorded %d attempts", len(attempts))
	}
	must(t, "complete with the current lease", s.CompleteAttempt(t.Context(), current,
		newAttempt(current, at.Add(3*time.Minute), 200), hookbridge.Outcome{Status: hookbridge.DeliverySucceeded}))
}

func testCompleteEndsLease(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at)))

	c := claimAll(t, s, at, time.Hour)[0]
	retry := hookbridge.Outcome{Status: hookbridge.DeliveryPending, NextAttemptAt: at.Add(time.Second)}
	must(t, "complete", s.CompleteAttempt(t.Context(), c, nil, retry))
	checkErrorIs(t, "complete twice with one lease", s.CompleteAttempt(t.Context(), c, nil, retry), hookbridge.ErrLeaseLost)
	if claims := claimAll(t, s, at.Add(time.Second), time.Hour); len(claims) != 1 {
		t.Errorf("claimed %d at the retry time within the old lease, want 1: completing must end the lease", len(claims))
	}
}

func testRelease(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	d := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at)))

	c := claimAll(t, s, at, time.Hour)[0]
	must(t, "release", s.ReleaseClaim(t.Context(), c))
	got := getDelivery(t, s, "acme", d.ID)
	checkEqual(t, "released delivery", normDelivery(got), normDelivery(d))
	again := claimAll(t, s, at, time.Hour)
	if len(again) != 1 || again[0].Delivery.ID != d.ID {
		t.Fatalf("claimed %v after release, want %s", ids(again, claimID), d.ID)
	}
	if again[0].LeaseID == c.LeaseID {
		t.Errorf("new claim reuses the released lease id")
	}
}

func testReleaseStale(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at)))

	stale := claimAll(t, s, at, time.Minute)[0]
	current := claimAll(t, s, at.Add(2*time.Minute), time.Hour)[0]
	// Releasing a lost lease may report ErrLeaseLost or nothing, but must
	// leave the current holder's lease alone.
	if err := s.ReleaseClaim(t.Context(), stale); err != nil {
		checkErrorIs(t, "release a lost lease", err, hookbridge.ErrLeaseLost)
	}
	if claims := claimAll(t, s, at.Add(3*time.Minute), time.Hour); len(claims) != 0 {
		t.Errorf("releasing a lost lease freed the current one")
	}
	must(t, "complete with the current lease", s.CompleteAttempt(t.Context(), current, nil,
		hookbridge.Outcome{Status: hookbridge.DeliverySucceeded}))
}
