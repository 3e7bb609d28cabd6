package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/postgres/pgtest"
	"github.com/hookbridge/hookbridge/storetest"
)

// TestCreateMessageChecksTheEndpointsItReadAgain: CreateMessage reads the
// endpoints before the statement that stores the message; an endpoint
// disabled or deleted in between gets no delivery, and a message stored
// again (its event id taken) queues none at all.
func TestCreateMessageChecksTheEndpointsItReadAgain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, pgtest.FreshDatabase(t), storetest.NewTestCipher())
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	now := time.Now()
	if err := s.CreateApp(ctx, &hookbridge.App{ID: "acme", Name: "Acme", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"ep_kept", "ep_disabled", "ep_deleted"} {
		e := &hookbridge.Endpoint{ID: id, AppID: "acme", Name: id, Integration: "webhook", URL: "https://example.com/" + id,
			Credentials: hookbridge.Credentials{"signing_secret": "whsec_" + id}, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := s.CreateEndpoint(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	m := &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: "acme", EventType: "payment.succeeded",
		Payload: []byte(`{"id":"pay_1"}`), CreatedAt: now.UTC()}
	m.EventID = m.ID

	targets, err := acceptingEndpoints(ctx, s.pool, m.AppID, m.EventType)
	if err != nil || len(targets) != 3 {
		t.Fatalf("endpoints read: %d, %v; want 3", len(targets), err)
	}
	if _, err := s.pool.Exec(ctx, `UPDATE endpoints SET disabled = true WHERE id = 'ep_disabled'`); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteEndpoint(ctx, "acme", "ep_deleted"); err != nil {
		t.Fatal(err)
	}
	queued, created, err := createMessage(ctx, s.pool, m, targets, "")
	if err != nil || !created {
		t.Fatalf("created %v, %v; want the message stored", created, err)
	}
	again := *m
	again.ID = hookbridge.NewID("msg")
	if _, created, err := createMessage(ctx, s.pool, &again, targets, ""); err != nil || created {
		t.Fatalf("stored again: created %v, %v; want nothing stored", created, err)
	}

	var endpoints []string
	rows, _ := s.pool.Query(ctx, `SELECT endpoint_id FROM deliveries ORDER BY endpoint_id`)
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		endpoints = append(endpoints, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(endpoints) != 1 || endpoints[0] != "ep_kept" {
		t.Errorf("deliveries to %v, want one, to ep_kept", endpoints)
	}
	if len(queued) != 1 || queued[0].EndpointID != "ep_kept" {
		t.Errorf("returned %d queued deliveries, want the one to ep_kept", len(queued))
	}
}
