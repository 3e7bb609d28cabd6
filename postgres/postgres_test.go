package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/postgres"
	"github.com/hookbridge/hookbridge/postgres/pgtest"
	"github.com/hookbridge/hookbridge/storetest"
)

// freshDatabase creates an empty database for the test, dropped when the
// test ends, and returns its URL. Without a server it skips the test, or
// fails it when HOOKBRIDGE_REQUIRE_POSTGRES=1 (see package pgtest).
func freshDatabase(t testing.TB) string {
	t.Helper()
	return pgtest.FreshDatabase(t)
}

// openStore opens a Store on the database at dbURL, closed when the test
// ends.
func openStore(t testing.TB, dbURL string) *postgres.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := postgres.Open(ctx, dbURL, storetest.NewTestCipher())
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// dataTables are truncated between the conformance cases, so that each
// starts empty without the cost of a new database.
const dataTables = "apps, tokens, sources, endpoints, messages, deliveries, attempts, audit_log, endpoint_throttle, message_customers"

func TestConformance(t *testing.T) {
	dbURL := freshDatabase(t)
	storetest.Run(t, func(t *testing.T) hookbridge.Store {
		s := openStore(t, dbURL)
		truncate(t, dbURL)
		return s
	})
}

func truncate(t testing.TB, dbURL string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "TRUNCATE "+dataTables+" CASCADE"); err != nil {
		t.Fatalf("truncate: %v", err)
	}
}

// fixture is an app with one endpoint that accepts every event type.
type fixture struct {
	app      *hookbridge.App
	endpoint *hookbridge.Endpoint
}

func newFixture(t testing.TB, s hookbridge.Store) fixture {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	app := &hookbridge.App{ID: "acme", Name: "Acme", CreatedAt: now}
	if err := s.CreateApp(ctx, app); err != nil {
		t.Fatalf("create app: %v", err)
	}
	ep := &hookbridge.Endpoint{
		ID: hookbridge.NewID("ep"), AppID: app.ID, Name: "CRM", Integration: "customerio",
		Credentials: hookbridge.Credentials{"api_key": "sk_live_very_secret_key"},
		CreatedAt:   now, UpdatedAt: now,
	}
	if err := s.CreateEndpoint(ctx, ep); err != nil {
		t.Fatalf("create endpoint: %v", err)
	}
	return fixture{app: app, endpoint: ep}
}

// message creates a message of the fixture's app, due at once.
func (f fixture) message(t testing.TB, s hookbridge.Store, payload string) *hookbridge.Message {
	t.Helper()
	m := &hookbridge.Message{
		ID: hookbridge.NewID("msg"), AppID: f.app.ID, EventType: "payment.succeeded",
		Payload: []byte(payload), CreatedAt: time.Now().UTC(),
	}
	m.EventID = m.ID
	in, err := s.CreateMessage(context.Background(), m)
	stored, created := in.Message, in.Created
	if err != nil || !created {
		t.Fatalf("create message: created %v, %v", created, err)
	}
	return stored
}
