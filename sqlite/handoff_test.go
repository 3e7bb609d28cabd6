package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/storetest"
)

// fakeHandOff grants reservations while grant is set and keeps what it is
// asked and given, and how often it was told of deliveries left to the
// claim.
type fakeHandOff struct {
	mu                   sync.Mutex
	grant                bool
	reserved, unreserved map[string]int
	taken                []*hookbridge.Claim
	notified             int
}

func newFakeHandOff(grant bool) *fakeHandOff {
	return &fakeHandOff{grant: grant, reserved: map[string]int{}, unreserved: map[string]int{}}
}

func (f *fakeHandOff) Reserve(endpointID string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.grant {
		f.reserved[endpointID]++
	}
	return f.grant
}

func (f *fakeHandOff) Unreserve(endpointID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.unreserved[endpointID]++
}

func (f *fakeHandOff) Take(c *hookbridge.Claim) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.taken = append(f.taken, c)
}

func (f *fakeHandOff) LeaseDuration() time.Duration { return time.Minute }

func (f *fakeHandOff) Notify() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notified++
}

// handOffStore opens a store that hands over to h, with app "app".
func handOffStore(t *testing.T, h hookbridge.HandOff) *Store {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "handoff.db"), storetest.NewTestCipher())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.SetHandOff(h, nil)
	must(t, s.CreateApp(t.Context(), &hookbridge.App{ID: "app", Name: "App", CreatedAt: time.Now()}))
	return s
}

func handOffEndpoint(t *testing.T, s *Store, id string, tune ...func(*hookbridge.Endpoint)) *hookbridge.Endpoint {
	t.Helper()
	now := time.Now()
	e := &hookbridge.Endpoint{ID: id, AppID: "app", Name: id, Integration: "webhook", URL: "https://example.com/" + id,
		Credentials: hookbridge.Credentials{"signing_secret": "whsec_" + id}, Version: 1, CreatedAt: now, UpdatedAt: now}
	for _, f := range tune {
		f(e)
	}
	must(t, s.CreateEndpoint(t.Context(), e))
	return e
}

func ingest(t *testing.T, s *Store) (*hookbridge.Message, error) {
	t.Helper()
	m := &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: "app", EventType: "payment.succeeded",
		Payload: []byte(`{"id":"pay_1"}`), CreatedAt: time.Now()}
	_, _, err := s.CreateMessage(t.Context(), m)
	return m, err
}

// leaseOf returns the lease id stored with the delivery of m to endpoint.
func leaseOf(t *testing.T, s *Store, m *hookbridge.Message, endpointID string) string {
	t.Helper()
	var lease *string
	err := s.read.QueryRow(`SELECT lease_id FROM deliveries WHERE message_id = ? AND endpoint_id = ?`, m.ID, endpointID).Scan(&lease)
	if err != nil {
		t.Fatalf("delivery of %s to %s: %v", m.ID, endpointID, err)
	}
	if lease == nil {
		return ""
	}
	return *lease
}

// TestIngestHandsOverWhatAWorkerIsFreeFor: a delivery to a plain endpoint
// is stored leased and handed over after the commit with its message,
// endpoint (credentials open) and app, so no claim finds it and its
// outcome records under the lease. Deliveries to endpoints that order or
// batch, or are paused, are left to the claim without asking.
func TestIngestHandsOverWhatAWorkerIsFreeFor(t *testing.T) {
	h := newFakeHandOff(true)
	s := handOffStore(t, h)
	handOffEndpoint(t, s, "ep_plain")
	handOffEndpoint(t, s, "ep_ordered", func(e *hookbridge.Endpoint) {
		e.Ordering = hookbridge.Ordering{Enabled: true, KeyPath: "id"}
	})
	handOffEndpoint(t, s, "ep_batching", func(e *hookbridge.Endpoint) { e.Batching = true })
	handOffEndpoint(t, s, "ep_paused")
	if _, err := s.write.Exec(`UPDATE endpoints SET paused_until = ? WHERE id = 'ep_paused'`, toMicros(time.Now().Add(time.Hour))); err != nil {
		t.Fatal(err)
	}

	m, err := ingest(t, s)
	if err != nil {
		t.Fatal(err)
	}

	if len(h.taken) != 1 || len(h.reserved) != 1 || h.reserved["ep_plain"] != 1 {
		t.Fatalf("reserved %v, took %d, want one delivery to ep_plain", h.reserved, len(h.taken))
	}
	c := h.taken[0]
	switch {
	case c.Delivery.EndpointID != "ep_plain" || c.Delivery.MessageID != m.ID || c.Delivery.Status != hookbridge.DeliveryPending:
		t.Errorf("handed over %+v", c.Delivery)
	case c.Message == nil || string(c.Message.Payload) != string(m.Payload):
		t.Errorf("handed over message %+v", c.Message)
	case c.Endpoint == nil || c.Endpoint.Credentials["signing_secret"] != "whsec_ep_plain":
		t.Errorf("handed over endpoint %+v", c.Endpoint)
	case c.App == nil || c.App.ID != "app":
		t.Errorf("handed over app %+v", c.App)
	case c.LeaseID == "" || leaseOf(t, s, m, "ep_plain") != c.LeaseID:
		t.Errorf("lease %q handed over, %q stored", c.LeaseID, leaseOf(t, s, m, "ep_plain"))
	}
	claims, err := s.ClaimDeliveries(t.Context(), time.Now().Add(time.Second), 10, time.Minute)
	must(t, err)
	for _, cl := range claims {
		if cl.Delivery.EndpointID == "ep_plain" {
			t.Error("a claim found the delivery handed over")
		}
	}
	if len(claims) != 2 { // the paused endpoint's waits
		t.Errorf("claimed %d, want the ordered and the batching endpoints' deliveries", len(claims))
	}
	if h.notified != 1 {
		t.Errorf("told the dispatcher %d times of deliveries left to the claim, want once", h.notified)
	}
	must(t, s.CompleteAttempt(t.Context(), c, nil, hookbridge.Outcome{Status: hookbridge.DeliverySucceeded}))
}

// TestIngestTellsOfDeliveriesLeftToTheClaimOnly: an ingest whose every
// delivery is handed over, and one that stores nothing new (a duplicate),
// tell the dispatcher nothing: a claim would find nothing.
func TestIngestTellsOfDeliveriesLeftToTheClaimOnly(t *testing.T) {
	h := newFakeHandOff(true)
	s := handOffStore(t, h)
	handOffEndpoint(t, s, "ep_1")
	handOffEndpoint(t, s, "ep_2")

	m, err := ingest(t, s)
	must(t, err)
	if _, _, err := s.CreateMessage(t.Context(), &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: "app",
		EventType: m.EventType, EventID: m.ID, Payload: m.Payload, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}

	if len(h.taken) != 2 || h.notified != 0 {
		t.Errorf("took %d, notified %d times: want both handed over and no notice", len(h.taken), h.notified)
	}
}

// TestIngestLeavesForTheClaimWhatNoWorkerIsFreeFor: refused a worker, the
// delivery is stored as ever, unleased, and a claim finds it.
func TestIngestLeavesForTheClaimWhatNoWorkerIsFreeFor(t *testing.T) {
	h := newFakeHandOff(false)
	s := handOffStore(t, h)
	handOffEndpoint(t, s, "ep_1")

	m, err := ingest(t, s)
	must(t, err)

	if len(h.taken) != 0 || leaseOf(t, s, m, "ep_1") != "" {
		t.Errorf("took %d, stored lease %q, want neither", len(h.taken), leaseOf(t, s, m, "ep_1"))
	}
	if h.notified != 1 {
		t.Errorf("told the dispatcher %d times of the delivery left to the claim, want once", h.notified)
	}
	claims, err := s.ClaimDeliveries(t.Context(), time.Now().Add(time.Second), 10, time.Minute)
	must(t, err)
	if len(claims) != 1 {
		t.Errorf("claimed %d, want the delivery", len(claims))
	}
}

// TestAFailedIngestGivesItsReservationsBack: the second delivery's insert
// fails after the first was reserved; nothing is stored, the reservation
// is given back, nothing is handed over.
func TestAFailedIngestGivesItsReservationsBack(t *testing.T) {
	h := newFakeHandOff(true)
	s := handOffStore(t, h)
	handOffEndpoint(t, s, "ep_1")
	handOffEndpoint(t, s, "ep_2")
	if _, err := s.write.Exec(`CREATE TEMP TRIGGER refuse_ep_2 BEFORE INSERT ON deliveries
		WHEN NEW.endpoint_id = 'ep_2' BEGIN SELECT RAISE(ABORT, 'refused'); END`); err != nil {
		t.Fatal(err)
	}

	if _, err := ingest(t, s); err == nil {
		t.Fatal("ingest succeeded, want the trigger's refusal")
	}

	if h.reserved["ep_1"] != 1 || h.unreserved["ep_1"] != 1 || h.reserved["ep_2"] != 1 || h.unreserved["ep_2"] != 1 || len(h.taken) != 0 {
		t.Errorf("reserved %v, gave back %v, took %d: want each given back, none taken", h.reserved, h.unreserved, len(h.taken))
	}
	if h.notified != 0 {
		t.Errorf("notified %d times of a failed ingest, want none: it stored nothing", h.notified)
	}
}

// TestAnIngestRunAgainHandsOverOnce: a transaction after the ingest in
// its group fails, so the group runs again; the first run's reservation
// is given back and the second's handed over, under the lease stored.
func TestAnIngestRunAgainHandsOverOnce(t *testing.T) {
	h := newFakeHandOff(true)
	s := handOffStore(t, h)
	handOffEndpoint(t, s, "ep_1")
	if _, err := s.write.Exec(`CREATE TABLE scratch (v INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	release := holdWriter(t, s)
	var (
		wg  sync.WaitGroup
		m   *hookbridge.Message
		err error
	)
	wg.Go(func() { m, err = ingest(t, s) })
	waitForQueuedWriters(t, s, 1)
	broken := errors.New("broken")
	wg.Go(func() {
		_ = s.inWriteTx(context.Background(), func(tx txn) error { return broken })
	})
	waitForQueuedWriters(t, s, 2)
	release()
	wg.Wait()
	must(t, err)

	if h.reserved["ep_1"] != 2 || h.unreserved["ep_1"] != 1 || len(h.taken) != 1 {
		t.Fatalf("reserved %v, gave back %v, took %d: want two, one, one", h.reserved, h.unreserved, len(h.taken))
	}
	if got := leaseOf(t, s, m, "ep_1"); got != h.taken[0].LeaseID {
		t.Errorf("stored lease %q, handed over %q", got, h.taken[0].LeaseID)
	}
}

// TestHandOverReadsAnEndpointAgainWhenItChanged: the endpoint a hand-over
// keeps is used while its version holds; an update is seen at once.
func TestHandOverReadsAnEndpointAgainWhenItChanged(t *testing.T) {
	h := newFakeHandOff(true)
	s := handOffStore(t, h)
	e := handOffEndpoint(t, s, "ep_1")
	_, err := ingest(t, s)
	must(t, err)
	_, err = ingest(t, s)
	must(t, err)
	e.URL = "https://example.com/moved"
	must(t, s.UpdateEndpoint(t.Context(), e))
	_, err = ingest(t, s)
	must(t, err)

	if len(h.taken) != 3 {
		t.Fatalf("took %d, want 3", len(h.taken))
	}
	if h.taken[0].Endpoint != h.taken[1].Endpoint {
		t.Error("the second hand-over read the unchanged endpoint again")
	}
	if got := h.taken[2].Endpoint.URL; got != "https://example.com/moved" {
		t.Errorf("handed over with URL %s after the update", got)
	}
}
