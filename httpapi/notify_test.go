package httpapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/httpapi"
	"github.com/hookbridge/hookbridge/integration/builtin"
)

// queuingStore is an instantStore whose ingest queues one delivery.
type queuingStore struct{ *instantStore }

func (s queuingStore) CreateMessage(_ context.Context, msg *hookbridge.Message) (hookbridge.Ingested, error) {
	return hookbridge.Ingested{Message: msg, Created: true, Queued: []*hookbridge.Delivery{{ID: "dlv_1", MessageID: msg.ID}}}, nil
}

// TestIngestTellsTheDispatcherWhatItQueued: a stored message's queued
// deliveries go to the dispatcher as they were returned by the store, and
// ingest does not make it claim what is due besides.
func TestIngestTellsTheDispatcherWhatItQueued(t *testing.T) {
	secret, tok, err := httpapi.NewToken("", "test", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var (
		queued   []*hookbridge.Delivery
		notified int
	)
	srv := httpapi.New(httpapi.Config{
		Store:        queuingStore{&instantStore{token: tok, app: &hookbridge.App{ID: hookbridge.DefaultAppID, Name: "Default"}}},
		Integrations: hookbridge.NewIntegrations(builtin.All()...),
		EventTypes:   catalog.All(),
		Queued:       func(ds []*hookbridge.Delivery) { queued = append(queued, ds...) },
		Notify:       func() { notified++ },
	})
	sample, _ := catalog.Lookup("payment.succeeded")
	postSample(t, srv, secret, sample.Sample, 1)

	if len(queued) != 1 || queued[0].ID != "dlv_1" {
		t.Errorf("the dispatcher was told of %v, want the delivery dlv_1", queued)
	}
	if notified != 0 {
		t.Errorf("notified %d times, want none", notified)
	}
}
