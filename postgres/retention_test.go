package postgres_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/postgres"
	"github.com/hookbridge/hookbridge/retention"
)

// settleAll claims every due delivery and gives it a final status, with an
// attempt.
func settleAll(t *testing.T, s hookbridge.Store, status hookbridge.DeliveryStatus) {
	t.Helper()
	ctx := context.Background()
	for {
		claims, err := s.ClaimDeliveries(ctx, time.Now().Add(time.Second), 200, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(claims) == 0 {
			return
		}
		for _, c := range claims {
			a := &hookbridge.Attempt{ResponseStatus: 500, Request: hookbridge.RecordedRequest{Method: "POST", URL: "https://example.com"}}
			if err := s.CompleteAttempt(ctx, c, a, hookbridge.Outcome{Status: status}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// oldMessages creates n messages of the fixture's app, 100 days old.
func oldMessages(t *testing.T, s hookbridge.Store, f fixture, n int) []*hookbridge.Message {
	t.Helper()
	at := time.Now().Add(-100 * retention.Day)
	out := make([]*hookbridge.Message, n)
	for i := range out {
		m := &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: f.app.ID, EventType: "payment.succeeded",
			Payload: []byte(`{}`), CreatedAt: at}
		in, err := s.CreateMessage(context.Background(), m)
		stored, _ := in.Message, in.Created
		if err != nil {
			t.Fatal(err)
		}
		out[i] = stored
	}
	return out
}

// TestPruneAcrossNodes has pruners on two Stores work on the same app at
// once: SKIP LOCKED lets them split the messages without waiting for each
// other or failing, and together they delete each message once.
func TestPruneAcrossNodes(t *testing.T) {
	dbURL := freshDatabase(t)
	nodes := []*postgres.Store{openStore(t, dbURL), openStore(t, dbURL)}
	f := newFixture(t, nodes[0])
	const total = 400
	oldMessages(t, nodes[0], f, total)
	settleAll(t, nodes[0], hookbridge.DeliverySucceeded)

	var (
		deleted atomic.Int64
		wg      sync.WaitGroup
	)
	for i := range 4 {
		wg.Go(func() {
			for {
				n, err := nodes[i%2].PruneMessages(context.Background(), f.app.ID, time.Now().Add(-90*retention.Day), 25)
				if err != nil {
					t.Errorf("pruner %d: %v", i, err)
					return
				}
				deleted.Add(int64(n))
				if n == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	if got := deleted.Load(); got != total {
		t.Errorf("pruners deleted %d messages between them, want %d", got, total)
	}
	var left int
	query(t, dbURL, `SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM deliveries) + (SELECT count(*) FROM attempts)`, &left)
	if left != 0 {
		t.Errorf("%d rows left after pruning everything", left)
	}
}

// TestPruneRacesRetry retries failed deliveries while pruners delete
// their (old) messages. Whatever the interleaving, a retry that reports a
// pending delivery must leave a delivery that still exists: pruning must
// never delete work that became pending while it chose what to delete.
func TestPruneRacesRetry(t *testing.T) {
	dbURL := freshDatabase(t)
	pruner, api := openStore(t, dbURL), openStore(t, dbURL)
	f := newFixture(t, api)
	messages := oldMessages(t, api, f, 300)
	settleAll(t, api, hookbridge.DeliveryFailed)
	deliveryOf := map[string]string{}
	for _, m := range messages {
		ds, err := api.ListDeliveries(context.Background(), f.app.ID, hookbridge.DeliveryFilter{MessageID: m.ID})
		if err != nil || len(ds) != 1 {
			t.Fatalf("deliveries of %s: %d, %v", m.ID, len(ds), err)
		}
		deliveryOf[m.ID] = ds[0].ID
	}

	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		retried []string
	)
	wg.Go(func() {
		for _, m := range messages {
			d, err := api.RetryDelivery(context.Background(), f.app.ID, deliveryOf[m.ID], time.Now())
			if errors.Is(err, hookbridge.ErrNotFound) {
				continue // pruned first: fine
			}
			if err != nil {
				t.Errorf("retry: %v", err)
				return
			}
			if d.Status == hookbridge.DeliveryPending {
				mu.Lock()
				retried = append(retried, d.ID)
				mu.Unlock()
			}
		}
	})
	wg.Go(func() {
		for {
			n, err := pruner.PruneMessages(context.Background(), f.app.ID, time.Now(), 7)
			if err != nil {
				t.Errorf("prune: %v", err)
				return
			}
			if n == 0 {
				return
			}
		}
	})
	wg.Wait()

	for _, id := range retried {
		d, err := api.GetDelivery(context.Background(), f.app.ID, id)
		if err != nil || d.Status != hookbridge.DeliveryPending {
			t.Errorf("delivery %s was retried (pending), then: %v %+v", id, err, d)
		}
	}
	t.Logf("%d of %d deliveries retried before their message was pruned", len(retried), len(messages))
}
