package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/integration/builtin"
)

// fullDiskStore is a SQLite store whose disk fills up on demand: while
// full, storing a message fails as the store reports a full disk.
type fullDiskStore struct {
	hookbridge.Store
	full atomic.Bool
}

func (s *fullDiskStore) CreateMessage(ctx context.Context, m *hookbridge.Message) (hookbridge.Ingested, error) {
	if s.full.Load() {
		return hookbridge.Ingested{}, fmt.Errorf("create message %s: %w: database or disk is full (13)", m.ID, hookbridge.ErrStorageFull)
	}
	return s.Store.CreateMessage(ctx, m)
}

func readyz(t *testing.T, s *Server) int {
	t.Helper()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	return rec.Code
}

func TestAFullDiskIsAnswered503AndMakesTheServerUnready(t *testing.T) {
	f := newCacheFixture(t)
	store := &fullDiskStore{Store: f.store}
	s := New(Config{Store: store, Integrations: hookbridge.NewIntegrations(builtin.All()...), EventTypes: catalog.All()})
	s.now = func() time.Time { return f.now }
	source := f.addSource(t)
	event := `{"type":"payment.succeeded","data":{"id":"pay_1"}}`
	if code := readyz(t, s); code != http.StatusOK {
		t.Fatalf("readyz before the disk is full: %d", code)
	}

	store.full.Store(true)
	rec := ingest(t, s, source, "msg_full_1", event)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "30" {
		t.Errorf("ingest on a full disk: %d, Retry-After %q, want 503 and 30: %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}
	rec = call(t, s, f.appToken, "POST", "/api/v1/apps/acme/messages", `{"event_type":"payment.succeeded","payload":{}}`)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("posting a message on a full disk: %d, Retry-After %q, want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	if code := readyz(t, s); code != http.StatusServiceUnavailable {
		t.Errorf("readyz after a write failed on a full disk: %d, want 503", code)
	}
	f.now = f.now.Add(StorageFullRetry)
	if code := readyz(t, s); code != http.StatusOK {
		t.Errorf("readyz %v after the last refused write: %d, want 200 (so writes are tried again)", StorageFullRetry, code)
	}

	rec = ingest(t, s, source, "msg_full_2", event)
	if code := readyz(t, s); rec.Code != http.StatusServiceUnavailable || code != http.StatusServiceUnavailable {
		t.Errorf("still full: ingest %d, readyz %d, want both 503", rec.Code, code)
	}
	store.full.Store(false)
	if rec := ingest(t, s, source, "msg_full_3", event); rec.Code != http.StatusOK {
		t.Fatalf("ingest once space is freed: %d %s", rec.Code, rec.Body)
	}
	if code := readyz(t, s); code != http.StatusOK {
		t.Errorf("readyz after a write succeeded again: %d, want 200", code)
	}
}
