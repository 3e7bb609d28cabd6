package sqlite

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/storetest"
)

// deliveredTo returns the endpoints m was queued to.
func deliveredTo(t *testing.T, s *Store, m *hookbridge.Message) []string {
	t.Helper()
	rows, err := s.read.Query(`SELECT endpoint_id FROM deliveries WHERE message_id = ? ORDER BY endpoint_id`, m.ID)
	ids, err := collect(rows, err, scanString)
	must(t, err)
	return ids
}

// TestFanOutSeesEveryEndpointChange: with the fan-out's endpoints kept
// from one ingest to the next, every way an endpoint changes is seen by
// the very next ingest — through this store, through its health
// recording, and through another process's store on the same file — and
// the ingest returns exactly the deliveries it queued.
func TestFanOutSeesEveryEndpointChange(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, s *Store, first *hookbridge.Claim, e *hookbridge.Endpoint)
		want   []string // endpoints the next message goes to
	}{
		{"nothing", func(*testing.T, *Store, *hookbridge.Claim, *hookbridge.Endpoint) {}, []string{"ep_1"}},
		{"another endpoint created", func(t *testing.T, s *Store, _ *hookbridge.Claim, _ *hookbridge.Endpoint) {
			fanOutEndpoint(t, s, "ep_2")
		}, []string{"ep_1", "ep_2"}},
		{"its event types narrowed", func(t *testing.T, s *Store, _ *hookbridge.Claim, e *hookbridge.Endpoint) {
			e.EventTypes = []string{"refund.succeeded"}
			must(t, s.UpdateEndpoint(t.Context(), e))
		}, nil},
		{"disabled", func(t *testing.T, s *Store, _ *hookbridge.Claim, e *hookbridge.Endpoint) {
			e.Disabled = true
			must(t, s.UpdateEndpoint(t.Context(), e))
		}, nil},
		{"deleted", func(t *testing.T, s *Store, _ *hookbridge.Claim, e *hookbridge.Endpoint) {
			must(t, s.DeleteEndpoint(t.Context(), "app", e.ID))
		}, nil},
		{"disabled for its failures", func(t *testing.T, s *Store, first *hookbridge.Claim, _ *hookbridge.Endpoint) {
			must(t, s.CompleteAttempt(t.Context(), first, nil, hookbridge.Outcome{Status: hookbridge.DeliveryFailed,
				Endpoint: &hookbridge.EndpointReport{At: time.Now(), Health: hookbridge.HealthFailing, DisableReason: "gone"}}))
		}, nil},
		{"paused", func(t *testing.T, s *Store, first *hookbridge.Claim, _ *hookbridge.Endpoint) {
			must(t, s.CompleteAttempt(t.Context(), first, nil, hookbridge.Outcome{Status: hookbridge.DeliveryPending,
				Endpoint: &hookbridge.EndpointReport{At: time.Now(), PauseUntil: time.Now().Add(time.Hour)}}))
		}, []string{"ep_1"}}, // queued for when the pause ends
		{"disabled by another process", func(t *testing.T, s *Store, _ *hookbridge.Claim, e *hookbridge.Endpoint) {
			var (
				seq        int
				name, path string
			)
			must(t, s.read.QueryRow(`PRAGMA database_list`).Scan(&seq, &name, &path))
			other, err := Open(t.Context(), path, storetest.NewTestCipher())
			must(t, err)
			defer other.Close()
			e.Disabled = true
			must(t, other.UpdateEndpoint(t.Context(), e))
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fanOutStore(t)
			e := fanOutEndpoint(t, s, "ep_1")
			_, err := ingest(t, s) // keeps the app's endpoints
			must(t, err)
			claims, err := s.Claim(t.Context(), hookbridge.ClaimQuery{Now: time.Now(), Limit: 1, Lease: time.Minute})
			must(t, err)
			if len(claims) != 1 {
				t.Fatalf("claimed %d deliveries of the first message, want 1", len(claims))
			}

			tt.change(t, s, claims[0], e)
			m, in, err := ingestQueued(t, s)
			must(t, err)

			got := deliveredTo(t, s, m)
			if !slices.Equal(got, tt.want) {
				t.Errorf("next message queued to %v, want %v", got, tt.want)
			}
			var returned []string
			for _, d := range in.Queued {
				returned = append(returned, d.EndpointID)
			}
			slices.Sort(returned)
			if !slices.Equal(returned, got) {
				t.Errorf("ingest returned deliveries to %v, stored %v", returned, got)
			}
		})
	}
}

// fanOutStore opens a store with app "app".
func fanOutStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "fanout.db"), storetest.NewTestCipher())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	must(t, s.CreateApp(t.Context(), &hookbridge.App{ID: "app", Name: "App", CreatedAt: time.Now()}))
	return s
}

func fanOutEndpoint(t *testing.T, s *Store, id string) *hookbridge.Endpoint {
	t.Helper()
	now := time.Now()
	e := &hookbridge.Endpoint{ID: id, AppID: "app", Name: id, Integration: "webhook", URL: "https://example.com/" + id,
		Credentials: hookbridge.Credentials{"signing_secret": "whsec_" + id}, Version: 1, CreatedAt: now, UpdatedAt: now}
	must(t, s.CreateEndpoint(t.Context(), e))
	return e
}

func ingest(t *testing.T, s *Store) (*hookbridge.Message, error) {
	t.Helper()
	m, _, err := ingestQueued(t, s)
	return m, err
}

func ingestQueued(t *testing.T, s *Store) (*hookbridge.Message, hookbridge.Ingested, error) {
	t.Helper()
	m := &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: "app", EventType: "payment.succeeded",
		Payload: []byte(`{"id":"pay_1"}`), CreatedAt: time.Now()}
	in, err := s.CreateMessage(t.Context(), m)
	return m, in, err
}
