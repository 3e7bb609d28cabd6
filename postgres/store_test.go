package postgres_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/postgres"
	"github.com/hookbridge/hookbridge/storetest"
)

func TestOpenConcurrentlyMigratesOnce(t *testing.T) {
	dbURL := freshDatabase(t)
	const nodes = 3
	var (
		start = make(chan struct{})
		wg    sync.WaitGroup
		errs  = make([]error, nodes)
	)
	for i := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			s, err := postgres.Open(context.Background(), dbURL, storetest.NewTestCipher())
			if err == nil {
				err = s.Ping(context.Background())
				s.Close()
			}
			errs[i] = err
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("node %d: open: %v", i, err)
		}
	}

	var versions, distinct, files int
	query(t, dbURL, `SELECT count(*), count(DISTINCT version) FROM schema_migrations`, &versions, &distinct)
	files = countMigrationFiles(t)
	if versions != files || distinct != files {
		t.Errorf("schema_migrations holds %d rows (%d versions), want one per file (%d)", versions, distinct, files)
	}
}

func countMigrationFiles(t *testing.T) int {
	t.Helper()
	matches, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(matches) == 0 {
		t.Fatalf("no migrations embedded: %v", err)
	}
	return len(matches)
}

// query runs one row-returning statement on a separate connection.
func query(t testing.TB, dbURL, sql string, dest ...any) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, sql).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// TestClaimAcrossNodes has workers of two Stores (two pools, as two nodes
// would have) claim the same due deliveries at once, and checks that each
// delivery went to exactly one of them.
func TestClaimAcrossNodes(t *testing.T) {
	dbURL := freshDatabase(t)
	nodes := []*postgres.Store{openStore(t, dbURL), openStore(t, dbURL)}
	f := newFixture(t, nodes[0])
	const deliveries = 300
	for range deliveries {
		f.message(t, nodes[0], `{"type":"payment.succeeded"}`)
	}

	const workersPerNode = 4
	var (
		mu      sync.Mutex
		claimed = map[string]int{}
		perNode = make([]int, len(nodes))
		wg      sync.WaitGroup
	)
	now := time.Now().Add(time.Second)
	for n, node := range nodes {
		for range workersPerNode {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					claims, err := node.ClaimDeliveries(context.Background(), now, 7, time.Minute)
					if err != nil {
						t.Errorf("node %d: claim: %v", n, err)
						return
					}
					if len(claims) == 0 {
						return
					}
					mu.Lock()
					for _, c := range claims {
						claimed[c.Delivery.ID]++
						perNode[n]++
					}
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()

	if len(claimed) != deliveries {
		t.Errorf("%d distinct deliveries claimed, want %d", len(claimed), deliveries)
	}
	for id, times := range claimed {
		if times != 1 {
			t.Errorf("delivery %s claimed %d times while its lease was valid", id, times)
		}
	}
	t.Logf("claims per node: %v", perNode)
}

// TestDuplicateEventAcrossNodes sends the same event id through two Stores
// at once, as a payments platform retrying to two nodes would: one message
// and one delivery must result, and every call must return that message.
func TestDuplicateEventAcrossNodes(t *testing.T) {
	dbURL := freshDatabase(t)
	nodes := []*postgres.Store{openStore(t, dbURL), openStore(t, dbURL)}
	f := newFixture(t, nodes[0])
	const calls = 8
	var (
		start   = make(chan struct{})
		wg      sync.WaitGroup
		created = make([]bool, calls)
		stored  = make([]string, calls)
	)
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			m := &hookbridge.Message{
				ID: hookbridge.NewID("msg"), AppID: f.app.ID, EventType: "payment.succeeded",
				EventID: "evt_same", Payload: []byte(`{}`), CreatedAt: time.Now(),
			}
			in, err := nodes[i%2].CreateMessage(context.Background(), m)
			if err != nil {
				t.Errorf("call %d: %v", i, err)
				return
			}
			created[i], stored[i] = in.Created, in.Message.ID
		}()
	}
	close(start)
	wg.Wait()

	var nCreated int
	for i := range calls {
		if created[i] {
			nCreated++
		}
		if stored[i] != stored[0] {
			t.Errorf("call %d returned message %s, call 0 %s", i, stored[i], stored[0])
		}
	}
	if nCreated != 1 {
		t.Errorf("%d calls created the message, want 1", nCreated)
	}
	var messages, deliveries int
	query(t, dbURL, `SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM deliveries)`, &messages, &deliveries)
	if messages != 1 || deliveries != 1 {
		t.Errorf("stored %d messages and %d deliveries, want 1 and 1", messages, deliveries)
	}
}

// TestClaimWaitsForDisabledEndpoint checks the one case where the claim
// query looks past the deliveries table: the deliveries of a disabled
// endpoint wait, and those of a deleted one are handed out without an
// endpoint so the worker can cancel them.
func TestClaimWaitsForDisabledEndpoint(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, freshDatabase(t))
	f := newFixture(t, s)
	m := f.message(t, s, `{}`)

	f.endpoint.Disabled = true
	if err := s.UpdateEndpoint(ctx, f.endpoint); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Minute)
	if claims := claim(t, s, later); len(claims) != 0 {
		t.Fatalf("claimed %d deliveries of a disabled endpoint", len(claims))
	}

	f.endpoint.Disabled = false
	if err := s.UpdateEndpoint(ctx, f.endpoint); err != nil {
		t.Fatal(err)
	}
	claims := claim(t, s, later)
	if len(claims) != 1 || claims[0].Message.ID != m.ID || claims[0].Endpoint == nil {
		t.Fatalf("after enabling: claims %+v, want the one delivery with its endpoint", claims)
	}
	if got := claims[0].Endpoint.Credentials["api_key"]; got != "sk_live_very_secret_key" {
		t.Errorf("claimed endpoint lost its credentials")
	}
	if err := s.ReleaseClaim(ctx, claims[0]); err != nil {
		t.Fatal(err)
	}
}

func claim(t testing.TB, s hookbridge.Store, now time.Time) []*hookbridge.Claim {
	t.Helper()
	claims, err := s.ClaimDeliveries(context.Background(), now, 10, time.Minute)
	if err != nil {
		t.Fatalf("claim: %v", err)
	}
	return claims
}

func TestWaitForWorkWakesOtherNode(t *testing.T) {
	dbURL := freshDatabase(t)
	worker, ingest := openStore(t, dbURL), openStore(t, dbURL)
	f := newFixture(t, ingest)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wake := worker.WaitForWork(ctx)
	// The first value says the listener is up.
	receive(t, wake, "listener start")
	expectQuiet(t, wake, "before any work")

	f.message(t, ingest, `{"n":1}`)
	receive(t, wake, "CreateMessage on another Store")
	f.message(t, worker, `{"n":2}`)
	expectQuiet(t, wake, "after CreateMessage on this Store (its answer names the deliveries)")

	app2 := &hookbridge.App{ID: "quiet", Name: "No endpoints", CreatedAt: time.Now()}
	if err := ingest.CreateApp(ctx, app2); err != nil {
		t.Fatal(err)
	}
	_, err := ingest.CreateMessage(ctx, &hookbridge.Message{
		ID: hookbridge.NewID("msg"), AppID: app2.ID, EventType: "x", Payload: []byte(`{}`), CreatedAt: time.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	expectQuiet(t, wake, "after a message with no deliveries")

	cancel()
	select {
	case _, open := <-wake:
		if open {
			// A value may have been pending; the close must follow.
			if _, open = <-wake; open {
				t.Fatal("channel still open after its context ended")
			}
		}
	case <-time.After(5 * time.Second):
		t.Fatal("channel not closed after its context ended")
	}
}

// TestCompleteAttemptWakesTheWorkersOnlyForADeliveryDueAtOnce: an
// outcome that leaves the delivery due now (a retry without a wait) wakes
// every node's workers; one due later, or done, does not.
func TestCompleteAttemptWakesTheWorkersOnlyForADeliveryDueAtOnce(t *testing.T) {
	dbURL := freshDatabase(t)
	s := openStore(t, dbURL)
	f := newFixture(t, s)
	wake := s.WaitForWork(t.Context())
	receive(t, wake, "listener start")

	cases := []struct { // the one left due comes last, so that no later claim takes it
		name    string
		outcome hookbridge.Outcome
		wakes   bool
	}{
		{"succeeded", hookbridge.Outcome{Status: hookbridge.DeliverySucceeded}, false},
		{"retried in an hour", hookbridge.Outcome{Status: hookbridge.DeliveryPending, NextAttemptAt: time.Now().Add(time.Hour)}, false},
		{"retried at once", hookbridge.Outcome{Status: hookbridge.DeliveryPending, NextAttemptAt: time.Now().Add(-time.Second),
			Endpoint: &hookbridge.EndpointReport{At: time.Now(), Health: hookbridge.HealthOK}}, true},
	}
	for _, tc := range cases {
		f.message(t, s, `{}`)
		expectQuiet(t, wake, tc.name+": CreateMessage on this Store (its answer names the deliveries)")
		claims, err := s.Claim(t.Context(), hookbridge.ClaimQuery{Now: time.Now(), Limit: 1, Lease: time.Minute})
		if err != nil || len(claims) != 1 {
			t.Fatalf("%s: claimed %d, %v", tc.name, len(claims), err)
		}
		a := &hookbridge.Attempt{Request: hookbridge.RecordedRequest{Method: "POST", URL: "https://track.customer.io/"}, ResponseStatus: 200}
		if err := s.CompleteAttempt(t.Context(), claims[0], a, tc.outcome); err != nil {
			t.Fatalf("%s: complete: %v", tc.name, err)
		}
		if tc.wakes {
			receive(t, wake, tc.name)
		} else {
			expectQuiet(t, wake, tc.name)
		}
	}
}

// TestWaitForWorkSurvivesLostConnection kills the LISTEN connection on the
// server: the listener must reconnect, say so (work may have been queued
// meanwhile), and go on passing notifications.
func TestWaitForWorkSurvivesLostConnection(t *testing.T) {
	dbURL := freshDatabase(t)
	worker, ingest := openStore(t, dbURL), openStore(t, dbURL)
	f := newFixture(t, ingest)
	wake := worker.WaitForWork(t.Context())
	receive(t, wake, "listener start")

	var killed int
	query(t, dbURL, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN%'`, &killed)
	if killed != 1 {
		t.Fatalf("terminated %d LISTEN connections, want 1", killed)
	}
	receive(t, wake, "reconnection")
	expectQuiet(t, wake, "after reconnecting")
	f.message(t, ingest, `{}`)
	receive(t, wake, "CreateMessage on another Store after reconnecting")
}

func TestCloseEndsWaitForWork(t *testing.T) {
	s, err := postgres.Open(context.Background(), freshDatabase(t), storetest.NewTestCipher())
	if err != nil {
		t.Fatal(err)
	}
	wake := s.WaitForWork(context.Background())
	receive(t, wake, "listener start")
	s.Close()
	select {
	case _, open := <-wake:
		if open {
			t.Fatal("received work after Close")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("channel not closed by Close")
	}
}

func receive(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case _, ok := <-ch:
		if !ok {
			t.Fatalf("%s: channel closed", what)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: not woken within 5 s", what)
	}
}

func expectQuiet(t *testing.T, ch <-chan struct{}, when string) {
	t.Helper()
	select {
	case <-ch:
		t.Fatalf("woken %s", when)
	case <-time.After(200 * time.Millisecond):
	}
}

// TestSecretsSealedAtRest reads the raw columns: credentials and signing
// secrets must be the cipher's output, never plain text.
func TestSecretsSealedAtRest(t *testing.T) {
	ctx := context.Background()
	dbURL := freshDatabase(t)
	s := openStore(t, dbURL)
	f := newFixture(t, s)
	src := &hookbridge.Source{
		ID: hookbridge.NewID("src"), AppID: f.app.ID, Name: "platform",
		Secrets:   []hookbridge.SourceSecret{{Secret: "whsec_c2VjcmV0LXNpZ25pbmcta2V5", CreatedAt: time.Now()}},
		CreatedAt: time.Now(),
	}
	if err := s.CreateSource(ctx, src); err != nil {
		t.Fatal(err)
	}

	var creds, secrets []byte
	query(t, dbURL, `SELECT sealed_credentials FROM endpoints`, &creds)
	query(t, dbURL, `SELECT sealed_secrets FROM sources`, &secrets)
	cipher := storetest.NewTestCipher()
	for _, c := range []struct {
		column string
		sealed []byte
		plain  string
	}{
		{"endpoints.sealed_credentials", creds, "sk_live_very_secret_key"},
		{"sources.sealed_secrets", secrets, "whsec_c2VjcmV0LXNpZ25pbmcta2V5"},
	} {
		if bytes.Contains(c.sealed, []byte(c.plain)) {
			t.Errorf("%s holds the secret in plain text", c.column)
		}
		opened, err := cipher.Open(c.sealed)
		if err != nil {
			t.Errorf("%s is not the cipher's output: %v", c.column, err)
			continue
		}
		if !bytes.Contains(opened, []byte(c.plain)) {
			t.Errorf("%s does not hold the secret once opened", c.column)
		}
	}
}

// TestPayloadKeptByteForByte stores payloads that jsonb would rewrite
// (key order, spacing, duplicate keys, escapes) and a NUL escape that text
// columns refuse.
func TestPayloadKeptByteForByte(t *testing.T) {
	s := openStore(t, freshDatabase(t))
	f := newFixture(t, s)
	payloads := []string{
		`{"z":1,"a":{"y":2,"b":3}}`,
		"{ \"spaced\" :\t[1, 2] }\n",
		`{"dup":1,"dup":2}`,
		`{"amount":1.50,"big":12345678901234567890}`,
		`{"nul":"\u0000","emoji":"\ud83d\ude00"}`,
	}
	for _, p := range payloads {
		m := f.message(t, s, p)
		got, err := s.GetMessage(context.Background(), f.app.ID, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if string(got.Payload) != p {
			t.Errorf("payload came back as %q, want %q", got.Payload, p)
		}
	}
}

// TestCompleteAttemptStoresOddBytes records an attempt whose texts hold
// bytes PostgreSQL text refuses: the outcome must still be recorded, or the
// delivery would be sent again and again.
func TestCompleteAttemptStoresOddBytes(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, freshDatabase(t))
	f := newFixture(t, s)
	f.message(t, s, `{}`)
	claims := claim(t, s, time.Now().Add(time.Second))
	if len(claims) != 1 {
		t.Fatalf("claimed %d, want 1", len(claims))
	}
	binaryBody := "\x00\xff\xfe binary"
	a := &hookbridge.Attempt{
		ID:              hookbridge.NewID("att"),
		Request:         hookbridge.RecordedRequest{Method: "POST", URL: "https://example.com/\x00", Body: "\xff"},
		ResponseStatus:  500,
		ResponseHeaders: map[string]string{"X-Odd": "a\x00b"},
		ResponseBody:    binaryBody,
		Error:           "bad \xff byte\x00",
		CreatedAt:       time.Now(),
	}
	o := hookbridge.Outcome{Status: hookbridge.DeliveryFailed, LastError: "server said \x00\xff"}
	if err := s.CompleteAttempt(ctx, claims[0], a, o); err != nil {
		t.Fatalf("complete attempt: %v", err)
	}
	attempts, err := s.ListAttempts(ctx, f.app.ID, claims[0].Delivery.ID)
	if err != nil || len(attempts) != 1 {
		t.Fatalf("list attempts: %d, %v", len(attempts), err)
	}
	if attempts[0].ResponseBody != binaryBody || attempts[0].Request.Body != "\xff" {
		t.Errorf("bodies not kept byte for byte: %q, %q", attempts[0].ResponseBody, attempts[0].Request.Body)
	}
	if attempts[0].ResponseHeaders["X-Odd"] != "a\x00b" {
		t.Errorf("response header came back as %q", attempts[0].ResponseHeaders["X-Odd"])
	}
	if !strings.HasPrefix(attempts[0].Error, "bad ") {
		t.Errorf("error came back as %q", attempts[0].Error)
	}
}

func TestOpenDoesNotEchoURL(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://u:hunter2@[bad", storetest.NewTestCipher())
	if err == nil {
		t.Fatal("opened a malformed URL")
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error shows the password: %v", err)
	}
}

func BenchmarkCreateMessage(b *testing.B) {
	s := openStore(b, freshDatabase(b))
	f := newFixture(b, s)
	second := *f.endpoint
	second.ID = hookbridge.NewID("ep")
	if err := s.CreateEndpoint(context.Background(), &second); err != nil {
		b.Fatal(err)
	}
	payload := []byte(`{"business_id":"biz_1","type":"payment.succeeded","timestamp":"2026-01-01T00:00:00Z","data":{"amount":400,"currency":"JPY"}}`)
	b.ReportAllocs()
	for b.Loop() {
		m := &hookbridge.Message{
			ID: hookbridge.NewID("msg"), AppID: f.app.ID, EventType: "payment.succeeded",
			Payload: payload, CreatedAt: time.Now(),
		}
		m.EventID = m.ID
		if _, err := s.CreateMessage(context.Background(), m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClaim claims batches of 10 out of 1000 due deliveries. The lease
// is empty and the clock moves on by a microsecond each time, so the same
// deliveries are due again at once: it measures the claim statement and the
// loading of messages and endpoints.
func BenchmarkClaim(b *testing.B) {
	s := openStore(b, freshDatabase(b))
	f := newFixture(b, s)
	for range 1000 {
		f.message(b, s, `{"type":"payment.succeeded"}`)
	}
	now := time.Now().Add(time.Second)
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(time.Microsecond)
		claims, err := s.ClaimDeliveries(context.Background(), now, 10, 0)
		if err != nil || len(claims) != 10 {
			b.Fatalf("claimed %d: %v", len(claims), err)
		}
	}
}
