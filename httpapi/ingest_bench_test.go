package httpapi_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/httpapi"
	"github.com/hookbridge/hookbridge/integration/builtin"
	"github.com/hookbridge/hookbridge/secretbox"
	"github.com/hookbridge/hookbridge/sqlite"
)

// BenchmarkIngest posts payment.succeeded events (the catalogue's sample,
// about 1.5 KB) to POST /api/v1/apps/default/messages through the API's
// handler, with a real SQLite store under it and one endpoint to fan out
// to: authentication, decoding, validation and the transaction that stores
// the message and its delivery. No network is involved.
func BenchmarkIngest(b *testing.B) {
	srv, token := benchServer(b)
	postSamples(b, srv, token)
}

// postSamples posts the catalogue's payment.succeeded sample, each time
// with a new event id, once per benchmark iteration.
func postSamples(b *testing.B, srv http.Handler, token string) {
	b.Helper()
	sample, ok := catalog.Lookup("payment.succeeded")
	if !ok {
		b.Fatal("no payment.succeeded sample")
	}
	b.SetBytes(int64(len(sample.Sample)))
	i := 0
	for b.Loop() {
		i++
		postSample(b, srv, token, sample.Sample, i)
	}
}

// postSample posts sample as a payment.succeeded event with the event id
// evt_n and fails tb unless it is accepted.
func postSample(tb testing.TB, srv http.Handler, token string, sample []byte, n int) {
	tb.Helper()
	body := fmt.Appendf(nil, `{"event_type":"payment.succeeded","event_id":"evt_%d","payload":%s}`, n, sample)
	req := httptest.NewRequest(http.MethodPost, "/api/v1/apps/default/messages", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusAccepted {
		tb.Fatalf("answer %d: %s", rec.Code, rec.Body)
	}
}

// benchServer returns the API on a fresh SQLite store with the default app,
// one webhook endpoint, and an admin token.
func benchServer(b *testing.B) (http.Handler, string) {
	b.Helper()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	ring, err := secretbox.New(key)
	if err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	store, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), ring)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	now := time.Now()
	if err := store.CreateApp(ctx, &hookbridge.App{ID: hookbridge.DefaultAppID, Name: "Default", CreatedAt: now}); err != nil {
		b.Fatal(err)
	}
	ep := &hookbridge.Endpoint{ID: hookbridge.NewID("ep"), AppID: hookbridge.DefaultAppID, Name: "bench", Integration: "webhook",
		URL: "https://hooks.example.com/in", Credentials: hookbridge.Credentials{"signing_secret": "whsec_" + strconv.Itoa(42)},
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := store.CreateEndpoint(ctx, ep); err != nil {
		b.Fatal(err)
	}
	secret, tok, err := httpapi.NewToken("", "bench", now)
	if err != nil {
		b.Fatal(err)
	}
	if err := store.CreateToken(ctx, tok); err != nil {
		b.Fatal(err)
	}
	srv := httpapi.New(httpapi.Config{
		Store:        store,
		Integrations: hookbridge.NewIntegrations(builtin.All()...),
		EventTypes:   catalog.All(),
	})
	return srv, secret
}

// BenchmarkIngestHandler is BenchmarkIngest without the database: the
// store answers from memory at once, so what is left is the handler's own
// cost (authentication, decoding, validation, the answer, the request log).
func BenchmarkIngestHandler(b *testing.B) {
	secret, tok, err := httpapi.NewToken("", "bench", time.Now())
	if err != nil {
		b.Fatal(err)
	}
	store := &instantStore{token: tok, app: &hookbridge.App{ID: hookbridge.DefaultAppID, Name: "Default"}}
	srv := httpapi.New(httpapi.Config{
		Store:        store,
		Integrations: hookbridge.NewIntegrations(builtin.All()...),
		EventTypes:   catalog.All(),
	})
	postSamples(b, srv, secret)
}

// instantStore answers the three calls of an ingest from memory; any other
// call panics (the embedded Store is nil).
type instantStore struct {
	hookbridge.Store
	token *hookbridge.Token
	app   *hookbridge.App
}

func (s *instantStore) TokenByHash(_ context.Context, hash []byte) (*hookbridge.Token, error) {
	if !bytes.Equal(hash, s.token.Hash) {
		return nil, hookbridge.ErrNotFound
	}
	tok := *s.token
	return &tok, nil
}

func (s *instantStore) GetApp(_ context.Context, id string) (*hookbridge.App, error) {
	if id != s.app.ID {
		return nil, hookbridge.ErrNotFound
	}
	app := *s.app
	return &app, nil
}

func (s *instantStore) CreateMessage(_ context.Context, msg *hookbridge.Message) (hookbridge.Ingested, error) {
	return hookbridge.Ingested{Message: msg, Created: true}, nil
}
