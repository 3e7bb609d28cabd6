package postgres

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

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

	group := []*hookbridge.Message{m}
	byApp, err := s.fanOutEndpoints(ctx, group)
	if err != nil || len(byApp["acme"]) != 3 {
		t.Fatalf("endpoints read: %d, %v; want 3", len(byApp["acme"]), err)
	}
	if _, err := s.pool.Exec(ctx, `UPDATE endpoints SET disabled = true WHERE id = 'ep_disabled'`); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteEndpoint(ctx, "acme", "ep_deleted"); err != nil {
		t.Fatal(err)
	}
	results, err := s.insertMessages(ctx, group, byApp)
	if err != nil || !results[0].created {
		t.Fatalf("%+v, %v; want the message stored", results, err)
	}
	queued := results[0].queued
	again := *m
	again.ID = hookbridge.NewID("msg")
	if results, err := s.insertMessages(ctx, []*hookbridge.Message{&again}, byApp); err != nil || results[0].created {
		t.Fatalf("stored again: %+v, %v; want nothing stored", results, err)
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

// TestMessagesStoredTogether: a group of messages stored in one statement
// gives each the result CreateMessage would: its deliveries to the
// endpoints of its app that accept it (with the ordering key each takes),
// none for a message whose event id its app already holds or that came
// earlier in the group, its customer keys filed; and CreateMessage gives
// the duplicates the stored message.
func TestMessagesStoredTogether(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, pgtest.FreshDatabase(t), storetest.NewTestCipher())
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	now := time.Now().UTC()
	for _, app := range []string{"acme", "globex"} {
		if err := s.CreateApp(ctx, &hookbridge.App{ID: app, Name: app, CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	endpoint := func(id, app string, tune func(*hookbridge.Endpoint)) {
		e := &hookbridge.Endpoint{ID: id, AppID: app, Name: id, Integration: "webhook", URL: "https://example.com/" + id,
			Credentials: hookbridge.Credentials{"signing_secret": "whsec_" + id}, Version: 1, CreatedAt: now, UpdatedAt: now}
		tune(e)
		if err := s.CreateEndpoint(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	endpoint("ep_all", "acme", func(*hookbridge.Endpoint) {})
	endpoint("ep_ordered", "acme", func(e *hookbridge.Endpoint) {
		e.EventTypes, e.Ordering = []string{"payment.succeeded"}, hookbridge.Ordering{Enabled: true}
	})
	endpoint("ep_globex", "globex", func(*hookbridge.Endpoint) {})
	message := func(app, eventType, eventID string) *hookbridge.Message {
		m := &hookbridge.Message{ID: hookbridge.NewID("msg"), AppID: app, EventType: eventType, EventID: eventID,
			Payload: []byte(`{"data":{"customer":{"customer_id":"cus_` + eventID + `","email":"` + eventID + `@example.com"}}}`), CreatedAt: now}
		return m
	}
	earlier := message("acme", "payment.succeeded", "evt_0")
	if in, err := s.CreateMessage(ctx, earlier); err != nil || !in.Created {
		t.Fatalf("store the earlier message: %v", err)
	}
	group := []*hookbridge.Message{
		message("acme", "payment.succeeded", "evt_1"), // ep_all and ep_ordered
		message("acme", "refund.created", "evt_2"),    // ep_all
		message("globex", "refund.created", "evt_3"),  // ep_globex
		message("acme", "payment.succeeded", "evt_0"), // stored before
		message("acme", "payment.succeeded", "evt_1"), // earlier in the group
	}
	results, err := s.createMessages(ctx, group)
	if err != nil {
		t.Fatalf("store the group: %v", err)
	}
	want := []struct {
		created bool
		to      []string
	}{{true, []string{"ep_all", "ep_ordered"}}, {true, []string{"ep_all"}}, {true, []string{"ep_globex"}}, {false, nil}, {false, nil}}
	for i, w := range want {
		r := results[i]
		var to []string
		for _, d := range r.queued {
			to = append(to, d.EndpointID)
			if d.MessageID != group[i].ID || d.AppID != group[i].AppID {
				t.Errorf("message %d: delivery %+v of another message", i, d)
			}
			wantKey := ""
			if d.EndpointID == "ep_ordered" {
				wantKey = "cus_evt_1"
			}
			if d.OrderingKey != wantKey {
				t.Errorf("message %d: delivery to %s with ordering key %q, want %q", i, d.EndpointID, d.OrderingKey, wantKey)
			}
		}
		slices.Sort(to)
		if r.created != w.created || !slices.Equal(to, w.to) {
			t.Errorf("message %d: created %v, queued to %v; want %v, %v", i, r.created, to, w.created, w.to)
		}
		var stored []string
		rows, _ := s.pool.Query(ctx, `SELECT endpoint_id FROM deliveries WHERE message_id = $1 ORDER BY endpoint_id`, group[i].ID)
		stored, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(stored, w.to) {
			t.Errorf("message %d: stored deliveries to %v, want %v", i, stored, w.to)
		}
	}
	timeline, err := s.CustomerTimeline(ctx, "globex", hookbridge.TimelineFilter{Customer: "cus_evt_3"})
	if err != nil || len(timeline) != 1 || timeline[0].Message.ID != group[2].ID {
		t.Errorf("globex's customer timeline: %d entries, %v; want the group's message", len(timeline), err)
	}
}
