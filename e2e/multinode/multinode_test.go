package multinode

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/e2e/internal/realbin"
	"github.com/hookbridge/hookbridge/integration/segment/segmenttest"
	"github.com/hookbridge/hookbridge/postgres/pgtest"
)

const (
	adminToken = "hbk_multinode-admin-token-0123456789"
	// secretKey is the key ring every node shares: credentials sealed by
	// one node must open on the others.
	secretKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

	nodes          = 3
	workersPerNode = 4
	events         = 600
	// posters is how many events are posted at once.
	posters = 6
	// lease is short, a backstop behind the survivors' takeover of the
	// killed node's leases (TestDeadNodesLeasesTakenOver runs with the
	// default); the fake answers well within it.
	lease          = "3s"
	requestTimeout = "2s"
	latency        = 40 * time.Millisecond
)

// TestThreeNodesOneKilled runs three hookbridge processes on one fresh
// PostgreSQL database, posts events to all three in turn, kills one with
// SIGKILL halfway and goes on posting to the other two. Every event a node
// accepted (202) must reach Segment; the only duplicates may be requests
// the killed node had in flight, so no more than its workers, and each
// must carry the same idempotency key (Segment messageId) as the request
// it repeats, so that Segment counts the event once.
func TestThreeNodesOneKilled(t *testing.T) {
	dbURL := pgtest.FreshDatabase(t)
	bin := buildBinary(t)
	seg := segmenttest.New(t, segmenttest.WithLatency(latency))

	procs := startCluster(t, bin, dbURL, seg.URL)
	endpointID := createSegmentEndpoint(t, procs[0].URL, seg.Credentials())

	victim := procs[nodes-1]
	var (
		mu       sync.Mutex
		accepted = map[string]acceptedEvent{} // by idempotency key
		refused  int
		killed   = make(chan struct{})
		next     = make(chan int)
		wg       sync.WaitGroup
	)
	go func() {
		defer close(next)
		for i := range events {
			if i == events/2 {
				victim.Kill()
				close(killed)
				t.Logf("killed %s after %d events were handed out", victim.Name, i)
			}
			next <- i
		}
	}()
	for range posters {
		wg.Go(func() {
			for i := range next {
				target := procs[i%nodes]
				select {
				case <-killed:
					target = procs[i%(nodes-1)] // only the survivors
				default:
				}
				ev, err := postEvent(target.URL, i)
				mu.Lock()
				if err != nil {
					refused++
					if refused <= 3 {
						t.Logf("post %d to %s: %v", i, target.Name, err)
					}
				} else {
					ev.key = hookbridge.IdempotencyKey(ev.ID, endpointID, ev.CreatedAt)
					accepted[ev.key] = ev
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if refused > posters {
		t.Errorf("%d posts failed; only those in flight to the killed node (at most %d) may", refused, posters)
	}
	t.Logf("%d events accepted, %d posts cut off by the kill", len(accepted), refused)

	waitDelivered(t, seg, accepted, 40*time.Second)
	checkDuplicates(t, seg, accepted)
}

// startCluster starts the nodes at once, as a deployment would: they
// migrate the fresh database together.
func startCluster(t *testing.T, bin, dbURL, segmentURL string) []*realbin.Process {
	t.Helper()
	procs := make([]*realbin.Process, nodes)
	var wg sync.WaitGroup
	for i := range procs {
		wg.Go(func() {
			procs[i] = realbin.Start(t, bin, "node"+strconv.Itoa(i), []string{
				"HOOKBRIDGE_ADDR=127.0.0.1:0",
				"HOOKBRIDGE_DATA_DIR=" + t.TempDir(),
				"HOOKBRIDGE_DATABASE_URL=" + dbURL,
				"HOOKBRIDGE_SECRET_KEY=" + secretKey,
				"HOOKBRIDGE_ADMIN_TOKEN=" + adminToken,
				"HOOKBRIDGE_HOST_OVERRIDES=api.segment.io=" + segmentURL, "HOOKBRIDGE_LOOPBACK_ONLY=true",
				"HOOKBRIDGE_WORKERS=" + strconv.Itoa(workersPerNode),
				"HOOKBRIDGE_LEASE=" + lease,
				"HOOKBRIDGE_REQUEST_TIMEOUT=" + requestTimeout,
				"HOOKBRIDGE_LOG_LEVEL=info",
				// The test posts faster than the API's default per-token limit.
				"HOOKBRIDGE_API_RATE_LIMIT=0",
			})
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	return procs
}

func createSegmentEndpoint(t *testing.T, baseURL string, creds hookbridge.Credentials) string {
	t.Helper()
	var ep struct{ ID string }
	status, body, err := call(baseURL, "POST", "/api/v1/apps/default/endpoints", map[string]any{
		"name": "Segment", "integration": "segment", "template": "payment-events", "credentials": creds,
	}, &ep)
	if err != nil || status != http.StatusCreated || ep.ID == "" {
		t.Fatalf("create endpoint: %d %v %s", status, err, body)
	}
	return ep.ID
}

// acceptedEvent is a node's answer to a posted event.
type acceptedEvent struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
	paymentID string
	key       string
}

// postEvent posts event i, a payment.succeeded with its own event id and
// payment id, and returns the answer if it was accepted.
func postEvent(baseURL string, i int) (acceptedEvent, error) {
	paymentID := fmt.Sprintf("pay_multinode_%04d", i)
	payload, err := samplePayment(paymentID)
	if err != nil {
		return acceptedEvent{}, err
	}
	var ev acceptedEvent
	status, body, err := call(baseURL, "POST", "/api/v1/apps/default/messages", map[string]any{
		"event_type": "payment.succeeded", "event_id": fmt.Sprintf("evt_multinode_%04d", i), "payload": payload,
	}, &ev)
	if err != nil {
		return acceptedEvent{}, err
	}
	if status != http.StatusAccepted {
		return acceptedEvent{}, fmt.Errorf("post event %d: %d %s", i, status, body)
	}
	ev.paymentID = paymentID
	return ev, nil
}

// samplePayment is the catalogue's payment.succeeded with its own payment
// id.
func samplePayment(paymentID string) (json.RawMessage, error) {
	et, ok := catalog.Lookup("payment.succeeded")
	if !ok {
		return nil, fmt.Errorf("payment.succeeded is not in the catalogue")
	}
	var envelope map[string]any
	if err := json.Unmarshal(et.Sample, &envelope); err != nil {
		return nil, err
	}
	data, ok := envelope["data"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("payment.succeeded sample has no data object")
	}
	data["payment_id"] = paymentID
	return json.Marshal(envelope)
}

var client = &http.Client{Timeout: 10 * time.Second}

// call makes an API request with the admin token and decodes a JSON
// answer into out.
func call(baseURL, method, path string, in, out any) (int, []byte, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequest(method, baseURL+path, bytes.NewReader(b))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, body, err
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(body, out); err != nil {
			return resp.StatusCode, body, fmt.Errorf("decode %s: %w", body, err)
		}
	}
	return resp.StatusCode, body, nil
}

// waitDelivered waits until Segment has accepted a call with the key of
// every accepted event.
func waitDelivered(t *testing.T, seg *segmenttest.Server, accepted map[string]acceptedEvent, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		missing := 0
		seen := map[string]bool{}
		for _, e := range seg.Accepted() {
			seen[e.MessageID] = true
		}
		for key := range accepted {
			if !seen[key] {
				missing++
			}
		}
		if missing == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d accepted events never reached Segment within %v (dropped: %d)",
				missing, len(accepted), within, len(seg.Dropped()))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkDuplicates checks that Segment saw few duplicates, and each with
// the key and the content of the call it repeats.
func checkDuplicates(t *testing.T, seg *segmenttest.Server, accepted map[string]acceptedEvent) {
	t.Helper()
	dups := seg.Duplicates()
	t.Logf("Segment accepted %d calls and saw %d duplicates", len(seg.Accepted()), len(dups))
	if len(dups) > workersPerNode {
		t.Errorf("%d duplicates; at most %d (the killed node's requests in flight) may be", len(dups), workersPerNode)
	}
	for _, d := range dups {
		ev, ok := accepted[d.MessageID]
		if !ok {
			t.Errorf("a duplicate carries messageId %q, the key of no accepted event", d.MessageID)
			continue
		}
		if got := paymentIDOf(d); got != ev.paymentID {
			t.Errorf("duplicate with key %s is payment %q, but that key belongs to payment %q", d.MessageID, got, ev.paymentID)
		}
	}
	for _, e := range seg.Accepted() {
		if ev, ok := accepted[e.MessageID]; ok && paymentIDOf(e) != ev.paymentID {
			t.Errorf("call with key %s is payment %q, want %q", e.MessageID, paymentIDOf(e), ev.paymentID)
		}
	}
}

func paymentIDOf(e segmenttest.Event) string {
	props, _ := e.Body["properties"].(map[string]any)
	id, _ := props["payment_id"].(string)
	return id
}
