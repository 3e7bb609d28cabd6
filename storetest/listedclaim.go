package storetest

import (
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

// listedClaimCases check ClaimQuery.IDs: a dispatcher claims the
// deliveries an ingest queued by their ids, under every rule of a claim.
func listedClaimCases() []testCase {
	return []testCase{
		{"IngestReturnsWhatItQueued", testIngestReturnsQueued},
		{"OnlyTheListed", testClaimListedOnly},
		{"ListedWithMessageEndpointAndApp", testClaimListedContents},
		{"ListedButNotClaimable", testClaimListedNotClaimable},
		{"ListedWithinTheEndpointsCap", testClaimListedCap},
		{"ListedInOrder", testClaimListedOrdering},
	}
}

// queuedIDs returns the ids of the deliveries an ingest of m queued.
func queuedIDs(t *testing.T, s hookbridge.Store, m *hookbridge.Message) []string {
	t.Helper()
	in, err := s.CreateMessage(t.Context(), m)
	must(t, "create message", err)
	if !in.Created {
		t.Fatalf("create message %s: not created", m.ID)
	}
	return ids(in.Queued, deliveryID)
}

func testIngestReturnsQueued(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	a := createEndpoint(t, s, newEndpoint("acme", at))
	b := createEndpoint(t, s, newEndpoint("acme", at, paymentSucceeded))
	createEndpoint(t, s, newEndpoint("acme", at, paymentFailed))
	off := newEndpoint("acme", at)
	off.Disabled = true
	createEndpoint(t, s, off)

	m := newMessage("acme", paymentSucceeded, at)
	in, err := s.CreateMessage(t.Context(), m)
	must(t, "create message", err)
	checkEqual(t, "queued deliveries", sortedIDs(in.Queued, deliveryID), sortedIDs(deliveriesOf(t, s, m), deliveryID))
	byEndpoint := map[string]*hookbridge.Delivery{}
	for _, d := range in.Queued {
		byEndpoint[d.EndpointID] = d
	}
	if len(byEndpoint) != 2 || byEndpoint[a.ID] == nil || byEndpoint[b.ID] == nil {
		t.Fatalf("queued to %v, want %s and %s", byEndpoint, a.ID, b.ID)
	}
	for _, d := range in.Queued {
		if d.MessageID != m.ID || d.AppID != "acme" || d.Status != hookbridge.DeliveryPending || !sameTime(d.NextAttemptAt, at) {
			t.Errorf("queued delivery %+v: want pending, of %s in acme, due at %v", d, m.ID, at)
		}
	}

	again := newMessage("acme", paymentSucceeded, at)
	again.EventID = m.EventID
	dup, err := s.CreateMessage(t.Context(), again)
	must(t, "create the same event again", err)
	if dup.Created || len(dup.Queued) != 0 || dup.Message.ID != m.ID {
		t.Errorf("the same event again: created %v, %d queued, message %s; want the stored %s, nothing queued",
			dup.Created, len(dup.Queued), dup.Message.ID, m.ID)
	}
}

func testClaimListedOnly(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	first := queuedIDs(t, s, newMessage("acme", paymentSucceeded, at))
	queuedIDs(t, s, newMessage("acme", paymentSucceeded, at.Add(-time.Second))) // due earlier, not listed

	claims := claimQ(t, s, hookbridge.ClaimQuery{Now: at, Limit: 1, IDs: first})
	checkEqual(t, "claimed", ids(claims, claimID), first)
	if again := claimQ(t, s, hookbridge.ClaimQuery{Now: at, Limit: 10, IDs: first}); len(again) != 0 {
		t.Errorf("claimed %v again while leased", ids(again, claimID))
	}
}

func testClaimListedContents(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	app := createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newIntegrationEndpoint("acme", at))
	m := newMessage("acme", paymentSucceeded, at)
	listed := queuedIDs(t, s, m)

	claims := claimQ(t, s, hookbridge.ClaimQuery{Now: at, Limit: 10, IDs: listed, Node: "node_1"})
	if len(claims) != 1 {
		t.Fatalf("claimed %d, want 1", len(claims))
	}
	c := claims[0]
	if c.LeaseID == "" || c.Message == nil || c.Endpoint == nil || c.App == nil {
		t.Fatalf("claim %+v: want a lease, its message, endpoint and app", c)
	}
	checkEqual(t, "claimed message", normMessage(c.Message), normMessage(m))
	checkEqual(t, "claimed endpoint, credentials decrypted", normEndpoint(c.Endpoint), normEndpoint(e))
	checkEqual(t, "claimed app", normApp(c.App), normApp(app))
}

// testClaimListedNotClaimable lists deliveries that a claim may not take:
// one not due yet, one of a disabled endpoint, one of a paused endpoint,
// one of a deleted endpoint (left to the claims that settle those).
func testClaimListedNotClaimable(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	later := queuedIDs(t, s, newMessage("acme", paymentSucceeded, at.Add(time.Hour))) // no endpoint yet
	if len(later) != 0 {
		t.Fatalf("queued %d deliveries with no endpoint", len(later))
	}
	disabled := createEndpoint(t, s, newEndpoint("acme", at, paymentSucceeded))
	paused := createEndpoint(t, s, newEndpoint("acme", at, paymentFailed))
	deleted := createEndpoint(t, s, newEndpoint("acme", at, refundCreated))
	notDue := queuedIDs(t, s, newMessage("acme", paymentSucceeded, at.Add(time.Hour)))
	toDisabled := queuedIDs(t, s, newMessage("acme", paymentSucceeded, at))
	toPaused := queuedIDs(t, s, newMessage("acme", paymentFailed, at))
	toDeleted := queuedIDs(t, s, newMessage("acme", refundCreated, at))

	disabled.Disabled = true
	must(t, "disable endpoint", s.UpdateEndpoint(t.Context(), disabled))
	pausing := queuedIDs(t, s, newMessage("acme", paymentFailed, at.Add(-time.Minute)))
	c := claimQ(t, s, hookbridge.ClaimQuery{Now: at, Limit: 1, IDs: pausing})[0]
	must(t, "pause with a 429", s.CompleteAttempt(t.Context(), c, nil, hookbridge.Outcome{
		Status: hookbridge.DeliveryPending, NextAttemptAt: at.Add(time.Hour),
		Endpoint: &hookbridge.EndpointReport{At: at, PauseUntil: at.Add(time.Hour)},
	}))
	must(t, "delete endpoint", s.DeleteEndpoint(t.Context(), "acme", deleted.ID))
	_, err := s.RetryDelivery(t.Context(), "acme", toDeleted[0], at)
	must(t, "retry the cancelled delivery", err)

	var listed []string
	for _, l := range [][]string{notDue, toDisabled, toPaused, toDeleted} {
		listed = append(listed, l...)
	}
	if claims := claimQ(t, s, hookbridge.ClaimQuery{Now: at, Limit: 10, IDs: listed}); len(claims) != 0 {
		t.Errorf("claimed %v, want none: not due, disabled, paused, deleted", ids(claims, claimID))
	}
	if got := getDelivery(t, s, "acme", toPaused[0]); got.Status != hookbridge.DeliveryPending || paused.ID != got.EndpointID {
		t.Errorf("delivery to the paused endpoint: %+v, want pending", got)
	}
}

// testClaimListedCap: the endpoint's cap counts the leases it holds, and
// a rate-limited endpoint gets what its limit lets go in the window.
func testClaimListedCap(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at, paymentSucceeded))
	limited := newEndpoint("acme", at, paymentFailed)
	limited.RateLimit = 20 // one every 50 ms: 1 + 4 within 200 ms
	createEndpoint(t, s, limited)
	var plain, throttled []string
	for i := range 6 {
		plain = append(plain, queuedIDs(t, s, newMessage("acme", paymentSucceeded, at.Add(time.Duration(i)*time.Millisecond)))...)
		throttled = append(throttled, queuedIDs(t, s, newMessage("acme", paymentFailed, at.Add(time.Duration(i)*time.Millisecond)))...)
	}
	now := at.Add(time.Second)
	held := claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 1, IDs: plain[:1]})
	if len(held) != 1 {
		t.Fatalf("claimed %d of one listed, want 1", len(held))
	}
	q := hookbridge.ClaimQuery{Now: now, Limit: 50, PerEndpoint: 3, ThrottleWindow: 200 * time.Millisecond,
		IDs: append(append([]string{}, plain...), throttled...)}
	claims := claimQ(t, s, q)
	checkEqual(t, "claimed with one of the plain endpoint's leased", byEndpoint(claims),
		map[string]int{held[0].Delivery.EndpointID: 2, claimsOf(t, s, throttled[0]): 3})
	q.PerEndpoint = 10
	checkEqual(t, "claimed under a cap of 10", byEndpoint(claimQ(t, s, q)),
		map[string]int{held[0].Delivery.EndpointID: 3, claimsOf(t, s, throttled[0]): 2})
}

// claimsOf returns the endpoint of a delivery.
func claimsOf(t *testing.T, s hookbridge.Store, deliveryID string) string {
	t.Helper()
	return getDelivery(t, s, "acme", deliveryID).EndpointID
}

func testClaimListedOrdering(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := newEndpoint("acme", at)
	e.Ordering = hookbridge.Ordering{Enabled: true}
	createEndpoint(t, s, e)
	x1 := queuedIDs(t, s, newCustomerMessage("acme", "cus_x", at))
	x2 := queuedIDs(t, s, newCustomerMessage("acme", "cus_x", at.Add(time.Second)))
	y1 := queuedIDs(t, s, newCustomerMessage("acme", "cus_y", at.Add(time.Second)))

	now := at.Add(time.Minute)
	claims := claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 10, IDs: append(x2, y1...)})
	checkEqual(t, "claimed while an older delivery of cus_x is pending", ids(claims, claimID), y1)
	first := claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 10, IDs: x1})
	checkEqual(t, "the older one", ids(first, claimID), x1)
	must(t, "complete", s.CompleteAttempt(t.Context(), first[0], nil, hookbridge.Outcome{Status: hookbridge.DeliverySucceeded}))
	claims = claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 10, IDs: x2})
	checkEqual(t, "claimed once the older one succeeded", ids(claims, claimID), x2)
}
