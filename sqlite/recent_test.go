package sqlite

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/storetest"
)

func recentMessage(id string, payloadBytes int) *hookbridge.Message {
	return &hookbridge.Message{ID: id, AppID: "app", EventType: "payment.succeeded",
		Payload: []byte(`"` + strings.Repeat("x", payloadBytes-2) + `"`)}
}

// TestRecentMessagesKeepTheNewest: the kept messages are the newest, no
// more of them than the count allows nor more payload bytes than the
// bound; each comes back as a copy of what was stored.
func TestRecentMessagesKeepTheNewest(t *testing.T) {
	tests := []struct {
		name            string
		count, maxBytes int
		want            []string
	}{
		{"count bound", 3, 1 << 20, []string{"m3", "m4", "m5"}},
		{"byte bound", 10, 250, []string{"m4", "m5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRecentMessages(tt.count, tt.maxBytes)
			var all []string
			for i := 1; i <= 5; i++ {
				m := recentMessage("m"+string(rune('0'+i)), 100)
				r.add(m)
				m.Payload[1] = '!' // the caller's bytes are not the kept ones
				all = append(all, m.ID)
			}
			found, missing := r.lookup(all)
			var kept []string
			for id, m := range found {
				kept = append(kept, id)
				if m.ID != id || string(m.Payload) != `"`+strings.Repeat("x", 98)+`"` {
					t.Errorf("%s kept as %s with payload %.10s…", id, m.ID, m.Payload)
				}
			}
			slices.Sort(kept)
			if !slices.Equal(kept, tt.want) {
				t.Errorf("kept %v, want %v", kept, tt.want)
			}
			if len(found)+len(missing) != len(all) {
				t.Errorf("found %d and missing %v of %d", len(found), missing, len(all))
			}
			if r.bytes > tt.maxBytes {
				t.Errorf("%d payload bytes kept, bound %d", r.bytes, tt.maxBytes)
			}
		})
	}
}

// TestClaimTakesARecentMessageFromMemory: a claim right after ingest has
// its message without reading it back, and a store that did not store
// the message (another process, or this one before a restart) reads it.
func TestClaimTakesARecentMessageFromMemory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "recent.db")
	s, err := Open(t.Context(), path, storetest.NewTestCipher())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, now := t.Context(), time.Now()
	must(t, s.CreateApp(ctx, &hookbridge.App{ID: "app", Name: "App", CreatedAt: now}))
	must(t, s.CreateEndpoint(ctx, &hookbridge.Endpoint{ID: "ep_1", AppID: "app", Name: "one", Integration: "webhook",
		URL: "https://example.com/hook", Version: 1, CreatedAt: now, UpdatedAt: now}))
	msg := &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: "app", EventType: "payment.succeeded",
		Payload: []byte(`{"stored":true}`), CreatedAt: now}
	if _, err := s.CreateMessage(ctx, msg); err != nil {
		t.Fatal(err)
	}
	// Were the claim to read the message back, it would find this.
	if _, err := s.write.Exec(`UPDATE messages SET payload = '{"read":true}' WHERE id = ?`, msg.ID); err != nil {
		t.Fatal(err)
	}
	other, err := Open(ctx, path, storetest.NewTestCipher())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	for _, tc := range []struct {
		name  string
		store *Store
		want  string
	}{
		{"the store that stored it", s, `{"stored":true}`},
		{"another store", other, `{"read":true}`},
	} {
		claims, err := tc.store.ClaimDeliveries(ctx, now.Add(time.Second), 10, time.Minute)
		if err != nil {
			t.Fatalf("%s: claim: %v", tc.name, err)
		}
		if len(claims) != 1 {
			t.Fatalf("%s: %d claims, want 1", tc.name, len(claims))
		}
		if got := string(claims[0].Message.Payload); got != tc.want {
			t.Errorf("%s: message payload %s, want %s", tc.name, got, tc.want)
		}
		must(t, tc.store.ReleaseClaim(ctx, claims[0]))
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
