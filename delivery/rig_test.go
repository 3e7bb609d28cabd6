package delivery_test

import (
	"context"
	"encoding/json"
	"net/url"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/builtin"
	"github.com/hookbridge/hookbridge/integration/customerio/customeriotest"
	"github.com/hookbridge/hookbridge/integration/segment/segmenttest"
	"github.com/hookbridge/hookbridge/integration/webhook/webhooktest"
	"github.com/hookbridge/hookbridge/js"
	"github.com/hookbridge/hookbridge/netguard"
	"github.com/hookbridge/hookbridge/sqlite"
	"github.com/hookbridge/hookbridge/storetest"
)

// fakeClock is a clock that moves only when told. Sleeping moves it to the
// end of the sleep (if it is not there yet), so a rate-limit wait costs no
// real time.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []*fakeTimer
}

// fakeTimer is a timer of a fakeClock: it fires once the clock reaches at.
type fakeTimer struct {
	at time.Time
	c  chan time.Time
}

func newFakeClock(start time.Time) *fakeClock { return &fakeClock{now: start} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t, if that is later, and fires the timers due
// by then.
func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at.After(c.now) {
			kept = append(kept, w)
			continue
		}
		w.c <- c.now
	}
	c.waiters = kept
}

// After returns a channel that receives once the clock has moved d on.
func (c *fakeClock) After(d time.Duration) (<-chan time.Time, func()) {
	c.mu.Lock()
	w := &fakeTimer{at: c.now.Add(d), c: make(chan time.Time, 1)}
	c.waiters = append(c.waiters, w)
	c.mu.Unlock()
	c.Set(time.Time{}) // fires at once if d <= 0
	return w.c, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.waiters = slices.DeleteFunc(c.waiters, func(x *fakeTimer) bool { return x == w })
	}
}

// Timers says how many timers wait on the clock.
func (c *fakeClock) Timers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

func (c *fakeClock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.Set(c.Now().Add(d))
	return ctx.Err()
}

// t0 is the start of every fake timeline.
var t0 = time.Date(2025, 8, 4, 5, 30, 0, 0, time.UTC)

// noJitter is the platform's schedule without jitter, so that a test can
// assert each attempt's time.
var noJitter = delivery.RetryPolicy{Jitter: -1}

// rig is a dispatcher on a fake clock, an SQLite store, and fake Segment,
// Customer.io and webhook destinations.
type rig struct {
	t       *testing.T
	store   *sqlite.Store
	clock   *fakeClock
	planner *delivery.Planner
	sender  *delivery.Sender
	d       *delivery.Dispatcher
	seg     *segmenttest.Server
	cio     *customeriotest.Server
	// ops receives the app's operational events.
	ops *webhooktest.Server
}

// recorder is an Observer that keeps what it is told.
type recorder struct {
	mu       sync.Mutex
	finished []hookbridge.DeliveryStatus
	sent     []int
	waited   []time.Duration
}

func (r *recorder) DeliveryFinished(_ string, status hookbridge.DeliveryStatus) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.finished = append(r.finished, status)
}

func (r *recorder) AttemptSent(_ string, _ time.Duration, status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, status)
}

func (r *recorder) RateLimitWaited(_ string, waited time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.waited = append(r.waited, waited)
}

type rigOption func(*delivery.Config)

func observedBy(o delivery.Observer) rigOption { return func(c *delivery.Config) { c.Observer = o } }

func workers(n int) rigOption { return func(c *delivery.Config) { c.Workers = n } }

func newRig(t *testing.T, opts ...rigOption) *rig {
	t.Helper()
	clock := newFakeClock(t0)
	store, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "hookbridge.db"), storetest.NewTestCipher())
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	r := &rig{t: t, store: store, clock: clock,
		seg: segmenttest.New(t), cio: customeriotest.New(t),
		ops: webhooktest.New(t, webhooktest.WithClock(clock.Now))}
	overrides := map[string]*url.URL{}
	for _, host := range []string{"api.segment.io", "events.eu1.segmentapis.com"} {
		overrides[host] = mustURL(t, r.seg.URL)
	}
	for _, host := range []string{"track.customer.io", "track-eu.customer.io"} {
		overrides[host] = mustURL(t, r.cio.URL)
	}
	integrations := hookbridge.NewIntegrations(builtin.All()...)
	sender := &delivery.Sender{
		Client:  netguard.NewClient(netguard.Config{AllowPrivate: true, HostOverrides: overrides, LoopbackOnly: true}),
		Timeout: 5 * time.Second,
	}
	planner := &delivery.Planner{Integrations: integrations, Transformer: js.New(js.Options{})}
	cfg := delivery.Config{Workers: 4, Clock: clock}
	for _, o := range opts {
		o(&cfg)
	}
	r.planner, r.sender = planner, sender
	r.d = delivery.New(store, planner, sender, noJitter, cfg, nil)
	r.app(&hookbridge.App{ID: "acme", Name: "Acme"})
	return r
}

func mustURL(t *testing.T, raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (r *rig) app(a *hookbridge.App) {
	r.t.Helper()
	a.CreatedAt = t0
	if err := r.store.CreateApp(r.t.Context(), a); err != nil {
		r.t.Fatalf("create app: %v", err)
	}
}

// endpoint stores an endpoint of app acme; zero fields get defaults.
func (r *rig) endpoint(e *hookbridge.Endpoint) *hookbridge.Endpoint {
	r.t.Helper()
	e.ID, e.AppID, e.Version, e.CreatedAt, e.UpdatedAt = hookbridge.NewID("ep"), "acme", 1, t0, t0
	if e.Name == "" {
		e.Name = e.Integration
	}
	if err := r.store.CreateEndpoint(r.t.Context(), e); err != nil {
		r.t.Fatalf("create endpoint: %v", err)
	}
	return e
}

// segmentEndpoint is a Segment endpoint with the built-in template.
func (r *rig) segmentEndpoint(tune ...func(*hookbridge.Endpoint)) *hookbridge.Endpoint {
	e := &hookbridge.Endpoint{Integration: "segment", Credentials: r.seg.Credentials(),
		Transformation: hookbridge.Transformation{Code: template(r.t, "segment", "payment-events"), Enabled: true}}
	for _, f := range tune {
		f(e)
	}
	return r.endpoint(e)
}

// customerioEndpoint is a Customer.io endpoint with the built-in template.
func (r *rig) customerioEndpoint(tune ...func(*hookbridge.Endpoint)) *hookbridge.Endpoint {
	e := &hookbridge.Endpoint{Integration: "customerio", Credentials: r.cio.Credentials(),
		Transformation: hookbridge.Transformation{Code: template(r.t, "customerio", "payment-completed"), Enabled: true},
		EventTypes:     []string{"payment.succeeded"}}
	for _, f := range tune {
		f(e)
	}
	return r.endpoint(e)
}

// webhookEndpoint is a plain webhook to a receiver.
func (r *rig) webhookEndpoint(to *webhooktest.Server, tune ...func(*hookbridge.Endpoint)) *hookbridge.Endpoint {
	e := &hookbridge.Endpoint{Integration: "webhook", URL: to.URL + "/hooks", Credentials: to.Credentials()}
	for _, f := range tune {
		f(e)
	}
	return r.endpoint(e)
}

// operational makes r.ops the app's operational endpoint.
func (r *rig) operational() *hookbridge.Endpoint {
	return r.endpoint(&hookbridge.Endpoint{Integration: "webhook", Name: "operational", URL: r.ops.URL,
		Credentials: r.ops.Credentials(), Operational: true})
}

func template(t *testing.T, integration, id string) string {
	for _, in := range builtin.All() {
		if in.Info().ID != integration {
			continue
		}
		for _, tpl := range in.Info().Templates {
			if tpl.ID == id {
				return tpl.Code
			}
		}
	}
	t.Fatalf("no template %s/%s", integration, id)
	return ""
}

// post stores a payment.succeeded message (the catalogue's sample, for
// the given customer if not empty) at the clock's now.
func (r *rig) post(customer string) *hookbridge.Message {
	r.t.Helper()
	return r.postEvent("payment.succeeded", customer)
}

// postType stores a message of the catalogue's sample of an event type.
func (r *rig) postType(eventType string) *hookbridge.Message {
	r.t.Helper()
	return r.postEvent(eventType, "")
}

func (r *rig) postEvent(eventType, customer string) *hookbridge.Message {
	r.t.Helper()
	msg, queued := r.storeEvent(eventType, customer)
	r.d.Queued(queued) // as ingest does
	return msg
}

// storeEvent stores a message of the catalogue's sample of an event type,
// naming the customer if not empty, without telling the dispatcher, and
// returns it with the deliveries it queued.
func (r *rig) storeEvent(eventType, customer string) (*hookbridge.Message, []*hookbridge.Delivery) {
	r.t.Helper()
	et, _ := catalog.Lookup(eventType)
	payload := et.Sample
	if customer != "" {
		var m map[string]any
		_ = json.Unmarshal(payload, &m)
		m["data"].(map[string]any)["customer"].(map[string]any)["customer_id"] = customer
		payload, _ = json.Marshal(m)
	}
	msg := &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: "acme", EventType: et.Name,
		Payload: payload, CreatedAt: r.clock.Now()}
	msg.EventID = msg.ID
	in, err := r.store.CreateMessage(r.t.Context(), msg)
	if err != nil {
		r.t.Fatalf("create message: %v", err)
	}
	return msg, in.Queued
}

// run works off everything due at the clock's now.
func (r *rig) run() int {
	r.t.Helper()
	n, err := r.d.RunDue(r.t.Context())
	if err != nil {
		r.t.Fatalf("run due: %v", err)
	}
	return n
}

// deliveryOf returns the delivery of a message to an endpoint.
func (r *rig) deliveryOf(m *hookbridge.Message, e *hookbridge.Endpoint) *hookbridge.Delivery {
	r.t.Helper()
	ds, err := r.store.ListDeliveries(r.t.Context(), "acme", hookbridge.DeliveryFilter{MessageID: m.ID, EndpointID: e.ID})
	if err != nil || len(ds) != 1 {
		r.t.Fatalf("deliveries of %s to %s: %d, %v", m.ID, e.ID, len(ds), err)
	}
	return ds[0]
}

func (r *rig) attempts(d *hookbridge.Delivery) []*hookbridge.Attempt {
	r.t.Helper()
	atts, err := r.store.ListAttempts(r.t.Context(), "acme", d.ID)
	if err != nil {
		r.t.Fatalf("attempts: %v", err)
	}
	return atts
}

func (r *rig) getEndpoint(e *hookbridge.Endpoint) *hookbridge.Endpoint {
	r.t.Helper()
	got, err := r.store.GetEndpoint(r.t.Context(), "acme", e.ID)
	if err != nil {
		r.t.Fatalf("get endpoint: %v", err)
	}
	return got
}

// settle runs the delivery of m to e through its whole life on the fake
// clock: it works off what is due, then moves the clock to the delivery's
// next attempt, until the delivery is final. It returns the delivery.
func (r *rig) settle(m *hookbridge.Message, e *hookbridge.Endpoint) *hookbridge.Delivery {
	r.t.Helper()
	for range 50 {
		r.run()
		d := r.deliveryOf(m, e)
		if d.Status != hookbridge.DeliveryPending {
			return d
		}
		r.clock.Set(d.NextAttemptAt)
	}
	r.t.Fatalf("delivery of %s to %s not final after 50 steps", m.ID, e.ID)
	return nil
}

// opsEvents returns the operational events the receiver verified, by type.
func (r *rig) opsEvents() map[string][]map[string]any {
	out := map[string][]map[string]any{}
	for _, m := range r.ops.Accepted() {
		ev, _ := m.JSON.(map[string]any)
		typ, _ := ev["type"].(string)
		out[typ] = append(out[typ], ev)
	}
	return out
}
