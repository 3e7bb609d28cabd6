package httpapi_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/httpapi"
	"github.com/hookbridge/hookbridge/integration/builtin"
	"github.com/hookbridge/hookbridge/postgres"
	"github.com/hookbridge/hookbridge/postgres/pgtest"
	"github.com/hookbridge/hookbridge/signing"
	"github.com/hookbridge/hookbridge/sqlite"
	"github.com/hookbridge/hookbridge/storetest"
)

// ingestFixture is the API over a real store holding the default app, one
// source with a known secret, and an admin token.
type ingestFixture struct {
	srv    http.Handler
	store  *recordingStore
	source string
	secret string
	token  string
}

// recordingStore remembers the event id of every message it is asked to
// create.
type recordingStore struct {
	hookbridge.Store
	mu       sync.Mutex
	eventIDs []string
}

func (s *recordingStore) CreateMessage(ctx context.Context, m *hookbridge.Message) (hookbridge.Ingested, error) {
	s.mu.Lock()
	s.eventIDs = append(s.eventIDs, m.EventID)
	s.mu.Unlock()
	return s.Store.CreateMessage(ctx, m)
}

func (s *recordingStore) created() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.eventIDs...)
}

// eachStore runs fn against a fresh SQLite store and a fresh PostgreSQL
// database (skipped without a server, see package pgtest).
func eachStore(t *testing.T, fn func(t *testing.T, f *ingestFixture)) {
	t.Run("sqlite", func(t *testing.T) {
		store, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "hb.db"), storetest.NewTestCipher())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		fn(t, newIngestFixture(t, store))
	})
	t.Run("postgres", func(t *testing.T) {
		store, err := postgres.Open(t.Context(), pgtest.FreshDatabase(t), storetest.NewTestCipher())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		fn(t, newIngestFixture(t, store))
	})
}

func sqliteFixture(t *testing.T) *ingestFixture {
	t.Helper()
	store, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "hb.db"), storetest.NewTestCipher())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return newIngestFixture(t, store)
}

func newIngestFixture(t *testing.T, store hookbridge.Store) *ingestFixture {
	t.Helper()
	ctx, now := t.Context(), time.Now()
	if err := store.CreateApp(ctx, &hookbridge.App{ID: hookbridge.DefaultAppID, Name: "Default", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	secret, err := signing.GenerateSecret()
	if err != nil {
		t.Fatal(err)
	}
	src := &hookbridge.Source{ID: hookbridge.NewID("src"), AppID: hookbridge.DefaultAppID, Name: "Payments",
		Secrets: []hookbridge.SourceSecret{{Secret: secret, CreatedAt: now}}, CreatedAt: now, UpdatedAt: now}
	if err := store.CreateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	token, tok, err := httpapi.NewToken("", "test", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	rec := &recordingStore{Store: store}
	srv := httpapi.New(httpapi.Config{
		Store:        rec,
		Integrations: hookbridge.NewIntegrations(builtin.All()...),
		EventTypes:   catalog.All(),
	})
	return &ingestFixture{srv: srv, store: rec, source: src.ID, secret: secret, token: token}
}

var ingestBody = []byte(`{"type":"payment.succeeded","data":{"payment_id":"pay_1"}}`)

// sign returns the v1 entry of ingestBody with id at ts.
func (f *ingestFixture) sign(t *testing.T, id string, ts time.Time) string {
	t.Helper()
	sig, err := signing.Sign(f.secret, id, ts, ingestBody)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// post sends ingestBody to the source with the given headers, through the
// API's real handler.
func (f *ingestFixture) post(t *testing.T, h http.Header) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/ingest/"+f.source, bytes.NewReader(ingestBody))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range h {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	var ans map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil {
		t.Fatalf("answer %d is not JSON: %q", rec.Code, rec.Body)
	}
	return rec.Code, ans
}

func signatureHeaders(names [3]string, id string, ts time.Time, sig string) http.Header {
	h := http.Header{}
	h.Set(names[0], id)
	h.Set(names[1], signing.FormatTimestamp(ts))
	h.Set(names[2], sig)
	return h
}

var (
	webhookNames = [3]string{signing.HeaderID, signing.HeaderTimestamp, signing.HeaderSignature}
	svixNames    = [3]string{signing.HeaderSvixID, signing.HeaderSvixTimestamp, signing.HeaderSvixSignature}
)

func errorCode(ans map[string]any) string {
	e, _ := ans["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

// TestIngestSignatureHeaderVariants posts each webhook-signature variant
// the official Standard Webhooks and Svix libraries accept, and those over
// the header's limits, through the real ingest handler.
func TestIngestSignatureHeaderVariants(t *testing.T) {
	f := sqliteFixture(t)
	now := time.Now()
	wrong := "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
	tests := []struct {
		name   string
		header func(good string) string
		status int
		code   string
	}{
		{"good entry then v1 not base64", func(g string) string { return g + " v1,notbase64!!" }, 200, ""},
		{"v1 too short then good entry", func(g string) string { return "v1,AAAA " + g }, 200, ""},
		{"v2 entry then good entry", func(g string) string { return "v2," + g[3:] + " " + g }, 200, ""},
		{"unknown scheme then good entry", func(g string) string { return "hmac-sha512,abc " + g }, 200, ""},
		{"entry without a comma then good entry", func(g string) string { return "nocomma " + g }, 200, ""},
		{"only malformed entries", func(string) string { return "v1,notbase64!! v1,AAAA nocomma" }, 401, "invalid_signature"},
		{"only a v2 entry", func(g string) string { return "v2," + g[3:] }, 401, "invalid_signature"},
		{"20 entries, good last", func(g string) string { return strings.Repeat(wrong+" ", 19) + g }, 200, ""},
		{"21 entries, good last", func(g string) string { return strings.Repeat(wrong+" ", 20) + g }, 400, "signature_header_too_large"},
		{"9 KB header", func(g string) string { return g + " v2," + strings.Repeat("A", 9<<10) }, 400, "signature_header_too_large"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := "msg_variant_" + string(rune('a'+i))
			status, ans := f.post(t, signatureHeaders(webhookNames, id, now, tt.header(f.sign(t, id, now))))
			if status != tt.status || errorCode(ans) != tt.code {
				t.Fatalf("answer %d %v, want %d %q", status, ans, tt.status, tt.code)
			}
			stored := f.store.created()
			if got := len(stored) > 0 && stored[len(stored)-1] == id; got != (tt.status == 200) {
				t.Fatalf("stored event ids %v: stored %v, want %v", stored, got, tt.status == 200)
			}
		})
	}
}

// TestIngestSvixHeaderNames: svix-id, svix-timestamp and svix-signature are
// read as webhook-id, webhook-timestamp and webhook-signature; where a
// request carries both names, the webhook-* one is used.
func TestIngestSvixHeaderNames(t *testing.T) {
	f := sqliteFixture(t)
	now := time.Now()
	merge := func(hs ...http.Header) http.Header {
		out := http.Header{}
		for _, h := range hs {
			for k, v := range h {
				out[k] = v
			}
		}
		return out
	}
	tests := []struct {
		name    string
		h       http.Header
		status  int
		eventID string
	}{
		{"svix-* names", signatureHeaders(svixNames, "msg_svix", now, f.sign(t, "msg_svix", now)), 200, "msg_svix"},
		{"both sets, both valid: the webhook-id is the event id",
			merge(signatureHeaders(webhookNames, "msg_both_w", now, f.sign(t, "msg_both_w", now)),
				signatureHeaders(svixNames, "msg_both_s", now, f.sign(t, "msg_both_s", now))), 200, "msg_both_w"},
		{"both sets, only svix-* valid: webhook-* wins",
			merge(signatureHeaders(webhookNames, "msg_only_s", now, f.sign(t, "msg_other", now)),
				signatureHeaders(svixNames, "msg_only_s", now, f.sign(t, "msg_only_s", now))), 401, ""},
		{"svix-* set incomplete", func() http.Header {
			h := signatureHeaders(svixNames, "msg_incomplete", now, f.sign(t, "msg_incomplete", now))
			h.Del(signing.HeaderSvixTimestamp)
			return h
		}(), 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(f.store.created())
			status, ans := f.post(t, tt.h)
			if status != tt.status {
				t.Fatalf("answer %d %v, want %d", status, ans, tt.status)
			}
			stored := f.store.created()[before:]
			if tt.eventID == "" && len(stored) > 0 || tt.eventID != "" && (len(stored) != 1 || stored[0] != tt.eventID) {
				t.Fatalf("stored event ids %v, want %q", stored, tt.eventID)
			}
		})
	}
}

// TestIngestRefusesInvalidWebhookIDs: a webhook-id is an event id, and the
// rule for event ids (at most 255 bytes of UTF-8 without control
// characters) holds at ingest as in the API: 400, and the store is never
// asked, so PostgreSQL never answers 500 for an index row too large or
// text that is not UTF-8.
func TestIngestRefusesInvalidWebhookIDs(t *testing.T) {
	eachStore(t, func(t *testing.T, f *ingestFixture) {
		now := time.Now()
		bad := map[string]string{
			"3 KB":                "msg_" + incompressible(3<<10),
			"256 bytes":           strings.Repeat("é", 128),
			"invalid UTF-8":       "msg_\xff\xfe",
			"a truncated rune":    "msg_\xc3",
			"a control character": "msg_\x01",
			"a tab":               "msg\t1",
		}
		for name, id := range bad {
			t.Run(name, func(t *testing.T) {
				status, ans := f.post(t, signatureHeaders(webhookNames, id, now, f.sign(t, id, now)))
				if status != http.StatusBadRequest || errorCode(ans) != "invalid_webhook_id" {
					t.Fatalf("answer %d %v, want 400 invalid_webhook_id", status, ans)
				}
			})
		}
		if stored := f.store.created(); len(stored) != 0 {
			t.Fatalf("the store was asked to create %d messages, want none", len(stored))
		}
		longest := strings.Repeat("é", 127) + "x" // 255 bytes
		if status, ans := f.post(t, signatureHeaders(webhookNames, longest, now, f.sign(t, longest, now))); status != http.StatusOK {
			t.Fatalf("a webhook-id of 255 bytes: answer %d %v, want 200", status, ans)
		}
	})
}

// incompressible returns n bytes of random base64 that PostgreSQL cannot
// compress into an index row, as a platform's long random id would be.
func incompressible(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

// TestMessagesAPIRefusesInvalidEventIDs: the messages API applies the same
// rule to event_id, answering 422 as for its other fields.
func TestMessagesAPIRefusesInvalidEventIDs(t *testing.T) {
	eachStore(t, func(t *testing.T, f *ingestFixture) {
		bad := map[string]string{
			"256 bytes":           `"` + strings.Repeat("x", 256) + `"`,
			"3 KB":                `"` + incompressible(3<<10) + `"`,
			"NUL":                 `"evt\u0000"`,
			"a control character": `"evt\u0085"`,
		}
		for name, id := range bad {
			t.Run(name, func(t *testing.T) {
				body := `{"event_type":"payment.succeeded","event_id":` + id + `,"payload":{"type":"payment.succeeded"}}`
				req := httptest.NewRequest(http.MethodPost, "/api/v1/apps/default/messages", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+f.token)
				rec := httptest.NewRecorder()
				f.srv.ServeHTTP(rec, req)
				if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `"field":"event_id"`) {
					t.Fatalf("answer %d %s, want 422 naming event_id", rec.Code, rec.Body)
				}
			})
		}
		if stored := f.store.created(); len(stored) != 0 {
			t.Fatalf("the store was asked to create %d messages, want none", len(stored))
		}
	})
}
