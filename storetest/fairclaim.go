package storetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

func fairClaimCases() []testCase {
	return []testCase{
		{"PerEndpointCapCountsLeases", testClaimPerEndpointCap},
		{"RateLimitedEndpointsGetWhatTheirLimitLetsGo", testClaimThrottleWindow},
		{"NextDueIsWhenTimeMakesWorkClaimable", testNextDue},
		{"LeastLoadedEndpointFirst", testClaimLeastLoadedFirst},
		{"BacklogDoesNotHideOtherEndpoints", testClaimBacklogDoesNotHide},
		{"OnlyTheNamedEndpoint", testClaimOnlyEndpoint},
		{"SkipsPausedEndpoints", testClaimSkipsPaused},
		{"OrderingHoldsBackSameKey", testClaimOrdering},
		{"CarriesTheApp", testClaimCarriesApp},
	}
}

func throttleCases() []testCase {
	return []testCase{
		{"SpacesRequests", testThrottleSpaces},
		{"BurstGoesAtOnce", testThrottleBurst},
		{"EndpointsAreIndependent", testThrottleIndependent},
		{"ConcurrentReservationsNeverShareASlot", testThrottleConcurrent},
	}
}

// newCustomerMessage is a message of the given customer (at the default
// ordering key path, data.customer.customer_id).
func newCustomerMessage(appID, customer string, at time.Time) *hookbridge.Message {
	m := newMessage(appID, paymentSucceeded, at)
	payload, _ := json.Marshal(map[string]any{
		"business_id": "biz_1", "type": paymentSucceeded, "timestamp": at.Format(time.RFC3339),
		"data": map[string]any{"id": m.ID, "customer": map[string]any{"customer_id": customer}},
	})
	m.Payload = payload
	return m
}

// claimQ claims with a query, failing the test on error.
func claimQ(t *testing.T, s hookbridge.Store, q hookbridge.ClaimQuery) []*hookbridge.Claim {
	t.Helper()
	if q.Lease == 0 {
		q.Lease = time.Hour
	}
	claims, err := s.Claim(t.Context(), q)
	must(t, "claim", err)
	return claims
}

// byEndpoint counts claims per endpoint id.
func byEndpoint(claims []*hookbridge.Claim) map[string]int {
	out := map[string]int{}
	for _, c := range claims {
		out[c.Delivery.EndpointID]++
	}
	return out
}

func testClaimPerEndpointCap(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	a := createEndpoint(t, s, newEndpoint("acme", at))
	for i := range 6 {
		createMessage(t, s, newMessage("acme", paymentSucceeded, at.Add(time.Duration(i)*time.Second)))
	}
	now := at.Add(time.Minute)
	first := claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 10, PerEndpoint: 2})
	checkEqual(t, "first claim with a cap of 2", byEndpoint(first), map[string]int{a.ID: 2})
	if again := claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 10, PerEndpoint: 2}); len(again) != 0 {
		t.Errorf("claimed %d more while 2 of the endpoint's are leased, want none", len(again))
	}
	must(t, "complete", s.CompleteAttempt(t.Context(), first[0], nil, hookbridge.Outcome{Status: hookbridge.DeliverySucceeded}))
	if again := claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 10, PerEndpoint: 2}); len(again) != 1 {
		t.Errorf("claimed %d after one of 2 leases ended, want 1", len(again))
	}
	// Expired leases do not count.
	later := claimQ(t, s, hookbridge.ClaimQuery{Now: now.Add(2 * time.Hour), Limit: 10, PerEndpoint: 3})
	if len(later) != 3 {
		t.Errorf("claimed %d once the leases expired, want the cap of 3", len(later))
	}
}

// testClaimThrottleWindow checks the cap of a rate-limited endpoint's
// leases: what its limit lets go within the window, counting leases taken
// before, and PerEndpoint when that is lower.
func testClaimThrottleWindow(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	perSecond := newEndpoint("acme", at, paymentSucceeded)
	perSecond.RateLimit = 20 // one every 50 ms: 1 + 4 within 200 ms
	perSecond = createEndpoint(t, s, perSecond)
	perTenSeconds := newEndpoint("acme", at, paymentFailed)
	perTenSeconds.RateLimit, perTenSeconds.RateLimitPeriod, perTenSeconds.Burst = 100, hookbridge.Duration(10*time.Second), 2
	perTenSeconds = createEndpoint(t, s, perTenSeconds) // one every 100 ms, 2 at once: 2 + 2
	for i := range 10 {
		createMessage(t, s, newMessage("acme", paymentSucceeded, at.Add(time.Duration(i)*time.Millisecond)))
		createMessage(t, s, newMessage("acme", paymentFailed, at.Add(time.Duration(i)*time.Millisecond)))
	}
	now := at.Add(time.Minute)
	q := hookbridge.ClaimQuery{Now: now, Limit: 50, PerEndpoint: 10, ThrottleWindow: 200 * time.Millisecond}
	first := claimQ(t, s, q)
	checkEqual(t, "first claim", byEndpoint(first), map[string]int{perSecond.ID: 5, perTenSeconds.ID: 4})
	if again := claimQ(t, s, q); len(again) != 0 {
		t.Errorf("claimed %d more while each endpoint holds its limit's worth, want none", len(again))
	}
	must(t, "complete", s.CompleteAttempt(t.Context(), first[0], nil, hookbridge.Outcome{Status: hookbridge.DeliverySucceeded}))
	if again := claimQ(t, s, q); len(again) != 1 {
		t.Errorf("claimed %d after one lease ended, want 1", len(again))
	}
	q.Now, q.PerEndpoint = now.Add(2*time.Hour), 3 // the leases expired
	checkEqual(t, "claim under a lower PerEndpoint", byEndpoint(claimQ(t, s, q)), map[string]int{perSecond.ID: 3, perTenSeconds.ID: 3})
}

// testNextDue checks each thing that makes NextDue report a time: a
// delivery due later, a lease, a retry, an endpoint's pause.
func testNextDue(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	nextDue := func(now time.Time) time.Time {
		t.Helper()
		next, err := s.NextDue(t.Context(), now)
		must(t, "next due", err)
		return next
	}
	if next := nextDue(at); !next.IsZero() {
		t.Fatalf("next due in an empty store: %v, want none", next)
	}
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	createMessage(t, s, newMessage("acme", paymentSucceeded, at))
	if next := nextDue(at.Add(-time.Minute)); !sameTime(next, at) {
		t.Errorf("next due before the delivery is: %v, want %v", next, at)
	}
	if next := nextDue(at); !next.IsZero() {
		t.Errorf("next due once the delivery is due: %v, want none", next)
	}
	now := at.Add(time.Second)
	claims := claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 1, Lease: time.Minute})
	if next := nextDue(now); !sameTime(next, now.Add(time.Minute)) {
		t.Errorf("next due with a lease: %v, want its end %v", next, now.Add(time.Minute))
	}
	must(t, "complete", s.CompleteAttempt(t.Context(), claims[0], nil, hookbridge.Outcome{
		Status: hookbridge.DeliveryPending, NextAttemptAt: now.Add(10 * time.Second),
		Endpoint: &hookbridge.EndpointReport{At: now, PauseUntil: now.Add(5 * time.Second)},
	}))
	if next := nextDue(now); !sameTime(next, now.Add(5*time.Second)) {
		t.Errorf("next due with a retry and a pause: %v, want the pause's end %v", next, now.Add(5*time.Second))
	}
	if next := nextDue(now.Add(5 * time.Second)); !sameTime(next, now.Add(10*time.Second)) {
		t.Errorf("next due after the pause: %v, want the retry %v", next, now.Add(10*time.Second))
	}
}

func testClaimLeastLoadedFirst(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	a := createEndpoint(t, s, newEndpoint("acme", at, paymentSucceeded))
	b := createEndpoint(t, s, newEndpoint("acme", at, paymentFailed))
	for i := range 5 {
		createMessage(t, s, newMessage("acme", paymentSucceeded, at.Add(time.Duration(i)*time.Second)))
	}
	var bDue []string
	for i := range 5 {
		m := createMessage(t, s, newMessage("acme", paymentFailed, at.Add(time.Minute+time.Duration(i)*time.Second)))
		bDue = append(bDue, onlyDelivery(t, s, m).ID)
	}
	now := at.Add(time.Hour)
	busy := claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 2, EndpointID: a.ID})
	if len(busy) != 2 {
		t.Fatalf("claimed %d of endpoint a, want 2", len(busy))
	}
	// a has 2 in flight and 3 due (the oldest); b none in flight and 5 due.
	// Shared fairly, b's first two go before a's third.
	claims := claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 3})
	checkEqual(t, "claims per endpoint", byEndpoint(claims), map[string]int{a.ID: 1, b.ID: 2})
	for _, c := range claims {
		if c.Delivery.EndpointID == b.ID && !slices.Contains(bDue[:2], c.Delivery.ID) {
			t.Errorf("claimed b's %s, want its two earliest due first", c.Delivery.ID)
		}
	}
}

func testClaimBacklogDoesNotHide(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createEndpoint(t, s, newEndpoint("acme", at, paymentSucceeded))
	quiet := createEndpoint(t, s, newEndpoint("acme", at, paymentFailed))
	for i := range 300 {
		createMessage(t, s, newMessage("acme", paymentSucceeded, at.Add(time.Duration(i)*time.Millisecond)))
	}
	late := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentFailed, at.Add(time.Minute))))
	claims := claimQ(t, s, hookbridge.ClaimQuery{Now: at.Add(time.Hour), Limit: 4, PerEndpoint: 3})
	if !slices.ContainsFunc(claims, func(c *hookbridge.Claim) bool { return c.Delivery.ID == late.ID }) {
		t.Errorf("claims %v leave out the one due delivery of endpoint %s behind another's backlog of 300",
			ids(claims, claimID), quiet.ID)
	}
}

func testClaimOnlyEndpoint(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	a := createEndpoint(t, s, newEndpoint("acme", at))
	createEndpoint(t, s, newEndpoint("acme", at))
	for i := range 3 {
		createMessage(t, s, newMessage("acme", paymentSucceeded, at.Add(time.Duration(i)*time.Second)))
	}
	claims := claimQ(t, s, hookbridge.ClaimQuery{Now: at.Add(time.Minute), Limit: 10, EndpointID: a.ID})
	checkEqual(t, "claims for one endpoint", byEndpoint(claims), map[string]int{a.ID: 3})
}

func testClaimSkipsPaused(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	slow := createEndpoint(t, s, newEndpoint("acme", at, paymentSucceeded))
	other := createEndpoint(t, s, newEndpoint("acme", at, paymentFailed))
	for i := range 3 {
		createMessage(t, s, newMessage("acme", paymentSucceeded, at.Add(time.Duration(i)*time.Second)))
		createMessage(t, s, newMessage("acme", paymentFailed, at.Add(time.Duration(i)*time.Second)))
	}
	now := at.Add(time.Minute)
	c := claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 1, EndpointID: slow.ID})[0]
	pause := now.Add(2 * time.Minute)
	must(t, "complete with a 429", s.CompleteAttempt(t.Context(), c, newAttempt(c, now, 429), hookbridge.Outcome{
		Status: hookbridge.DeliveryPending, NextAttemptAt: pause, LastError: "429",
		Endpoint: &hookbridge.EndpointReport{At: now, PauseUntil: pause},
	}))
	got, err := s.GetEndpoint(t.Context(), "acme", slow.ID)
	must(t, "get endpoint", err)
	if got.PausedUntil == nil || !sameTime(*got.PausedUntil, pause) {
		t.Errorf("paused until %v, want %v", got.PausedUntil, pause)
	}
	claims := claimQ(t, s, hookbridge.ClaimQuery{Now: now.Add(time.Minute), Limit: 10})
	checkEqual(t, "claimed while paused", byEndpoint(claims), map[string]int{other.ID: 3})
	claims = claimQ(t, s, hookbridge.ClaimQuery{Now: pause, Limit: 10})
	checkEqual(t, "claimed once the pause is over", byEndpoint(claims), map[string]int{slow.ID: 3})
}

func testClaimOrdering(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := newEndpoint("acme", at)
	e.Ordering = hookbridge.Ordering{Enabled: true}
	createEndpoint(t, s, e)
	x1 := onlyDelivery(t, s, createMessage(t, s, newCustomerMessage("acme", "cus_x", at)))
	x2 := onlyDelivery(t, s, createMessage(t, s, newCustomerMessage("acme", "cus_x", at.Add(time.Second))))
	y1 := onlyDelivery(t, s, createMessage(t, s, newCustomerMessage("acme", "cus_y", at.Add(2*time.Second))))
	none := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at.Add(3*time.Second))))
	if x1.OrderingKey != "cus_x" || y1.OrderingKey != "cus_y" || none.OrderingKey != "" {
		t.Fatalf("ordering keys %q, %q, %q; want cus_x, cus_y and none", x1.OrderingKey, y1.OrderingKey, none.OrderingKey)
	}

	now := at.Add(time.Minute)
	claims := claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 10, Lease: time.Minute})
	checkEqual(t, "first claim", sortedIDs(claims, claimID), sorted(x1.ID, y1.ID, none.ID))
	var held *hookbridge.Claim
	for _, c := range claims {
		if c.Delivery.ID == x1.ID {
			held = c
			continue
		}
		must(t, "complete", s.CompleteAttempt(t.Context(), c, nil, hookbridge.Outcome{Status: hookbridge.DeliverySucceeded}))
	}
	retryAt := now.Add(time.Hour)
	must(t, "x1 fails, to be retried", s.CompleteAttempt(t.Context(), held, newAttempt(held, now, 503),
		hookbridge.Outcome{Status: hookbridge.DeliveryPending, NextAttemptAt: retryAt, LastError: "503"}))
	if claims := claimQ(t, s, hookbridge.ClaimQuery{Now: now.Add(time.Minute), Limit: 10}); len(claims) != 0 {
		t.Fatalf("claimed %v while the older delivery of the same customer waits for its retry", ids(claims, claimID))
	}
	claims = claimQ(t, s, hookbridge.ClaimQuery{Now: retryAt, Limit: 10})
	checkEqual(t, "claimed when the retry is due", ids(claims, claimID), []string{x1.ID})
	must(t, "x1 succeeds", s.CompleteAttempt(t.Context(), claims[0], nil, hookbridge.Outcome{Status: hookbridge.DeliverySucceeded}))
	claims = claimQ(t, s, hookbridge.ClaimQuery{Now: retryAt, Limit: 10})
	checkEqual(t, "claimed after the older one succeeded", ids(claims, claimID), []string{x2.ID})
}

func testClaimCarriesApp(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	app := &hookbridge.App{ID: "acme", Name: "Acme", CreatedAt: at,
		RetrySchedule: []hookbridge.Duration{0, hookbridge.Duration(time.Minute)}}
	must(t, "create app", s.CreateApp(t.Context(), app))
	createEndpoint(t, s, newEndpoint("acme", at))
	createMessage(t, s, newMessage("acme", paymentSucceeded, at))
	claims := claimAll(t, s, at, time.Minute)
	if len(claims) != 1 || claims[0].App == nil {
		t.Fatalf("claims %+v, want one with its app", claims)
	}
	checkEqual(t, "claimed app", normApp(claims[0].App), normApp(app))
}

// reserve takes a turn of a limit of rate requests per second.
func reserve(t *testing.T, s hookbridge.Store, endpointID string, rate, burst int, now time.Time, maxWait time.Duration) (time.Time, bool) {
	t.Helper()
	at, ok, err := s.ReserveSend(t.Context(), endpointID, time.Second/time.Duration(rate), burst, now, maxWait)
	must(t, "reserve a send", err)
	return at, ok
}

func testThrottleSpaces(t *testing.T, s hookbridge.Store) {
	now := baseTime()
	const rate = 10 // one every 100 ms
	for i := range 10 {
		at, ok := reserve(t, s, "ep_a", rate, 1, now, time.Second)
		if want := now.Add(time.Duration(i) * 100 * time.Millisecond); !ok || !sameTime(at, want) {
			t.Fatalf("reservation %d at %v (ok %v), want at %v", i, at.Sub(now), ok, want.Sub(now))
		}
	}
	at, ok := reserve(t, s, "ep_a", rate, 1, now, 500*time.Millisecond)
	if ok || !sameTime(at, now.Add(time.Second)) {
		t.Errorf("reservation beyond the wait limit: at +%v ok %v, want refused, next at +1s", at.Sub(now), ok)
	}
	// The refused reservation took nothing.
	at, ok = reserve(t, s, "ep_a", rate, 1, now.Add(time.Second), time.Second)
	if !ok || !sameTime(at, now.Add(time.Second)) {
		t.Errorf("reservation at +1s: at +%v ok %v, want at once", at.Sub(now), ok)
	}
}

func testThrottleBurst(t *testing.T, s hookbridge.Store) {
	now := baseTime()
	for i := range 3 {
		if at, ok := reserve(t, s, "ep_b", 10, 3, now, 0); !ok || !sameTime(at, now) {
			t.Fatalf("request %d of a burst of 3: at +%v ok %v, want at once", i, at.Sub(now), ok)
		}
	}
	if at, ok := reserve(t, s, "ep_b", 10, 3, now, 0); ok || !sameTime(at, now.Add(100*time.Millisecond)) {
		t.Errorf("fourth request: at +%v ok %v, want refused until +100ms", at.Sub(now), ok)
	}
	// After a quiet spell the whole burst is available again.
	quiet := now.Add(time.Minute)
	for i := range 3 {
		if at, ok := reserve(t, s, "ep_b", 10, 3, quiet, 0); !ok || !sameTime(at, quiet) {
			t.Fatalf("request %d after a quiet spell: at %v ok %v, want at once", i, at, ok)
		}
	}
}

func testThrottleIndependent(t *testing.T, s hookbridge.Store) {
	now := baseTime()
	reserve(t, s, "ep_c", 1, 1, now, 0)
	if _, ok := reserve(t, s, "ep_c", 1, 1, now, 0); ok {
		t.Errorf("a second request in the same second went at once with a rate of 1")
	}
	if at, ok := reserve(t, s, "ep_d", 1, 1, now, 0); !ok || !sameTime(at, now) {
		t.Errorf("another endpoint's first request: at %v ok %v, want at once", at, ok)
	}
}

// testThrottleConcurrent has several workers take turns at once, as the
// workers of several processes do, and checks that every turn is taken
// once and that they keep the rate.
func testThrottleConcurrent(t *testing.T, s hookbridge.Store) {
	const (
		workers = 6
		each    = 5
		rate    = 100 // one every 10 ms
	)
	now := baseTime()
	var (
		mu    sync.Mutex
		turns []time.Time
		wg    sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			for range each {
				at, ok, err := s.ReserveSend(t.Context(), "ep_e", time.Second/rate, 1, now, time.Hour)
				if err != nil || !ok {
					t.Errorf("reserve: ok %v, %v", ok, err)
					return
				}
				mu.Lock()
				turns = append(turns, at)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.SortFunc(turns, time.Time.Compare)
	if len(turns) != workers*each {
		t.Fatalf("%d turns, want %d", len(turns), workers*each)
	}
	for i, at := range turns {
		if want := now.Add(time.Duration(i) * 10 * time.Millisecond); !sameTime(at, want) {
			t.Fatalf("turn %d at +%v, want +%v: turns %v", i, at.Sub(now), want.Sub(now), fmt.Sprint(turns))
		}
	}
}
