package sqlite

import (
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
// recording, and through another process's store on the same file.
func TestFanOutSeesEveryEndpointChange(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, s *Store, h *fakeHandOff, e *hookbridge.Endpoint)
		want   []string // endpoints the next message goes to
		handed int      // deliveries handed over by then
	}{
		{"nothing", func(*testing.T, *Store, *fakeHandOff, *hookbridge.Endpoint) {}, []string{"ep_1"}, 2},
		{"another endpoint created", func(t *testing.T, s *Store, _ *fakeHandOff, _ *hookbridge.Endpoint) {
			handOffEndpoint(t, s, "ep_2")
		}, []string{"ep_1", "ep_2"}, 3},
		{"its event types narrowed", func(t *testing.T, s *Store, _ *fakeHandOff, e *hookbridge.Endpoint) {
			e.EventTypes = []string{"refund.succeeded"}
			must(t, s.UpdateEndpoint(t.Context(), e))
		}, nil, 1},
		{"disabled", func(t *testing.T, s *Store, _ *fakeHandOff, e *hookbridge.Endpoint) {
			e.Disabled = true
			must(t, s.UpdateEndpoint(t.Context(), e))
		}, nil, 1},
		{"deleted", func(t *testing.T, s *Store, _ *fakeHandOff, e *hookbridge.Endpoint) {
			must(t, s.DeleteEndpoint(t.Context(), "app", e.ID))
		}, nil, 1},
		{"disabled for its failures", func(t *testing.T, s *Store, h *fakeHandOff, _ *hookbridge.Endpoint) {
			must(t, s.CompleteAttempt(t.Context(), h.taken[0], nil, hookbridge.Outcome{Status: hookbridge.DeliveryFailed,
				Endpoint: &hookbridge.EndpointReport{At: time.Now(), Health: hookbridge.HealthFailing, DisableReason: "gone"}}))
		}, nil, 1},
		{"paused", func(t *testing.T, s *Store, h *fakeHandOff, _ *hookbridge.Endpoint) {
			must(t, s.CompleteAttempt(t.Context(), h.taken[0], nil, hookbridge.Outcome{Status: hookbridge.DeliveryPending,
				Endpoint: &hookbridge.EndpointReport{At: time.Now(), PauseUntil: time.Now().Add(time.Hour)}}))
		}, []string{"ep_1"}, 1}, // queued, but not handed over
		{"disabled by another process", func(t *testing.T, s *Store, _ *fakeHandOff, e *hookbridge.Endpoint) {
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
		}, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newFakeHandOff(true)
			s := handOffStore(t, h)
			e := handOffEndpoint(t, s, "ep_1")
			_, err := ingest(t, s) // keeps the app's endpoints
			must(t, err)

			tt.change(t, s, h, e)
			m, err := ingest(t, s)
			must(t, err)

			if got := deliveredTo(t, s, m); !slices.Equal(got, tt.want) {
				t.Errorf("next message queued to %v, want %v", got, tt.want)
			}
			if len(h.taken) != tt.handed {
				t.Errorf("%d deliveries handed over, want %d", len(h.taken), tt.handed)
			}
		})
	}
}
