package delivery_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/webhook/webhooktest"
)

// Each test here drives one delivery rule with a fault-injecting fake
// destination, on a fake clock: schedules of hours run in milliseconds.

// offsets returns the times of attempts relative to t0.
func offsets(atts []*hookbridge.Attempt) []time.Duration {
	out := make([]time.Duration, len(atts))
	for i, a := range atts {
		out[i] = a.CreatedAt.Sub(t0)
	}
	return out
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestThePlatformScheduleRunsOutAndTellsTheOperationalWebhook(t *testing.T) {
	r := newRig(t)
	r.operational()
	e := r.segmentEndpoint()
	r.seg.FailNext(100, http.StatusServiceUnavailable)
	m := r.post("")
	d := r.settle(m, e)

	// At once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h later.
	want := []time.Duration{0, 5 * time.Second, 5*time.Minute + 5*time.Second, 35*time.Minute + 5*time.Second,
		2*time.Hour + 35*time.Minute + 5*time.Second, 7*time.Hour + 35*time.Minute + 5*time.Second,
		17*time.Hour + 35*time.Minute + 5*time.Second, 27*time.Hour + 35*time.Minute + 5*time.Second}
	if got := offsets(r.attempts(d)); !equalDurations(got, want) {
		t.Fatalf("attempts at %v, want %v", got, want)
	}
	if d.Status != hookbridge.DeliveryFailed || !strings.Contains(d.LastError, "gave up after 8 attempts") ||
		!strings.Contains(d.LastError, "503") || d.Attempts != 8 {
		t.Fatalf("delivery %+v, want failed after 8 attempts with the last error kept", d)
	}
	// The delivery.exhausted event is itself a delivery, signed and sent.
	r.run()
	events := r.opsEvents()[hookbridge.EventDeliveryExhausted]
	if len(events) != 1 {
		t.Fatalf("operational webhook got %v (rejected %v), want one delivery.exhausted", r.opsEvents(), r.ops.Rejected())
	}
	data, _ := events[0]["data"].(map[string]any)
	if data["delivery_id"] != d.ID || data["attempts"] != float64(8) || !strings.Contains(data["last_error"].(string), "503") {
		t.Errorf("delivery.exhausted data %v", data)
	}
}

func TestAnAppsOwnScheduleIsUsed(t *testing.T) {
	r := newRig(t)
	schedule := []hookbridge.Duration{0, hookbridge.Duration(time.Minute), hookbridge.Duration(3 * time.Hour)}
	app, _ := r.store.GetApp(t.Context(), "acme")
	app.RetrySchedule = schedule
	if err := r.store.UpdateAppDelivery(t.Context(), app); err != nil {
		t.Fatal(err)
	}
	e := r.segmentEndpoint()
	r.seg.FailNext(100, http.StatusBadGateway)
	d := r.settle(r.post(""), e)
	want := []time.Duration{0, time.Minute, time.Minute + 3*time.Hour}
	if got := offsets(r.attempts(d)); !equalDurations(got, want) {
		t.Fatalf("attempts at %v, want the app's schedule %v", got, want)
	}
	if d.Status != hookbridge.DeliveryFailed || !strings.Contains(d.LastError, "gave up after 3 attempts") {
		t.Fatalf("delivery %+v, want failed after the app's 3 attempts", d)
	}
}

func TestFailingTwiceThenSucceeding(t *testing.T) {
	var seen recorder
	r := newRig(t, observedBy(&seen))
	e := r.segmentEndpoint()
	r.seg.FailNext(2, http.StatusInternalServerError)
	d := r.settle(r.post(""), e)
	if d.Status != hookbridge.DeliverySucceeded || d.Attempts != 3 {
		t.Fatalf("delivery %+v, want succeeded on the third attempt", d)
	}
	if want := []time.Duration{0, 5 * time.Second, 5*time.Minute + 5*time.Second}; !equalDurations(offsets(r.attempts(d)), want) {
		t.Errorf("attempts at %v, want %v", offsets(r.attempts(d)), want)
	}
	if len(r.seg.Accepted()) != 1 || len(r.seg.Duplicates()) != 0 {
		t.Errorf("Segment accepted %d, duplicates %d; want 1 and 0", len(r.seg.Accepted()), len(r.seg.Duplicates()))
	}
	if got := r.getEndpoint(e); got.FailingSince != nil {
		t.Errorf("failing since %v after a success, want healthy", got.FailingSince)
	}
	wantFinished := []hookbridge.DeliveryStatus{hookbridge.DeliveryPending, hookbridge.DeliveryPending, hookbridge.DeliverySucceeded}
	if fmt.Sprint(seen.sent) != "[500 500 200]" || fmt.Sprint(seen.finished) != fmt.Sprint(wantFinished) {
		t.Errorf("the observer saw requests %v and outcomes %v, want [500 500 200] and %v", seen.sent, seen.finished, wantFinished)
	}
}

func TestRetryAfterHoldsBackOnlyThatEndpoint(t *testing.T) {
	r := newRig(t, workers(1)) // one at a time: the 429 comes before the others are claimed
	seg := r.segmentEndpoint()
	cio := r.customerioEndpoint()
	r.seg.RateLimitNext(1, 2*time.Minute)
	first := r.post("")
	r.run()

	d := r.deliveryOf(first, seg)
	if d.Status != hookbridge.DeliveryPending || d.NextAttemptAt.Sub(t0) != 2*time.Minute {
		t.Fatalf("after a 429 with Retry-After 120: %+v, want pending for 2m (not the schedule's 5s)", d)
	}
	if got := r.getEndpoint(seg); got.PausedUntil == nil || got.PausedUntil.Sub(t0) != 2*time.Minute || got.FailingSince != nil {
		t.Fatalf("endpoint paused until %v, failing since %v; want paused 2m and not failing", got.PausedUntil, got.FailingSince)
	}
	if r.deliveryOf(first, cio).Status != hookbridge.DeliverySucceeded {
		t.Fatalf("the other endpoint's delivery did not go while Segment was paused")
	}

	r.clock.Advance(time.Minute)
	second := r.post("")
	r.run()
	if got := r.deliveryOf(second, seg); got.Status != hookbridge.DeliveryPending || got.Attempts != 0 {
		t.Errorf("a new Segment delivery during the pause: %+v, want it held back, untried", got)
	}
	if got := r.deliveryOf(second, cio); got.Status != hookbridge.DeliverySucceeded {
		t.Errorf("the other endpoint's new delivery: %s, want succeeded during the pause", got.Status)
	}
	if n := len(r.seg.Requests()); n != 1 {
		t.Errorf("Segment got %d requests during the pause, want only the first", n)
	}

	r.clock.Set(t0.Add(2 * time.Minute))
	r.run()
	for _, m := range []*hookbridge.Message{first, second} {
		if got := r.deliveryOf(m, seg); got.Status != hookbridge.DeliverySucceeded {
			t.Errorf("after the pause: %s, want succeeded", got.Status)
		}
	}
}

func TestAbortMessageStopsRetries(t *testing.T) {
	r := newRig(t)
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	e := r.webhookEndpoint(to)
	to.RespondNext(1, http.StatusInternalServerError, http.Header{"Webhook-Delivery": {"abort-message"}}, nil)
	d := r.settle(r.post(""), e)
	if d.Status != hookbridge.DeliveryFailed || d.Attempts != 1 || !strings.Contains(d.LastError, "abort-message") {
		t.Fatalf("delivery %+v, want failed after one attempt, saying abort-message", d)
	}
}

func TestAHangingDestinationTimesOutAndIsRetried(t *testing.T) {
	r := newRig(t)
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	e := r.webhookEndpoint(to, func(e *hookbridge.Endpoint) { e.TimeoutSeconds = 1 })
	to.HangNext(1)
	started := time.Now()
	d := r.settle(r.post(""), e)
	if took := time.Since(started); took > 4*time.Second {
		t.Errorf("took %s: the endpoint's 1s timeout was not applied", took)
	}
	atts := r.attempts(d)
	if d.Status != hookbridge.DeliverySucceeded || len(atts) != 2 {
		t.Fatalf("delivery %+v with %d attempts, want succeeded on the second", d, len(atts))
	}
	if !strings.Contains(atts[0].Error, "no answer within 1s") || atts[0].ResponseStatus != 0 {
		t.Errorf("first attempt: status %d, error %q; want a timeout after 1s", atts[0].ResponseStatus, atts[0].Error)
	}
}

func TestAResetConnectionIsRetried(t *testing.T) {
	r := newRig(t)
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	e := r.webhookEndpoint(to)
	to.ResetNext(2)
	d := r.settle(r.post(""), e)
	atts := r.attempts(d)
	if d.Status != hookbridge.DeliverySucceeded || len(atts) != 3 {
		t.Fatalf("delivery %+v with %d attempts, want succeeded on the third", d, len(atts))
	}
	for _, a := range atts[:2] {
		if a.ResponseStatus != 0 || a.Error == "" {
			t.Errorf("attempt on a reset connection: status %d, error %q; want no answer and the network error", a.ResponseStatus, a.Error)
		}
	}
	if got := len(to.Accepted()); got != 1 {
		t.Errorf("receiver accepted %d, want 1", got)
	}
}

func TestGoneDisablesTheEndpointAndSaysSo(t *testing.T) {
	r := newRig(t)
	op := r.operational()
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	e := r.webhookEndpoint(to)
	to.FailNext(1, http.StatusGone)
	m := r.post("")
	d := r.settle(m, e)
	if d.Status != hookbridge.DeliveryFailed || d.Attempts != 1 {
		t.Fatalf("delivery %+v, want failed at once on 410", d)
	}
	got := r.getEndpoint(e)
	if !got.Disabled || !strings.Contains(got.DisabledReason, "410") || got.DisabledAt == nil || !got.DisabledAt.Equal(t0) {
		t.Fatalf("endpoint %+v, want disabled now because of the 410", got)
	}
	r.run() // send the operational events
	events := r.opsEvents()
	if len(events[hookbridge.EventEndpointDisabled]) != 1 || len(events[hookbridge.EventDeliveryExhausted]) != 1 {
		t.Fatalf("operational webhook got %v (rejected %v), want endpoint.disabled and delivery.exhausted, signed",
			events, r.ops.Rejected())
	}
	data, _ := events[hookbridge.EventEndpointDisabled][0]["data"].(map[string]any)
	if data["endpoint_id"] != e.ID || !strings.Contains(data["reason"].(string), "410") {
		t.Errorf("endpoint.disabled data %v", data)
	}
	// A disabled endpoint gets no new deliveries.
	later := r.post("")
	ds, _ := r.store.ListDeliveries(t.Context(), "acme", hookbridge.DeliveryFilter{MessageID: later.ID})
	if len(ds) != 0 {
		t.Errorf("a message after the 410 got deliveries %+v", ds)
	}
	if got := r.getEndpoint(op); got.Disabled {
		t.Errorf("the operational endpoint was disabled too")
	}
}

func TestAnEndpointFailingForFiveDaysIsDisabled(t *testing.T) {
	r := newRig(t)
	r.operational()
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	e := r.webhookEndpoint(to)
	to.FailNext(100000, http.StatusInternalServerError)
	// A message every 6 hours; the clock moves an hour at a time.
	var disabledAt time.Time
	for step := 0; step < 6*24 && disabledAt.IsZero(); step++ {
		if step%6 == 0 {
			r.post("")
		}
		r.run()
		if got := r.getEndpoint(e); got.Disabled {
			disabledAt = r.clock.Now()
			if got.FailingSince == nil || !got.FailingSince.Equal(t0) {
				t.Errorf("failing since %v, want since the first failure at t0", got.FailingSince)
			}
			if !strings.Contains(got.DisabledReason, "5d") {
				t.Errorf("disabled reason %q, want it to name the 5 days", got.DisabledReason)
			}
		}
		r.clock.Advance(time.Hour)
	}
	if disabledAt.IsZero() {
		t.Fatalf("endpoint still enabled after failing for 6 days")
	}
	if since := disabledAt.Sub(t0); since < 5*24*time.Hour || since > 5*24*time.Hour+6*time.Hour {
		t.Errorf("disabled %s after it began failing, want just past 5 days", since)
	}
	r.run()
	if n := len(r.opsEvents()[hookbridge.EventEndpointDisabled]); n != 1 {
		t.Errorf("%d endpoint.disabled events, want 1", n)
	}
}

func TestOrderedDeliveriesOfOneCustomerWaitForTheOlder(t *testing.T) {
	r := newRig(t, workers(1)) // one at a time, so that the first request is x1's
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	e := r.webhookEndpoint(to, func(e *hookbridge.Endpoint) { e.Ordering = hookbridge.Ordering{Enabled: true} })
	x1, x2 := r.post("cus_x"), r.post("cus_x")
	y1 := r.post("cus_y")
	to.FailNext(1, http.StatusServiceUnavailable) // x1, the oldest, goes first
	r.run()
	if got := r.deliveryOf(x1, e); got.Status != hookbridge.DeliveryPending || got.Attempts != 1 {
		t.Fatalf("x1 %+v, want failed once, waiting", got)
	}
	if got := r.deliveryOf(x2, e); got.Attempts != 0 {
		t.Fatalf("x2 was tried while x1 of the same customer waits for its retry")
	}
	if got := r.deliveryOf(y1, e); got.Status != hookbridge.DeliverySucceeded {
		t.Fatalf("y1 %s, want delivered: another customer is not held back", got.Status)
	}
	r.clock.Advance(5 * time.Second)
	r.run()
	for _, m := range []*hookbridge.Message{x1, x2} {
		if got := r.deliveryOf(m, e); got.Status != hookbridge.DeliverySucceeded {
			t.Fatalf("%s: %s, want succeeded", m.ID, got.Status)
		}
	}
	var order []string
	for _, a := range to.Accepted() {
		order = append(order, a.ID)
	}
	want := []string{key(y1, e), key(x1, e), key(x2, e)}
	if strings.Join(order, ",") != strings.Join(want, ",") {
		t.Errorf("accepted %v, want y1, x1, x2 (x1's first try failed)", order)
	}
}

func key(m *hookbridge.Message, e *hookbridge.Endpoint) string {
	return hookbridge.IdempotencyKey(m.ID, e.ID, m.CreatedAt)
}

func TestResponseBodiesAreKeptTo20KB(t *testing.T) {
	r := newRig(t)
	big := strings.Repeat("x", 100<<10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(big))
	}))
	t.Cleanup(srv.Close)
	e := r.endpoint(&hookbridge.Endpoint{Integration: "webhook", URL: srv.URL,
		Credentials: hookbridge.Credentials{"signing_secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}})
	m := r.post("")
	r.run()
	atts := r.attempts(r.deliveryOf(m, e))
	if len(atts) != 1 || len(atts[0].ResponseBody) != hookbridge.MaxRecordedBody {
		t.Fatalf("recorded a body of %d bytes, want %d", len(atts[0].ResponseBody), hookbridge.MaxRecordedBody)
	}
}

func TestSecretsEchoedByTheDestinationAreMasked(t *testing.T) {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	r := newRig(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Echo", "key="+secret)
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"bad signature for secret ` + secret + `"}`))
	}))
	t.Cleanup(srv.Close)
	e := r.endpoint(&hookbridge.Endpoint{Integration: "webhook", URL: srv.URL,
		Credentials: hookbridge.Credentials{"signing_secret": secret}})
	m := r.post("")
	r.run()
	d := r.deliveryOf(m, e)
	atts := r.attempts(d)
	if len(atts) != 1 {
		t.Fatalf("%d attempts, want 1", len(atts))
	}
	a := atts[0]
	kept := strings.Join([]string{a.ResponseBody, a.ResponseHeaders["X-Echo"], a.Error, d.LastError}, "\n")
	if strings.Contains(kept, secret) {
		t.Errorf("the echoed secret was kept:\n%s", kept)
	}
	if !strings.Contains(a.ResponseBody, hookbridge.Mask(secret)) || !strings.Contains(d.LastError, hookbridge.Mask(secret)) {
		t.Errorf("the answer should be kept with the secret masked:\n%s", kept)
	}
}

func TestARateLimitSlotFarAwayHandsTheDeliveryBackUntried(t *testing.T) {
	// One request a second, and workers that wait at most 1 ms for a
	// turn: the second and third deliveries are handed back.
	r := newRig(t, workers(3), func(c *delivery.Config) { c.MaxThrottleWait = time.Millisecond })
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	e := r.webhookEndpoint(to, func(e *hookbridge.Endpoint) { e.RateLimit = 1; e.Burst = 1 })
	msgs := []*hookbridge.Message{r.post(""), r.post(""), r.post("")}
	r.run()
	if got := len(to.Requests()); got != 1 {
		t.Fatalf("%d requests at once with a rate of 1/s, want 1", got)
	}
	for range 5 {
		r.clock.Advance(time.Second)
		r.run()
	}
	for _, m := range msgs {
		d := r.deliveryOf(m, e)
		if d.Status != hookbridge.DeliverySucceeded || d.Attempts != 1 {
			t.Errorf("delivery %+v, want succeeded with 1 attempt: waiting for a turn is no attempt", d)
		}
	}
	if reqs := to.Requests(); len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
}

// slowTransformer makes every transformation take until the clock has
// moved on: the first of parties runs that reach it waits (in real time)
// for the others, then moves the fake clock by took.
type slowTransformer struct {
	hookbridge.Transformer
	clock   *fakeClock
	took    time.Duration
	moved   chan struct{}
	parties int

	mu      sync.Mutex
	arrived int
}

func (s *slowTransformer) Transform(ctx context.Context, key, code string, in hookbridge.TransformInput) (*hookbridge.TransformOutput, error) {
	s.mu.Lock()
	s.arrived++
	if s.arrived == s.parties {
		s.clock.Advance(s.took)
		close(s.moved)
	}
	s.mu.Unlock()
	select {
	case <-s.moved:
	case <-time.After(10 * time.Second):
		return nil, errors.New("the other transformations never started")
	}
	return s.Transformer.Transform(ctx, key, code, in)
}

func TestARequestWhoseSlotPassedDuringPlanningTakesANewOne(t *testing.T) {
	// Two a second, and two workers that both take a turn (now and in
	// 500 ms) and then plan for 1.2 s. Sent at once, both requests would
	// reach the destination together, 1.2 s and 700 ms after their turns;
	// each must take a turn afresh and leave at it.
	var seen recorder
	r := newRig(t, workers(2), observedBy(&seen),
		func(c *delivery.Config) { c.MaxThrottleWait, c.EndpointConcurrency = time.Second, 2 })
	r.planner.Transformer = &slowTransformer{Transformer: r.planner.Transformer, clock: r.clock,
		took: 1200 * time.Millisecond, moved: make(chan struct{}), parties: 2}
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	e := r.webhookEndpoint(to, func(e *hookbridge.Endpoint) {
		e.RateLimit, e.Burst = 2, 1
		e.Transformation = hookbridge.Transformation{Code: "function handler(webhook) { return webhook }", Enabled: true}
	})
	msgs := []*hookbridge.Message{r.post(""), r.post("")}
	r.run()
	for _, m := range msgs {
		if d := r.deliveryOf(m, e); d.Status != hookbridge.DeliverySucceeded || d.Attempts != 1 {
			t.Errorf("delivery %+v, want succeeded at its first attempt", d)
		}
	}
	if len(seen.waited) != 2 {
		t.Fatalf("waited for %d turns, want one per request: %v", len(seen.waited), seen.waited)
	}
	// A request that kept its first turn would leave 690 ms or 1.2 s
	// after it. One that took a new turn may still see a wait down to
	// -510 ms: the fake clock moves on at the other worker's sleep, which
	// may run between taking the turn and reading the clock to wait.
	for _, wait := range seen.waited {
		if wait < -twoASecond {
			t.Errorf("a request left %v after its turn (waits %v): it should have taken a new one", -wait, seen.waited)
		}
	}
	if !slices.Contains(seen.waited, twoASecond) {
		t.Errorf("waits %v, want one of %v: the second request's new turn", seen.waited, twoASecond)
	}
}

// twoASecond is the spacing of a limit of two a second: 500 ms and the
// dispatcher's 2 % guard.
const twoASecond = 510 * time.Millisecond

func TestARateLimitSlotCloseByIsWaitedFor(t *testing.T) {
	var seen recorder
	r := newRig(t, workers(2), observedBy(&seen), func(c *delivery.Config) { c.MaxThrottleWait = time.Second })
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	// Two a second: the second request's turn is 500 ms on, within the
	// second the dispatcher waits here.
	e := r.webhookEndpoint(to, func(e *hookbridge.Endpoint) { e.RateLimit = 2; e.Burst = 1 })
	msgs := []*hookbridge.Message{r.post(""), r.post("")}
	r.run()
	for _, m := range msgs {
		if d := r.deliveryOf(m, e); d.Status != hookbridge.DeliverySucceeded || d.Attempts != 1 {
			t.Errorf("delivery %+v, want succeeded at its first attempt", d)
		}
	}
	if !slices.Contains(seen.waited, twoASecond) {
		t.Errorf("waits %v, want one of %v", seen.waited, twoASecond)
	}
	if now := r.clock.Now(); now.Sub(t0) < 500*time.Millisecond {
		t.Errorf("the clock is at +%v: nobody waited for the second turn", now.Sub(t0))
	}
}

// lateClock oversleeps once: its first sleep of some length ends late by
// late, as on a machine too busy to wake a worker on time.
type lateClock struct {
	delivery.Clock
	late time.Duration
	once sync.Once
}

func (c *lateClock) Sleep(ctx context.Context, d time.Duration) error {
	if d > 0 {
		c.once.Do(func() { d += c.late })
	}
	return c.Clock.Sleep(ctx, d)
}

func TestARequestWokenLongAfterItsSlotTakesANewOne(t *testing.T) {
	// Two a second, one worker, three requests: turns now, in 500 ms and
	// in 1 s. The wait for the second turn ends 1.2 s late. Sent then, the
	// second request would leave together with the third, whose turn has
	// passed by then too; it must take a turn afresh, which puts the third
	// 500 ms after it.
	r := newRig(t, workers(1), func(c *delivery.Config) {
		c.MaxThrottleWait = time.Second
		c.Clock = &lateClock{Clock: c.Clock, late: 1200 * time.Millisecond}
	})
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	e := r.webhookEndpoint(to, func(e *hookbridge.Endpoint) { e.RateLimit, e.Burst = 2, 1 })
	msgs := []*hookbridge.Message{r.post(""), r.post(""), r.post("")}
	for range 5 {
		r.run()
	}
	var sent []time.Time
	for _, m := range msgs {
		d := r.deliveryOf(m, e)
		if d.Status != hookbridge.DeliverySucceeded || d.Attempts != 1 {
			t.Fatalf("delivery %+v, want succeeded at its first attempt", d)
		}
		sent = append(sent, r.attempts(d)[0].CreatedAt)
	}
	slices.SortFunc(sent, time.Time.Compare)
	for i := 1; i < len(sent); i++ {
		if gap := sent[i].Sub(sent[i-1]); gap < 500*time.Millisecond {
			t.Errorf("requests sent at %v after the first: two only %v apart, with a limit of two a second", offsetsFrom(sent), gap)
		}
	}
}

func offsetsFrom(times []time.Time) []time.Duration {
	out := make([]time.Duration, len(times))
	for i, at := range times {
		out[i] = at.Sub(times[0])
	}
	return out
}

// TestAPayloadTheSandboxCannotDecodeFailsAtOnce: a stored payload nested
// deeper than the sandbox takes can never be transformed, so its delivery
// fails at the first attempt instead of being retried.
func TestAPayloadTheSandboxCannotDecodeFailsAtOnce(t *testing.T) {
	r := newRig(t)
	to := webhooktest.New(t, webhooktest.WithClock(r.clock.Now))
	e := r.webhookEndpoint(to, func(e *hookbridge.Endpoint) {
		e.Transformation = hookbridge.Transformation{Code: "function handler(webhook) { return webhook }", Enabled: true}
	})
	deep := `{"type":"payment.succeeded","data":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`
	msg := &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: "acme", EventType: "payment.succeeded",
		Payload: []byte(deep), CreatedAt: r.clock.Now()}
	if _, err := r.store.CreateMessage(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
	r.run()
	if d := r.deliveryOf(msg, e); d.Status != hookbridge.DeliveryFailed || d.Attempts != 1 {
		t.Errorf("delivery %+v, want failed at its first attempt", d)
	}
	if n := len(to.Requests()); n != 0 {
		t.Errorf("the destination got %d requests, want none", n)
	}
}
