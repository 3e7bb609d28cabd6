package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

func deliverySettingsCases() []testCase {
	return []testCase{
		{"AppSettingsRoundTrip", testAppDeliverySettings},
		{"UpdateAppDeliveryUnknownNotFound", testAppDeliveryUnknown},
		{"RenameAppKeepsTheRest", testRenameApp},
		{"CreateDeliveryNeedsAnEndpointOfTheApp", testCreateDeliveryOtherAppEndpoint},
		{"CreateDeliverySetsOrderingKey", testCreateDeliveryOrderingKey},
	}
}

func endpointHealthCases() []testCase {
	return []testCase{
		{"FailingStreakStartsOnceAndEndsOnSuccess", testHealthStreak},
		{"DisabledAfterFailingTooLong", testHealthDisableAfter},
		{"DisabledAtOnceWithAReason", testHealthDisableNow},
		{"UpdateKeepsHealthAndReEnablingClearsIt", testHealthUpdate},
		{"OperationalEndpointGetsNoMessages", testOperationalNotFannedOut},
		{"OperationalEventQueuedOnce", testOperationalEventOnce},
		{"OperationalEndpointDoesNotReportOnItself", testOperationalNotAboutItself},
	}
}

func recoveryCases() []testCase {
	return []testCase{
		{"CountAndBackfillWhatADisabledEndpointMissed", testBackfill},
		{"BackfillOtherAppNotFound", testBackfillOtherApp},
	}
}

func endpointStatsCases() []testCase {
	return []testCase{
		{"AttemptsLatenciesAndLastOutcomes", testEndpointStats},
		{"ReadFromOneSnapshot", testEndpointStatsSnapshot},
	}
}

func testAppDeliverySettings(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	app := &hookbridge.App{ID: "acme", Name: "Acme", CreatedAt: at,
		RetrySchedule:        []hookbridge.Duration{0, hookbridge.Duration(5 * time.Second), hookbridge.Duration(time.Hour)},
		DisableEndpointAfter: hookbridge.Duration(48 * time.Hour)}
	must(t, "create app", s.CreateApp(t.Context(), app))
	got, err := s.GetApp(t.Context(), "acme")
	must(t, "get app", err)
	checkEqual(t, "stored app", normApp(got), normApp(app))

	app.Name = "changed, but not by UpdateAppDelivery"
	app.RetrySchedule = []hookbridge.Duration{0, hookbridge.Duration(time.Minute)}
	app.DisableEndpointAfter = 0
	must(t, "update app delivery", s.UpdateAppDelivery(t.Context(), app))
	got, err = s.GetApp(t.Context(), "acme")
	must(t, "get app", err)
	want := *app
	want.Name = "Acme"
	checkEqual(t, "updated app", normApp(got), normApp(&want))

	app.RetrySchedule = nil
	must(t, "clear the schedule", s.UpdateAppDelivery(t.Context(), app))
	apps, err := s.ListApps(t.Context())
	must(t, "list apps", err)
	if len(apps) != 1 || len(apps[0].RetrySchedule) != 0 {
		t.Errorf("listed %+v, want the app with the default schedule", apps)
	}
}

func testAppDeliveryUnknown(t *testing.T, s hookbridge.Store) {
	err := s.UpdateAppDelivery(t.Context(), &hookbridge.App{ID: "nobody"})
	checkErrorIs(t, "update delivery settings of an unknown app", err, hookbridge.ErrNotFound)
}

func testCreateDeliveryOtherAppEndpoint(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	createEndpoint(t, s, newEndpoint("acme", at))
	theirs := createEndpoint(t, s, newEndpoint("globex", at))
	m := createMessage(t, s, newMessage("acme", paymentSucceeded, at))
	err := s.CreateDelivery(t.Context(), &hookbridge.Delivery{AppID: "acme", MessageID: m.ID, EndpointID: theirs.ID})
	checkErrorIs(t, "resend to another app's endpoint", err, hookbridge.ErrNotFound)
	err = s.CreateDelivery(t.Context(), &hookbridge.Delivery{AppID: "acme", MessageID: m.ID, EndpointID: "ep_unknown"})
	checkErrorIs(t, "resend to an unknown endpoint", err, hookbridge.ErrNotFound)
	if n := len(deliveriesOf(t, s, m)); n != 1 {
		t.Errorf("message has %d deliveries after refused resends, want 1", n)
	}
}

func testCreateDeliveryOrderingKey(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := newEndpoint("acme", at)
	e.Ordering = hookbridge.Ordering{Enabled: true}
	createEndpoint(t, s, e)
	m := createMessage(t, s, newCustomerMessage("acme", "cus_42", at))
	d := &hookbridge.Delivery{AppID: "acme", MessageID: m.ID, EndpointID: e.ID, EventType: m.EventType}
	must(t, "create delivery", s.CreateDelivery(t.Context(), d))
	if got := getDelivery(t, s, "acme", d.ID); got.OrderingKey != "cus_42" || d.OrderingKey != "cus_42" {
		t.Errorf("resend's ordering key %q (returned %q), want cus_42", got.OrderingKey, d.OrderingKey)
	}
}

// report completes the one due delivery of e at now with an attempt and
// the given endpoint report.
func report(t *testing.T, s hookbridge.Store, e *hookbridge.Endpoint, now time.Time, o hookbridge.Outcome) {
	t.Helper()
	createMessage(t, s, newMessage(e.AppID, paymentSucceeded, now))
	claims := claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 1, EndpointID: e.ID})
	if len(claims) != 1 {
		t.Fatalf("claimed %d deliveries of %s at %v, want 1", len(claims), e.ID, now)
	}
	must(t, "complete", s.CompleteAttempt(t.Context(), claims[0], newAttempt(claims[0], now, 500), o))
}

func failing(at time.Time, disableAfter time.Duration) hookbridge.Outcome {
	return hookbridge.Outcome{Status: hookbridge.DeliveryFailed, LastError: "500",
		Endpoint: &hookbridge.EndpointReport{At: at, Health: hookbridge.HealthFailing, DisableAfter: disableAfter}}
}

func getEndpoint(t *testing.T, s hookbridge.Store, e *hookbridge.Endpoint) *hookbridge.Endpoint {
	t.Helper()
	got, err := s.GetEndpoint(t.Context(), e.AppID, e.ID)
	must(t, "get endpoint", err)
	return got
}

func testHealthStreak(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newEndpoint("acme", at))
	report(t, s, e, at, failing(at, 0))
	report(t, s, e, at.Add(time.Hour), failing(at.Add(time.Hour), 0))
	got := getEndpoint(t, s, e)
	if got.FailingSince == nil || !sameTime(*got.FailingSince, at) || got.Disabled {
		t.Fatalf("after two failures: failing since %v, disabled %v; want since the first, enabled", got.FailingSince, got.Disabled)
	}
	report(t, s, e, at.Add(2*time.Hour), hookbridge.Outcome{Status: hookbridge.DeliverySucceeded,
		Endpoint: &hookbridge.EndpointReport{At: at.Add(2 * time.Hour), Health: hookbridge.HealthOK}})
	if got := getEndpoint(t, s, e); got.FailingSince != nil {
		t.Errorf("after a success: failing since %v, want nil", got.FailingSince)
	}
	// An unknown health (a 429, a request never sent) changes nothing.
	report(t, s, e, at.Add(3*time.Hour), failing(at.Add(3*time.Hour), 0))
	report(t, s, e, at.Add(4*time.Hour), hookbridge.Outcome{Status: hookbridge.DeliveryFailed,
		Endpoint: &hookbridge.EndpointReport{At: at.Add(4 * time.Hour)}})
	if got := getEndpoint(t, s, e); got.FailingSince == nil || !sameTime(*got.FailingSince, at.Add(3*time.Hour)) {
		t.Errorf("after an unknown report: failing since %v, want the streak kept", got.FailingSince)
	}
}

// withOperational adds an operational endpoint to the app.
func withOperational(t *testing.T, s hookbridge.Store, appID string, at time.Time) *hookbridge.Endpoint {
	t.Helper()
	op := newEndpoint(appID, at)
	op.Name = "operational webhook"
	op.Operational = true
	op.EventTypes = hookbridge.OperationalEventTypes
	return createEndpoint(t, s, op)
}

// operationalMessages lists the app's messages carrying operational
// events, with their one delivery each (to the operational endpoint).
func operationalMessages(t *testing.T, s hookbridge.Store, appID, opID string) map[string]map[string]any {
	t.Helper()
	msgs, err := s.ListMessages(t.Context(), appID, hookbridge.MessageFilter{})
	must(t, "list messages", err)
	out := map[string]map[string]any{}
	for _, m := range msgs {
		if m.SourceID != hookbridge.OperationalSourceID {
			continue
		}
		ds := deliveriesOf(t, s, m)
		if len(ds) != 1 || ds[0].EndpointID != opID || ds[0].Status != hookbridge.DeliveryPending {
			t.Errorf("operational message %s has deliveries %+v, want one pending to %s", m.ID, ds, opID)
		}
		var payload map[string]any
		must(t, "decode operational payload", json.Unmarshal(m.Payload, &payload))
		out[m.EventType] = payload
	}
	return out
}

func testHealthDisableAfter(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	op := withOperational(t, s, "acme", at)
	e := createEndpoint(t, s, newEndpoint("acme", at))
	report(t, s, e, at, failing(at, 24*time.Hour))
	report(t, s, e, at.Add(23*time.Hour), failing(at.Add(23*time.Hour), 24*time.Hour))
	if got := getEndpoint(t, s, e); got.Disabled {
		t.Fatalf("disabled after failing for 23h of the 24h allowed")
	}
	if events := operationalMessages(t, s, "acme", op.ID); len(events) != 0 {
		t.Fatalf("operational events %v before anything happened", events)
	}
	disabledAt := at.Add(25 * time.Hour)
	report(t, s, e, disabledAt, failing(disabledAt, 24*time.Hour))
	got := getEndpoint(t, s, e)
	if !got.Disabled || got.DisabledAt == nil || !sameTime(*got.DisabledAt, disabledAt) || got.DisabledReason == "" {
		t.Fatalf("after failing for 25h: disabled %v at %v (%q), want disabled now with a reason",
			got.Disabled, got.DisabledAt, got.DisabledReason)
	}
	events := operationalMessages(t, s, "acme", op.ID)
	ev, ok := events[hookbridge.EventEndpointDisabled]
	if !ok {
		t.Fatalf("operational events %v, want endpoint.disabled", events)
	}
	data, _ := ev["data"].(map[string]any)
	if ev["type"] != hookbridge.EventEndpointDisabled || data["endpoint_id"] != e.ID || data["reason"] != got.DisabledReason {
		t.Errorf("endpoint.disabled payload %v", ev)
	}
	// The operational endpoint's delivery is claimable like any other.
	claims := claimAll(t, s, disabledAt, time.Minute)
	if len(claims) != 1 || claims[0].Delivery.EndpointID != op.ID {
		t.Errorf("claimed %v, want the operational delivery", ids(claims, claimID))
	}
}

func testHealthDisableNow(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newEndpoint("acme", at))
	o := failing(at, 0)
	o.Endpoint.DisableReason = "the destination answered 410 Gone"
	report(t, s, e, at, o)
	got := getEndpoint(t, s, e)
	if !got.Disabled || got.DisabledReason != "the destination answered 410 Gone" {
		t.Errorf("after a 410: disabled %v (%q), want disabled with the reason", got.Disabled, got.DisabledReason)
	}
}

func testHealthUpdate(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newEndpoint("acme", at))
	o := failing(at, 0)
	o.Endpoint.DisableReason = "gone"
	o.Endpoint.PauseUntil = at.Add(time.Hour)
	report(t, s, e, at, o)

	// An update that leaves the endpoint disabled keeps its health, even
	// when the caller's copy has none.
	e.Name = "renamed"
	e.Disabled = true
	e.UpdatedAt = at.Add(time.Minute)
	must(t, "update", s.UpdateEndpoint(t.Context(), e))
	got := getEndpoint(t, s, e)
	if got.FailingSince == nil || got.PausedUntil == nil || got.DisabledReason != "gone" || !sameTime(*got.DisabledAt, at) {
		t.Fatalf("after renaming a disabled endpoint: %+v, want its health kept", got)
	}
	checkEqual(t, "returned endpoint", normEndpoint(e), normEndpoint(got))

	e.Disabled = false
	e.UpdatedAt = at.Add(2 * time.Minute)
	must(t, "re-enable", s.UpdateEndpoint(t.Context(), e))
	got = getEndpoint(t, s, e)
	if got.Disabled || got.FailingSince != nil || got.PausedUntil != nil || got.DisabledAt != nil || got.DisabledReason != "" {
		t.Errorf("after re-enabling: %+v, want the health cleared", got)
	}
	e.Disabled = true
	e.UpdatedAt = at.Add(3 * time.Minute)
	must(t, "disable by hand", s.UpdateEndpoint(t.Context(), e))
	if got := getEndpoint(t, s, e); got.DisabledAt == nil || !sameTime(*got.DisabledAt, e.UpdatedAt) {
		t.Errorf("disabled by hand at %v, want the update's time %v", got.DisabledAt, e.UpdatedAt)
	}
}

func testOperationalNotFannedOut(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	op := withOperational(t, s, "acme", at)
	op.EventTypes = nil // even one that accepts every type
	op.UpdatedAt = at
	must(t, "update", s.UpdateEndpoint(t.Context(), op))
	e := createEndpoint(t, s, newEndpoint("acme", at))
	d := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, at)))
	if d.EndpointID != e.ID {
		t.Errorf("the message went to %s, want only the ordinary endpoint", d.EndpointID)
	}
	if got := getEndpoint(t, s, op); !got.Operational {
		t.Errorf("the operational endpoint lost its mark on update")
	}
}

func testOperationalEventOnce(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	op := withOperational(t, s, "acme", at)
	e := createEndpoint(t, s, newEndpoint("acme", at))
	ev := hookbridge.DeliveryExhaustedEvent(hookbridge.DeliveryExhaustedData{AppID: "acme", EndpointID: e.ID,
		DeliveryID: "dlv_1", Attempts: 8, LastError: "HTTP 500"}, at)
	for range 2 {
		report(t, s, e, at, hookbridge.Outcome{Status: hookbridge.DeliveryFailed, Events: []hookbridge.OperationalEvent{ev}})
	}
	events := operationalMessages(t, s, "acme", op.ID)
	msgs, err := s.ListMessages(t.Context(), "acme", hookbridge.MessageFilter{EventType: hookbridge.EventDeliveryExhausted})
	must(t, "list messages", err)
	if len(events) != 1 || len(msgs) != 1 {
		t.Errorf("queued %d delivery.exhausted messages, want 1 for one event id", len(msgs))
	}
}

func testOperationalNotAboutItself(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	op := withOperational(t, s, "acme", at)
	ev := hookbridge.DeliveryExhaustedEvent(hookbridge.DeliveryExhaustedData{AppID: "acme", EndpointID: op.ID,
		DeliveryID: "dlv_1", Attempts: 8}, at)
	// Queue one operational delivery, then fail it with events of its own.
	e := createEndpoint(t, s, newEndpoint("acme", at))
	first := hookbridge.DeliveryExhaustedEvent(hookbridge.DeliveryExhaustedData{AppID: "acme", EndpointID: e.ID, DeliveryID: "dlv_0", Attempts: 1}, at)
	report(t, s, e, at, hookbridge.Outcome{Status: hookbridge.DeliveryFailed, Events: []hookbridge.OperationalEvent{first}})
	claims := claimQ(t, s, hookbridge.ClaimQuery{Now: at, Limit: 1, EndpointID: op.ID})
	if len(claims) != 1 {
		t.Fatalf("claimed %d operational deliveries, want 1", len(claims))
	}
	o := failing(at, 0)
	o.Endpoint.DisableReason = "gone"
	o.Events = []hookbridge.OperationalEvent{ev}
	must(t, "fail the operational delivery", s.CompleteAttempt(t.Context(), claims[0], nil, o))
	msgs, err := s.ListMessages(t.Context(), "acme", hookbridge.MessageFilter{})
	must(t, "list messages", err)
	operational := 0
	for _, m := range msgs {
		if m.SourceID == hookbridge.OperationalSourceID {
			operational++
		}
	}
	if operational != 1 {
		t.Errorf("%d operational messages, want only the first: the operational endpoint does not report on itself", operational)
	}
}

func testBackfill(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	withOperational(t, s, "acme", at)
	e := createEndpoint(t, s, newEndpoint("acme", at.Add(time.Minute), paymentSucceeded))
	minute := func(n int) time.Time { return at.Add(time.Duration(n) * time.Minute) }

	createMessage(t, s, newMessage("acme", paymentSucceeded, minute(0))) // before the endpoint
	failed := onlyDelivery(t, s, createMessage(t, s, newMessage("acme", paymentSucceeded, minute(2))))
	finish(t, s, minute(2), map[string]hookbridge.DeliveryStatus{failed.ID: hookbridge.DeliveryFailed})
	e.Disabled = true
	e.UpdatedAt = minute(3)
	must(t, "disable", s.UpdateEndpoint(t.Context(), e))
	var missed []*hookbridge.Message
	for i := 4; i < 7; i++ {
		missed = append(missed, createMessage(t, s, newMessage("acme", paymentSucceeded, minute(i))))
	}
	createMessage(t, s, newMessage("acme", paymentFailed, minute(5))) // a type it does not take
	late := createMessage(t, s, newMessage("acme", paymentSucceeded, minute(20)))

	r, err := s.CountRecoverable(t.Context(), "acme", e.ID, minute(0), minute(10))
	must(t, "count recoverable", err)
	checkEqual(t, "recoverable", r, hookbridge.Recoverable{Failed: 1, Missed: 3})

	now := minute(30)
	n, err := s.BackfillDeliveries(t.Context(), "acme", e.ID, minute(0), minute(10), now)
	must(t, "backfill", err)
	if n != 3 {
		t.Errorf("backfilled %d, want 3", n)
	}
	for _, m := range missed {
		d := onlyDelivery(t, s, m)
		if d.EndpointID != e.ID || d.Status != hookbridge.DeliveryPending || !sameTime(d.NextAttemptAt, now) {
			t.Errorf("backfilled delivery %+v, want pending to %s due %v", d, e.ID, now)
		}
	}
	if ds := deliveriesOf(t, s, late); len(ds) != 0 {
		t.Errorf("the message after the window got %d deliveries", len(ds))
	}
	if n, err := s.BackfillDeliveries(t.Context(), "acme", e.ID, minute(0), minute(10), now); err != nil || n != 0 {
		t.Errorf("backfilling again queued %d (%v), want 0", n, err)
	}
	r, err = s.CountRecoverable(t.Context(), "acme", e.ID, minute(0), minute(10))
	must(t, "count recoverable", err)
	checkEqual(t, "recoverable after backfill", r, hookbridge.Recoverable{Failed: 1, Missed: 0})
}

func testBackfillOtherApp(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	createApp(t, s, "globex", at)
	e := createEndpoint(t, s, newEndpoint("acme", at))
	_, err := s.BackfillDeliveries(t.Context(), "globex", e.ID, at, at.Add(time.Hour), at)
	checkErrorIs(t, "backfill another app's endpoint", err, hookbridge.ErrNotFound)
	_, err = s.CountRecoverable(t.Context(), "globex", e.ID, at, at.Add(time.Hour))
	checkErrorIs(t, "count another app's endpoint", err, hookbridge.ErrNotFound)
}

func testEndpointStats(t *testing.T, s hookbridge.Store) {
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newEndpoint("acme", at))
	other := createEndpoint(t, s, newEndpoint("acme", at))
	// One attempt per minute: status and duration.
	plan := []struct {
		status int
		err    string
		took   time.Duration
	}{
		{200, "", 10 * time.Millisecond},
		{500, "HTTP 500", 30 * time.Millisecond},
		{200, "", 20 * time.Millisecond},
		{0, "connection reset by peer", 40 * time.Millisecond},
		{200, "", 50 * time.Millisecond},
	}
	for i, p := range plan {
		now := at.Add(time.Duration(i) * time.Minute)
		createMessage(t, s, newMessage("acme", paymentSucceeded, now))
		for _, c := range claimQ(t, s, hookbridge.ClaimQuery{Now: now, Limit: 10}) {
			a := newAttempt(c, now, p.status)
			a.Error, a.Duration = p.err, p.took
			status := hookbridge.DeliverySucceeded
			if p.err != "" {
				status = hookbridge.DeliveryFailed
			}
			must(t, "complete", s.CompleteAttempt(t.Context(), c, a, hookbridge.Outcome{Status: status}))
		}
	}
	st, err := s.EndpointStats(t.Context(), "acme", e.ID, at.Add(time.Minute), at.Add(10*time.Minute))
	must(t, "endpoint stats", err)
	if st.Attempts != 4 || st.Succeeded != 2 {
		t.Errorf("attempts %d, succeeded %d in the window; want 4 and 2", st.Attempts, st.Succeeded)
	}
	checkEqual(t, "latencies, latest first", st.Latencies,
		[]time.Duration{50 * time.Millisecond, 40 * time.Millisecond, 20 * time.Millisecond, 30 * time.Millisecond})
	checkEqual(t, "deliveries by status", st.DeliveriesByStatus,
		map[hookbridge.DeliveryStatus]int{hookbridge.DeliverySucceeded: 2, hookbridge.DeliveryFailed: 2})
	if st.LastError != "connection reset by peer" || st.LastErrorAt == nil || !sameTime(*st.LastErrorAt, at.Add(3*time.Minute)) {
		t.Errorf("last error %q at %v, want the reset at +3m", st.LastError, st.LastErrorAt)
	}
	if st.LastSuccessAt == nil || !sameTime(*st.LastSuccessAt, at.Add(4*time.Minute)) {
		t.Errorf("last success at %v, want +4m", st.LastSuccessAt)
	}
	quiet, err := s.EndpointStats(t.Context(), "acme", other.ID, at.Add(time.Hour), at.Add(2*time.Hour))
	must(t, "stats of a quiet window", err)
	if quiet.Attempts != 0 || len(quiet.Latencies) != 0 || quiet.LastError != "connection reset by peer" {
		t.Errorf("quiet window: %+v, want no attempts but the last error kept", quiet)
	}
	createApp(t, s, "globex", at)
	_, err = s.EndpointStats(t.Context(), "globex", e.ID, at, at.Add(time.Hour))
	checkErrorIs(t, "stats of another app's endpoint", err, hookbridge.ErrNotFound)
}

// testEndpointStatsSnapshot reads an endpoint's stats while its deliveries
// succeed one by one, each with one attempt committed together with the
// delivery's status: every read must count as many successful attempts as
// succeeded deliveries. Stats read in several separate statements see an
// outcome committed between two of them as a succeeded delivery without
// its attempt.
func testEndpointStatsSnapshot(t *testing.T, s hookbridge.Store) {
	const deliveries = 60
	at := baseTime()
	createApp(t, s, "acme", at)
	e := createEndpoint(t, s, newEndpoint("acme", at))
	for range deliveries {
		createMessage(t, s, newMessage("acme", paymentSucceeded, at))
	}
	var claims []*hookbridge.Claim
	for len(claims) < deliveries {
		got := claimQ(t, s, hookbridge.ClaimQuery{Now: at, Limit: deliveries})
		if len(got) == 0 {
			t.Fatalf("claimed %d of %d deliveries, then none", len(claims), deliveries)
		}
		claims = append(claims, got...)
	}
	ctx := t.Context()
	completed := make(chan error, 1)
	go func() {
		for _, c := range claims {
			a := newAttempt(c, at, 200)
			a.Error = ""
			if err := s.CompleteAttempt(ctx, c, a, hookbridge.Outcome{Status: hookbridge.DeliverySucceeded}); err != nil {
				completed <- err
				return
			}
		}
		completed <- nil
	}()
	check := func() *hookbridge.EndpointStats {
		st, err := s.EndpointStats(t.Context(), "acme", e.ID, at.Add(-time.Minute), at.Add(time.Hour))
		must(t, "endpoint stats", err)
		if succeeded := st.DeliveriesByStatus[hookbridge.DeliverySucceeded]; st.Succeeded != succeeded || st.Attempts != succeeded {
			t.Fatalf("stats counted %d attempts (%d succeeded) but %d succeeded deliveries: not one snapshot",
				st.Attempts, st.Succeeded, succeeded)
		}
		return st
	}
	for done := false; !done; {
		select {
		case err := <-completed:
			must(t, "complete attempts", err)
			done = true
		default:
			check()
		}
	}
	if st := check(); st.Succeeded != deliveries {
		t.Errorf("%d successful attempts in the end, want %d", st.Succeeded, deliveries)
	}
}
