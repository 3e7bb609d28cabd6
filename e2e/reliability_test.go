package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/customerio/customeriotest"
	"github.com/hookbridge/hookbridge/integration/segment/segmenttest"
	"github.com/hookbridge/hookbridge/integration/webhook/webhooktest"
	"github.com/hookbridge/hookbridge/node"
	"github.com/hookbridge/hookbridge/postgres/pgtest"
)

func withWorkers(n int) option { return func(c *node.Config) { c.Workers = n } }

func withPostgres(url string) option {
	return func(c *node.Config) {
		c.DatabaseURL = url
		// Every node must open the credentials the others sealed.
		c.SecretKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	}
}

// observedRate is the rate at which requests arrived: (n-1) over the time
// from the first to the last.
func observedRate(times []time.Time) float64 {
	slices.SortFunc(times, time.Time.Compare)
	if len(times) < 2 {
		return 0
	}
	return float64(len(times)-1) / times[len(times)-1].Sub(times[0]).Seconds()
}

// busiestSecond is the most requests that arrived within any one second.
func busiestSecond(times []time.Time) int {
	slices.SortFunc(times, time.Time.Compare)
	most := 0
	for i := range times {
		j := i
		for j < len(times) && times[j].Sub(times[i]) < time.Second {
			j++
		}
		most = max(most, j-i)
	}
	return most
}

func arrivals(reqs []segmenttest.Request) []time.Time {
	out := make([]time.Time, len(reqs))
	for i, r := range reqs {
		out[i] = r.Received
	}
	return out
}

// checkRate fails the test unless the destination saw the limit kept, and
// — while deliveries were waiting, after posted — not far below it either:
// the limit must not throttle harder than asked.
func checkRate(t *testing.T, times []time.Time, limit int, posted time.Time) {
	t.Helper()
	rate, busiest := observedRate(times), busiestSecond(times)
	t.Logf("%d requests at %.1f/s, at most %d in one second (limit %d/s)", len(times), rate, busiest, limit)
	// Requests leave at their turns, but a request sent late (a worker on
	// a starved machine — the race detector, test packages side by side —
	// runs its send late after the turn check) arrives bunched with the
	// next ones: CI saw 45 in one second at 40/s, twice. A quarter over
	// the limit in the busiest second still tells a working limiter from
	// a broken one, which shows about twice the limit (two nodes each
	// keeping it alone) or all requests at once.
	if rate > float64(limit)*1.1 || busiest > limit+limit/4 {
		t.Errorf("the destination saw %.1f requests/s and %d in one second, over the limit of %d/s", rate, busiest, limit)
	}
	var backlog []time.Time
	for _, at := range times {
		if at.After(posted) {
			backlog = append(backlog, at)
		}
	}
	// How close to the limit a backlog drains depends on the machine's
	// load; a third of it is far above what a broken limiter (one that
	// hands deliveries back instead of waiting for their turns) reaches.
	if len(backlog) >= limit {
		if rate := observedRate(backlog); rate < float64(limit)/3 {
			t.Errorf("with deliveries waiting, the destination saw only %.1f requests/s with a limit of %d/s: throttled too hard", rate, limit)
		}
	}
}

// postMany posts n payment events, several at once, and returns their
// message ids.
func postMany(t *testing.T, h *harness, n int) []string {
	t.Helper()
	payload, _ := sample(t, "payment.succeeded")
	ids := make([]string, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i := range next {
				ids[i] = h.postMessage("payment.succeeded", payload, "").ID
			}
		})
	}
	for i := range ids {
		next <- i
	}
	close(next)
	wg.Wait()
	return ids
}

func limitedSegment(h *harness, creds hookbridge.Credentials, limit int) endpointView {
	return h.createEndpoint(map[string]any{
		"integration": "segment", "credentials": creds, "template": "payment-events",
		"rate_limit": limit, "burst": 1,
	})
}

// The rate-limit tests spend their time waiting for turns, not working:
// they run in parallel with each other.

func TestRateLimitIsKeptAndOtherEndpointsAreNotSlowed(t *testing.T) {
	t.Parallel()
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	// The endpoints are made disabled and the events posted first; then
	// both are enabled and recovered, so that all 200 deliveries are due at
	// once and the test measures the dispatcher, not how fast it posts.
	limited := h.createEndpoint(map[string]any{"integration": "segment", "credentials": seg.Credentials(),
		"template": "payment-events", "rate_limit": 20, "burst": 1, "disabled": true})
	unlimited := h.createEndpoint(map[string]any{"integration": "customerio", "template": "payment-completed",
		"credentials": cio.Credentials(), "disabled": true, "rate_limit": 0}) // not Customer.io's default

	postMany(t, h, 100)
	released := time.Now()
	for _, ep := range []endpointView{limited, unlimited} {
		h.recoverAll(ep.ID, 100)
	}
	waitFor(t, "Customer.io got all 100", func() bool { return len(cio.Accepted()) == 100 })
	took, segmentSoFar := time.Since(released), len(seg.Requests())
	t.Logf("Customer.io had all 100 after %s; Segment had %d", took.Round(time.Millisecond), segmentSoFar)
	waitFor(t, "Segment got all 100", func() bool { return len(seg.Accepted()) == 100 })
	checkRate(t, arrivals(seg.Requests()), 20, released)
	// The unlimited endpoint's 100 take a fraction of a second; the
	// limited one's need 5. Under the race detector the whole dispatcher
	// runs many times slower and these times say nothing.
	if segmentTook := time.Since(released); !raceEnabled && (took > segmentTook/4 || segmentSoFar > 25) {
		t.Errorf("the unlimited endpoint took %s (Segment had %d of 100 by then, and needed %s): the rate-limited endpoint held it up",
			took, segmentSoFar, segmentTook)
	}
}

// recoverAll enables a disabled endpoint and recovers what it missed,
// which must be want deliveries.
func (h *harness) recoverAll(endpointID string, want int) {
	h.t.Helper()
	var enabled struct {
		Recovery struct {
			Recover struct {
				Method string         `json:"method"`
				Path   string         `json:"path"`
				Body   map[string]any `json:"body"`
			} `json:"recover"`
		} `json:"recovery"`
	}
	h.mustCall("PATCH", "/api/v1/apps/default/endpoints/"+endpointID, map[string]any{"disabled": false}, http.StatusOK, &enabled)
	call := enabled.Recovery.Recover
	var queued struct {
		Queued int `json:"queued"`
	}
	h.mustCall(call.Method, call.Path, call.Body, http.StatusAccepted, &queued)
	if queued.Queued != want {
		h.t.Fatalf("recovering %s queued %d, want %d", endpointID, queued.Queued, want)
	}
}

func TestRateLimitIsSharedByTwoNodesOnPostgres(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.FreshDatabase(t)
	seg, cio := newFakes(t)
	a := start(t, seg, cio, withPostgres(dbURL))
	b := start(t, seg, cio, withPostgres(dbURL))
	limitedSegment(a, seg.Credentials(), 40)
	postMany(t, a, 40)
	postMany(t, b, 40)
	posted := time.Now()
	waitFor(t, "Segment got all 80", func() bool { return len(seg.Accepted()) == 80 })
	checkRate(t, arrivals(seg.Requests()), 40, posted)
}

// maxConcurrency is the most requests a fake with the given latency was
// answering at once, from the times it answered them: a request answered
// at end was in flight during (end-latency, end].
func maxConcurrency(answered []time.Time, latency time.Duration) int {
	most := 0
	for _, at := range answered {
		n := 0
		for _, end := range answered {
			if !end.Before(at) && end.Add(-latency).Before(at) {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

func TestASlowEndpointLeavesWorkersToTheOthers(t *testing.T) {
	const latency = 400 * time.Millisecond
	seg := segmenttest.New(t, segmenttest.WithLatency(latency))
	cio := customeriotest.New(t)
	h := start(t, seg, cio, withWorkers(8)) // at most 6 of 8 for one endpoint
	segmentEndpoint(h, seg.Credentials())
	h.createEndpoint(map[string]any{"integration": "customerio", "template": "payment-completed", "credentials": cio.Credentials()})
	posted := time.Now()
	postMany(t, h, 40)
	waitFor(t, "Customer.io got all 40", func() bool { return len(cio.Accepted()) == 40 })
	limit := 2 * time.Second
	if raceEnabled {
		limit *= 3
	}
	if took, slowDone := time.Since(posted), len(seg.Requests()); slowDone == 40 || took > limit {
		t.Errorf("the fast endpoint finished after %s, when the slow one had %d of 40: it waited behind the slow one", took, slowDone)
	}
	waitFor(t, "Segment got all 40", func() bool { return len(seg.Accepted()) == 40 })
	if most := maxConcurrency(arrivals(seg.Requests()), latency); most > 6 {
		t.Errorf("the slow endpoint had %d requests in flight at once, over its share of 6", most)
	}
}

func TestOrderedEndpointKeepsEachCustomersOrder(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio, withAllowPrivate())
	ep := h.createEndpoint(map[string]any{"integration": "webhook", "url": "http://placeholder.invalid/",
		"ordering": map[string]any{"enabled": true}})
	receiver := webhooktest.New(t, webhooktest.WithSecrets(ep.GeneratedSecrets["signing_secret"]), webhooktest.WithLatency(10*time.Millisecond))
	h.mustCall("PATCH", "/api/v1/apps/default/endpoints/"+ep.ID, map[string]any{"url": receiver.URL}, http.StatusOK, nil)
	receiver.FailNext(4, http.StatusServiceUnavailable) // the first tries fail and are retried
	_, sampleEvent := sample(t, "payment.succeeded")
	posted := map[string][]string{} // customer → event ids in posting order
	for i := range 30 {
		customer := fmt.Sprintf("cus_%d", i%3)
		ev := sampleEvent
		ev["data"].(map[string]any)["customer"].(map[string]any)["customer_id"] = customer
		id := fmt.Sprintf("evt_%02d", i)
		h.postMessage("payment.succeeded", []byte(toJSON(ev)), id)
		posted[customer] = append(posted[customer], id)
	}
	waitFor(t, "all 30 received", func() bool { return len(receiver.Accepted()) == 30 })
	byID := map[string]string{} // message id → event id
	var msgs struct {
		Data []hookbridge.Message `json:"data"`
	}
	h.mustCall("GET", "/api/v1/apps/default/messages?limit=100", nil, http.StatusOK, &msgs)
	for _, m := range msgs.Data {
		byID[hookbridge.IdempotencyKey(m.ID, ep.ID, m.CreatedAt)] = m.EventID
	}
	received := map[string][]string{}
	for _, m := range receiver.Accepted() {
		data := path(m.JSON, "data", "customer", "customer_id").(string)
		received[data] = append(received[data], byID[m.ID])
	}
	for customer, want := range posted {
		if !slices.Equal(received[customer], want) {
			t.Errorf("%s received %v, want %v", customer, received[customer], want)
		}
	}
}

func TestBatchingSendsOneRequestForManyDeliveries(t *testing.T) {
	// A slow destination: deliveries pile up while the first ones are in
	// flight, and go together when a worker is free.
	seg := segmenttest.New(t, segmenttest.WithLatency(150*time.Millisecond))
	h := start(t, seg, customeriotest.New(t), withWorkers(2))
	h.createEndpoint(map[string]any{"integration": "segment", "credentials": seg.Credentials(),
		"template": "payment-events", "batching": true})
	ids := postMany(t, h, 50)
	waitFor(t, "Segment got all 50", func() bool { return len(seg.Accepted()) == 50 })
	if n := len(seg.Requests()); n >= 25 {
		t.Errorf("50 deliveries took %d requests: batching did not gather them", n)
	}
	batched := 0
	for _, id := range ids {
		d := h.waitDeliveries(id)[0]
		atts := h.attempts(d.ID)
		if d.Status != hookbridge.DeliverySucceeded || len(atts) != 1 {
			t.Fatalf("delivery %+v with %d attempts, want succeeded with its own one attempt", d, len(atts))
		}
		if atts[0].Batch != nil {
			batched++
		}
	}
	if batched < 25 {
		t.Errorf("only %d of 50 attempts went in a batch", batched)
	}
	t.Logf("50 deliveries in %d requests, %d of them batched", len(seg.Requests()), batched)
}

// TestGoneEndpointIsDisabledReportedAndRecovered walks the whole story of
// an endpoint that goes away: a 410 disables it, the operational webhook is
// told (signed), events meanwhile are missed, re-enabling it offers the
// recovery, and recovering sends what failed and what was missed.
func TestGoneEndpointIsDisabledReportedAndRecovered(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio, withAllowPrivate())
	var ops struct {
		EndpointID    string `json:"endpoint_id"`
		SigningSecret string `json:"signing_secret"`
	}
	h.mustCall("PUT", "/api/v1/apps/default/operational-webhook", map[string]any{"url": "http://placeholder.invalid/"}, http.StatusCreated, &ops)
	if !strings.HasPrefix(ops.SigningSecret, "whsec_") {
		t.Fatalf("operational webhook %+v, want a signing secret shown once", ops)
	}
	receiver := webhooktest.New(t, webhooktest.WithSecrets(ops.SigningSecret))
	h.mustCall("PUT", "/api/v1/apps/default/operational-webhook", map[string]any{"url": receiver.URL}, http.StatusOK, nil)

	ep := segmentEndpoint(h, seg.Credentials())
	seg.FailNext(1, http.StatusGone)
	payload, _ := sample(t, "payment.succeeded")
	first := h.postMessage("payment.succeeded", payload, "evt_gone")
	if d := h.waitDeliveries(first.ID)[0]; d.Status != hookbridge.DeliveryFailed {
		t.Fatalf("delivery after 410: %+v", d)
	}
	var disabled struct {
		Disabled       bool   `json:"disabled"`
		DisabledReason string `json:"disabled_reason"`
	}
	h.mustCall("GET", "/api/v1/apps/default/endpoints/"+ep.ID, nil, http.StatusOK, &disabled)
	if !disabled.Disabled || !strings.Contains(disabled.DisabledReason, "410") {
		t.Fatalf("endpoint after a 410: %+v", disabled)
	}
	waitFor(t, "the operational events", func() bool { return len(receiver.Accepted()) == 2 })
	types := []string{}
	for _, m := range receiver.Accepted() {
		types = append(types, path(m.JSON, "type").(string))
	}
	slices.Sort(types)
	if !slices.Equal(types, []string{"delivery.exhausted", "endpoint.disabled"}) || len(receiver.Rejected()) != 0 {
		t.Fatalf("operational webhook got %v (rejected %d), want both events, signed", types, len(receiver.Rejected()))
	}

	for i := range 3 {
		h.postMessage("payment.succeeded", payload, fmt.Sprintf("evt_missed_%d", i))
	}
	var reenabled struct {
		Recovery struct {
			Failed  int `json:"failed"`
			Missed  int `json:"missed"`
			Recover struct {
				Method string         `json:"method"`
				Path   string         `json:"path"`
				Body   map[string]any `json:"body"`
			} `json:"recover"`
		} `json:"recovery"`
	}
	h.mustCall("PATCH", "/api/v1/apps/default/endpoints/"+ep.ID, map[string]any{"disabled": false}, http.StatusOK, &reenabled)
	offer := reenabled.Recovery
	if offer.Failed != 1 || offer.Missed != 3 || offer.Recover.Method != "POST" {
		t.Fatalf("re-enabling offered %+v, want 1 failed and 3 missed, and the call", offer)
	}
	var queued struct {
		Queued, Failed, Missed int
	}
	h.mustCall(offer.Recover.Method, offer.Recover.Path, offer.Recover.Body, http.StatusAccepted, &queued)
	if queued.Queued != 4 || queued.Failed != 1 || queued.Missed != 3 {
		t.Fatalf("recover queued %+v, want 4: 1 failed and 3 missed", queued)
	}
	waitFor(t, "Segment got the four", func() bool { return len(seg.Accepted()) == 4 })

	var stats struct {
		Attempts    int                `json:"attempts"`
		Succeeded   int                `json:"succeeded"`
		SuccessRate float64            `json:"attempt_success_rate"`
		LatencyMS   map[string]float64 `json:"latency_ms"`
		LastError   string             `json:"last_error"`
		ByStatus    map[string]int     `json:"deliveries_by_status"`
		Condition   struct {
			Status      string   `json:"status"`
			SuccessRate *float64 `json:"success_rate"`
			Succeeded   int      `json:"succeeded"`
		} `json:"condition"`
	}
	waitFor(t, "the four recorded", func() bool {
		h.mustCall("GET", "/api/v1/apps/default/endpoints/"+ep.ID+"/stats?window=1h", nil, http.StatusOK, &stats)
		return stats.ByStatus["succeeded"] == 4
	})
	if stats.Attempts != 5 || stats.Succeeded != 4 || stats.SuccessRate != 0.8 || !strings.Contains(stats.LastError, "410") ||
		stats.LatencyMS["p50"] <= 0 || stats.LatencyMS["p99"] < stats.LatencyMS["p50"] {
		t.Errorf("stats %+v, want 5 attempts, 4 succeeded, the 410 as last error, latencies", stats)
	}
	// The failed delivery was recovered and succeeded: by deliveries, the
	// window is all success, and the streak the 410 began has ended.
	if c := stats.Condition; c.Status != "healthy" || c.SuccessRate == nil || *c.SuccessRate != 1 || c.Succeeded != 4 {
		t.Errorf("condition %+v, want healthy with 4 of 4 finished deliveries succeeded", c)
	}

	var resent struct {
		Queued int `json:"queued"`
	}
	h.mustCall("POST", "/api/v1/apps/default/messages/"+first.ID+"/resend", map[string]any{"endpoint_id": ep.ID}, http.StatusAccepted, &resent)
	waitFor(t, "the resend", func() bool { return len(seg.Duplicates()) == 1 })
	if resent.Queued != 1 || len(seg.Accepted()) != 4 {
		t.Errorf("resend queued %d; Segment accepted %d and counted the resend as a duplicate of the same messageId", resent.Queued, len(seg.Accepted()))
	}
	h.mustCall("POST", "/api/v1/apps", map[string]any{"id": "globex"}, http.StatusCreated, nil)
	var other endpointView
	h.mustCall("POST", "/api/v1/apps/globex/endpoints", map[string]any{"integration": "segment", "template": "payment-events",
		"credentials": seg.Credentials()}, http.StatusCreated, &other)
	if status := h.call("POST", "/api/v1/apps/default/messages/"+first.ID+"/resend", map[string]any{"endpoint_id": other.ID}, nil); status != http.StatusNotFound {
		t.Errorf("resend to another app's endpoint answered %d, want 404", status)
	}
}

func TestAnAppsRetryScheduleIsSetThroughTheAPI(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio) // the node's own schedule has 4 attempts
	status := h.call("PATCH", "/api/v1/apps/default", map[string]any{"retry_schedule": []string{"5s", "1m"}}, nil)
	if status != http.StatusUnprocessableEntity {
		t.Errorf("a schedule whose first wait is not 0s was answered %d, want 422", status)
	}
	var app struct {
		RetrySchedule        []string `json:"retry_schedule"`
		DisableEndpointAfter string   `json:"disable_endpoint_after"`
	}
	h.mustCall("PATCH", "/api/v1/apps/default", map[string]any{
		"retry_schedule": []string{"0s", "30ms", "30ms"}, "disable_endpoint_after": "2d",
	}, http.StatusOK, &app)
	if strings.Join(app.RetrySchedule, ",") != "0s,30ms,30ms" || app.DisableEndpointAfter != "2d" {
		t.Fatalf("app %+v, want the settings shown back", app)
	}
	segmentEndpoint(h, seg.Credentials())
	seg.FailNext(10, http.StatusBadGateway)
	payload, _ := sample(t, "payment.succeeded")
	d := h.waitDeliveries(h.postMessage("payment.succeeded", payload, "").ID)[0]
	if d.Status != hookbridge.DeliveryFailed || !strings.Contains(d.LastError, "gave up after 3 attempts") {
		t.Fatalf("delivery %+v, want failed after the app's 3 attempts", d)
	}
}

func TestDeliveriesShowInTheMetrics(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	segmentEndpoint(h, seg.Credentials())
	seg.FailNext(1, http.StatusServiceUnavailable)
	for _, id := range postMany(t, h, 3) {
		h.waitDeliveries(id)
	}
	metrics := string(h.callAs("", "GET", "/metrics", nil).body)
	for _, want := range []string{
		`hookbridge_deliveries_total{integration="segment",outcome="succeeded"} 3`,
		`hookbridge_deliveries_total{integration="segment",outcome="retry"} 1`,
		`hookbridge_attempts_total{class="5xx",integration="segment"} 1`,
		`hookbridge_attempts_total{class="2xx",integration="segment"} 3`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestARateLimitMayCountPerPeriod: rate_limit_period is stored, shown, and
// checked through the API.
func TestARateLimitMayCountPerPeriod(t *testing.T) {
	t.Parallel()
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	ep := h.createEndpoint(map[string]any{"integration": "segment", "credentials": seg.Credentials(),
		"template": "payment-events", "rate_limit": 100, "rate_limit_period": "10s"})
	var got struct {
		RateLimit       int    `json:"rate_limit"`
		RateLimitPeriod string `json:"rate_limit_period"`
	}
	path := "/api/v1/apps/default/endpoints/" + ep.ID
	h.mustCall("GET", path, nil, http.StatusOK, &got)
	if got.RateLimit != 100 || got.RateLimitPeriod != "10s" {
		t.Errorf("endpoint's limit %d per %q, want 100 per \"10s\"", got.RateLimit, got.RateLimitPeriod)
	}
	if status := h.call("PATCH", path, map[string]any{"rate_limit_period": "48h"}, nil); status != http.StatusUnprocessableEntity {
		t.Errorf("a period of 48 h: %d, want 422", status)
	}
	h.mustCall("PATCH", path, map[string]any{"rate_limit_period": "2s", "rate_limit": 5}, http.StatusOK, &got)
	if got.RateLimit != 5 || got.RateLimitPeriod != "2s" {
		t.Errorf("after PATCH: %d per %q, want 5 per \"2s\"", got.RateLimit, got.RateLimitPeriod)
	}
}
