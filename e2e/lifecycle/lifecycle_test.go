package lifecycle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/integration/segment/segmenttest"
)

const adminToken = "hbk_lifecycle-admin-token-0123456789"

// call makes an API request with the admin token, decodes the answer into
// out (if not nil) and returns the status; a transport error is status 0.
func call(base, method, path string, body, out any) (int, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequest(method, base+path, bytes.NewReader(b))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, fmt.Errorf("decode %s: %w", raw, err)
		}
	}
	return resp.StatusCode, nil
}

// segmentEndpoint creates a Segment endpoint from the built-in template
// and returns its id.
func segmentEndpoint(t *testing.T, base string, seg *segmenttest.Server) string {
	t.Helper()
	var ep struct {
		ID string `json:"id"`
	}
	status, err := call(base, "POST", "/api/v1/apps/default/endpoints", map[string]any{
		"integration": "segment", "template": "payment-events", "credentials": seg.Credentials(),
	}, &ep)
	if err != nil || status != http.StatusCreated {
		t.Fatalf("create endpoint: %d %v", status, err)
	}
	return ep.ID
}

// acceptedEvent is an event the API answered 202 for.
type acceptedEvent struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
}

// poster posts payment events to a node from several goroutines and keeps
// those the node accepted.
type poster struct {
	mu       sync.Mutex
	accepted []acceptedEvent
	refused  int
}

func (p *poster) post(base string, payload json.RawMessage) {
	var ev acceptedEvent
	status, err := call(base, "POST", "/api/v1/apps/default/messages",
		map[string]any{"event_type": "payment.succeeded", "payload": payload}, &ev)
	p.mu.Lock()
	defer p.mu.Unlock()
	if err == nil && status == http.StatusAccepted {
		p.accepted = append(p.accepted, ev)
		return
	}
	p.refused++
}

// postAll posts n events, atOnce at a time, each to the node base returns
// then.
func (p *poster) postAll(base func() string, n, atOnce int) {
	et, _ := catalog.Lookup("payment.succeeded")
	next := make(chan struct{})
	var wg sync.WaitGroup
	for range atOnce {
		wg.Go(func() {
			for range next {
				p.post(base(), et.Sample)
			}
		})
	}
	for range n {
		next <- struct{}{}
	}
	close(next)
	wg.Wait()
}

// count says how many events were accepted so far.
func (p *poster) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.accepted)
}

// keys returns the idempotency keys (Segment messageIds) of the accepted
// events to one endpoint.
func (p *poster) keys(endpointID string) map[string]bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]bool, len(p.accepted))
	for _, ev := range p.accepted {
		out[hookbridge.IdempotencyKey(ev.ID, endpointID, ev.CreatedAt)] = true
	}
	return out
}

// storedKeys lists every message of the default app, page by page, and
// returns their idempotency keys for one endpoint.
func storedKeys(t *testing.T, base, endpointID string) map[string]bool {
	t.Helper()
	keys := map[string]bool{}
	before := ""
	for {
		var page struct {
			Data       []acceptedEvent `json:"data"`
			NextBefore string          `json:"next_before"`
		}
		status, err := call(base, "GET", "/api/v1/apps/default/messages?limit=250&before="+before, nil, &page)
		if err != nil || status != http.StatusOK {
			t.Fatalf("list messages: %d %v", status, err)
		}
		for _, m := range page.Data {
			keys[hookbridge.IdempotencyKey(m.ID, endpointID, m.CreatedAt)] = true
		}
		if page.NextBefore == "" {
			return keys
		}
		before = page.NextBefore
	}
}

func waitFor(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func acceptedIDs(seg *segmenttest.Server) map[string]bool {
	out := map[string]bool{}
	for _, ev := range seg.Accepted() {
		out[ev.MessageID] = true
	}
	return out
}

// TestSIGTERMFinishesWhatIsInFlightAndExitsZero stops hookbridge with
// SIGTERM while deliveries to a slow destination are in flight: it must
// claim nothing more, let those finish (the destination answers well within
// the shutdown grace), and exit 0. A restart delivers the rest; nothing is
// lost and, since nothing was cut off, nothing is sent twice.
func TestSIGTERMFinishesWhatIsInFlightAndExitsZero(t *testing.T) {
	const (
		workers = 4
		latency = 400 * time.Millisecond
		events  = 30
	)
	seg := segmenttest.New(t, segmenttest.WithLatency(latency))
	dir := t.TempDir()
	env := []string{"HOOKBRIDGE_HOST_OVERRIDES=api.segment.io=" + seg.URL, "HOOKBRIDGE_LOOPBACK_ONLY=true", fmt.Sprintf("HOOKBRIDGE_WORKERS=%d", workers)}
	p := serve(t, dir, env...)
	endpointID := segmentEndpoint(t, p.URL, seg)
	var posts poster
	posts.postAll(func() string { return p.URL }, events, 4)
	if len(posts.accepted) != events {
		t.Fatalf("%d of %d events accepted", len(posts.accepted), events)
	}
	// Wait until a round of requests was answered and the next is on its
	// way, then stop.
	waitFor(t, "the first answers", 10*time.Second, func() bool { return len(seg.Requests()) >= workers })
	time.Sleep(latency / 4)
	stopped := time.Now()
	code, err := p.Terminate(15 * time.Second)
	if err != nil || code != 0 {
		t.Fatalf("after SIGTERM: exit code %d, %v; want 0", code, err)
	}
	var afterStop int
	for _, r := range seg.Requests() {
		if r.Received.After(stopped) {
			afterStop++
		}
	}
	if afterStop == 0 || afterStop > workers {
		t.Errorf("%d requests were answered after SIGTERM, want the ones in flight (1 to %d): stop claiming, finish those", afterStop, workers)
	}
	sentBefore := len(seg.Requests())
	if sentBefore >= events {
		t.Fatalf("all %d were sent before the stop: the test stopped nothing", events)
	}

	p2 := serve(t, dir, env...)
	want := posts.keys(endpointID)
	waitFor(t, "every event after the restart", 30*time.Second, func() bool { return len(acceptedIDs(seg)) == len(want) })
	for k := range want {
		if !acceptedIDs(seg)[k] {
			t.Errorf("event with key %s never reached Segment", k)
		}
	}
	if d := seg.Duplicates(); len(d) != 0 {
		t.Errorf("%d duplicates after a graceful stop, want none: in-flight deliveries should have finished", len(d))
	}
	if code, err := p2.Terminate(15 * time.Second); err != nil || code != 0 {
		t.Errorf("second process: exit code %d, %v", code, err)
	}
	t.Logf("%d sent before the stop, %d answered after SIGTERM", sentBefore, afterStop)
}

// TestSIGKILLLosesNothing posts thousands of events while a slow
// destination receives them, kills hookbridge with SIGKILL a quarter of the
// way, restarts it and goes on posting: every event the API accepted
// arrives at least once, and every duplicate (a request in flight at the
// kill, sent again after the restart) carries the same idempotency
// key, so Segment counts it once.
func TestSIGKILLLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("posts 2000 events through a real process")
	}
	const (
		workers = 16
		events  = 2000
		posters = 8
	)
	seg := segmenttest.New(t, segmenttest.WithLatency(20*time.Millisecond))
	dir := t.TempDir()
	env := []string{
		"HOOKBRIDGE_HOST_OVERRIDES=api.segment.io=" + seg.URL, "HOOKBRIDGE_LOOPBACK_ONLY=true",
		fmt.Sprintf("HOOKBRIDGE_WORKERS=%d", workers),
		// A short lease, so that what the killed process held is taken up
		// again within the test's time.
		"HOOKBRIDGE_LEASE=3s",
		"HOOKBRIDGE_REQUEST_TIMEOUT=2s",
	}
	p := serve(t, dir, env...)
	endpointID := segmentEndpoint(t, p.URL, seg)

	var (
		posts  poster
		target atomic.Value // the URL of the node to post to
		done   = make(chan struct{})
	)
	target.Store(p.URL)
	go func() {
		defer close(done)
		posts.postAll(func() string { return target.Load().(string) }, events, posters)
	}()
	waitFor(t, "a quarter delivered", 30*time.Second, func() bool { return len(seg.Accepted()) >= events/4 })
	p.Kill()
	killedAt, acceptedAt := len(seg.Requests()), posts.count()
	if killedAt >= acceptedAt {
		t.Fatalf("everything was delivered before the kill: the test killed nothing in flight")
	}
	restarted := serve(t, dir, env...)
	target.Store(restarted.URL)
	<-done
	t.Logf("killed after %d requests with %d events accepted; %d accepted in all, %d refused (posted while no node ran)",
		killedAt, acceptedAt, posts.count(), posts.refused)
	want := posts.keys(endpointID)
	waitFor(t, "every accepted event after the restart", 45*time.Second, func() bool {
		got := acceptedIDs(seg)
		for k := range want {
			if !got[k] {
				return false
			}
		}
		return true
	})
	// A post in flight at the kill may have been stored without its 202
	// reaching the poster: it is delivered too. So Segment must hold
	// exactly the keys of the stored messages — no event lost, none sent
	// under a second key — and every duplicate must repeat one of them.
	stored := storedKeys(t, restarted.URL, endpointID)
	got := acceptedIDs(seg)
	if len(got) != len(stored) {
		t.Errorf("Segment holds %d distinct events for %d stored messages", len(got), len(stored))
	}
	for k := range got {
		if !stored[k] {
			t.Errorf("Segment holds key %q, which is no stored message's", k)
		}
	}
	dups := seg.Duplicates()
	for _, d := range dups {
		if !stored[d.MessageID] {
			t.Errorf("a duplicate carries the unknown key %q", d.MessageID)
		}
	}
	if len(dups) > workers {
		t.Errorf("%d duplicates, want at most the %d requests in flight at the kill", len(dups), workers)
	}
	t.Logf("%d events delivered, %d duplicates (in flight at the kill), all with their first key", len(want), len(dups))
}
