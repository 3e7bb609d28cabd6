package multinode

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/e2e/internal/realbin"
	"github.com/hookbridge/hookbridge/e2e/internal/receiver"
	"github.com/hookbridge/hookbridge/postgres/pgtest"
)

// TestDeadNodesLeasesTakenOver runs three nodes on one fresh PostgreSQL
// database with the default two-minute lease, delivering to a plain
// webhook receiver under load. One node is killed (SIGKILL), another
// paused (SIGSTOP) for 20 s and then resumed (SIGCONT). The survivor takes
// over both nodes' leases once they have not beaten for 10 s: the requests
// the kill cut off are sent again within 15 s of it, not after the lease.
// The paused node, resumed, finds its leases taken: it records no outcome
// over the new holder's (every delivery ends with exactly one recorded
// attempt), beats again and goes on delivering. Every event arrives at
// least once; duplicates carry the key of the event they repeat.
func TestDeadNodesLeasesTakenOver(t *testing.T) {
	const (
		events  = 400
		latency = 250 * time.Millisecond
		pause   = 20 * time.Second
		// resendWithin is the loose bound; the benchmark
		// (docs/benchmarks.md, "Crash recovery") measures it precisely.
		resendWithin = 20 * time.Second
	)
	dbURL := pgtest.FreshDatabase(t)
	bin := buildBinary(t)
	rcv := receiver.New(t, latency)
	procs := startNodes(t, bin, dbURL)
	survivor, paused, victim := procs[0], procs[1], procs[2]
	endpointID := createWebhookEndpoint(t, survivor.URL, rcv.URL)

	var (
		mu       sync.Mutex
		accepted = map[string]acceptedEvent{} // by idempotency key
		refused  int
		healthy  atomic.Bool // all three nodes take posts
		wg       sync.WaitGroup
		next     = make(chan int)
	)
	healthy.Store(true)
	for range posters {
		wg.Go(func() {
			for i := range next {
				target := survivor
				if healthy.Load() {
					target = procs[i%nodes]
				}
				ev, err := postEvent(target.URL, i)
				mu.Lock()
				if err != nil {
					refused++
				} else {
					ev.key = hookbridge.IdempotencyKey(ev.ID, endpointID, ev.CreatedAt)
					accepted[ev.key] = ev
				}
				mu.Unlock()
			}
		})
	}
	for i := range events / 2 {
		next <- i
	}
	waitUntil(t, "deliveries under way on every node", 30*time.Second, func() bool { return len(rcv.Hits()) >= 60 })
	healthy.Store(false)
	if err := paused.Stop(); err != nil {
		t.Fatal(err)
	}
	pausedAt := time.Now()
	victim.Kill()
	killedAt := time.Now()
	t.Logf("paused %s and killed %s after %d requests", paused.Name, victim.Name, len(rcv.Hits()))
	for i := events / 2; i < events; i++ {
		next <- i
	}

	time.Sleep(time.Until(pausedAt.Add(pause)))
	if err := paused.Continue(); err != nil {
		t.Fatal(err)
	}
	close(next)
	wg.Wait()
	t.Logf("%d events accepted, %d posts cut off", len(accepted), refused)

	waitUntil(t, "every accepted event at the receiver", 40*time.Second, func() bool {
		got := rcv.Keys()
		for k := range accepted {
			if got[k] == 0 {
				return false
			}
		}
		return true
	})
	checkKilledResentSoon(t, rcv, killedAt, resendWithin)
	for key := range rcv.Keys() {
		if _, ok := accepted[key]; !ok && refused == 0 {
			t.Errorf("the receiver got key %s, which is no accepted event's", key)
		}
	}
	t.Logf("%d events, %d requests, %d duplicates", len(accepted), len(rcv.Hits()), rcv.Duplicates())

	checkOneAttemptEach(t, survivor.URL, rcv, accepted)
	checkPausedNodeGoesOn(t, paused, rcv, endpointID)
	checkNodeList(t, survivor.URL, map[int]bool{survivor.PID(): true, paused.PID(): true, victim.PID(): false})
}

// startNodes starts the nodes at once on dbURL with the default lease
// (two minutes) and four workers each, any of which may send to the one
// endpoint: every node has requests in flight while a backlog lasts.
func startNodes(t *testing.T, bin, dbURL string) []*realbin.Process {
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
				"HOOKBRIDGE_ALLOW_PRIVATE_DESTINATIONS=true",
				"HOOKBRIDGE_WORKERS=" + strconv.Itoa(workersPerNode),
				"HOOKBRIDGE_ENDPOINT_CONCURRENCY=" + strconv.Itoa(nodes*workersPerNode),
				"HOOKBRIDGE_LEASE=2m",
				"HOOKBRIDGE_LOG_LEVEL=info",
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

func createWebhookEndpoint(t *testing.T, baseURL, url string) string {
	t.Helper()
	var ep struct{ ID string }
	status, body, err := call(baseURL, "POST", "/api/v1/apps/default/endpoints", map[string]any{
		"name": "Receiver", "integration": "webhook", "url": url,
	}, &ep)
	if err != nil || status != http.StatusCreated || ep.ID == "" {
		t.Fatalf("create endpoint: %d %v %s", status, err, body)
	}
	return ep.ID
}

func waitUntil(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", within, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkKilledResentSoon: the requests the kill cut off were sent again
// within bound of it.
func checkKilledResentSoon(t *testing.T, rcv *receiver.Receiver, killedAt time.Time, bound time.Duration) {
	t.Helper()
	resent := rcv.ResentAfter(killedAt, killedAt)
	if len(resent) == 0 {
		t.Fatal("no request was cut off by the kill: the test killed nothing in flight")
	}
	var slowest time.Duration
	for key, at := range resent {
		if at.IsZero() {
			t.Errorf("request with key %s, cut off by the kill, was never sent again", key)
			continue
		}
		slowest = max(slowest, at.Sub(killedAt))
	}
	if slowest > bound {
		t.Errorf("requests cut off by the kill were sent again up to %v after it, want within %v", slowest, bound)
	}
	t.Logf("%d requests cut off by the kill, sent again within %v of it", len(resent), slowest.Round(time.Millisecond))
}

// checkOneAttemptEach: every delivery of a key sent more than once ends
// succeeded with exactly one recorded attempt — the paused node's late
// outcome was refused, not recorded over the new holder's.
func checkOneAttemptEach(t *testing.T, baseURL string, rcv *receiver.Receiver, accepted map[string]acceptedEvent) {
	t.Helper()
	checked := 0
	for key, n := range rcv.Keys() {
		ev, ok := accepted[key]
		if n < 2 || !ok {
			continue
		}
		var msg struct {
			Deliveries []struct {
				ID       string `json:"id"`
				Status   string `json:"status"`
				Attempts int    `json:"attempts"`
			} `json:"deliveries"`
		}
		status, body, err := call(baseURL, "GET", "/api/v1/apps/default/messages/"+ev.ID, nil, &msg)
		if err != nil || status != http.StatusOK || len(msg.Deliveries) != 1 {
			t.Fatalf("get message %s: %d %v %s", ev.ID, status, err, body)
		}
		d := msg.Deliveries[0]
		if d.Status != "succeeded" || d.Attempts != 1 {
			t.Errorf("delivery %s, sent %d times: %s with %d attempts recorded, want succeeded with 1", d.ID, n, d.Status, d.Attempts)
		}
		checked++
	}
	t.Logf("checked the recorded attempts of %d deliveries sent more than once", checked)
}

// checkPausedNodeGoesOn: the resumed node takes posts again and its
// deliveries arrive.
func checkPausedNodeGoesOn(t *testing.T, paused *realbin.Process, rcv *receiver.Receiver, endpointID string) {
	t.Helper()
	ev, err := postEvent(paused.URL, 10_000)
	if err != nil {
		t.Fatalf("post to the resumed node: %v", err)
	}
	key := hookbridge.IdempotencyKey(ev.ID, endpointID, ev.CreatedAt)
	waitUntil(t, "the resumed node's event at the receiver", 15*time.Second, func() bool { return rcv.Keys()[key] > 0 })
	if log := paused.Log(); strings.Contains(log, "lease lost") {
		t.Logf("the resumed node found leases taken over: %d outcomes refused", strings.Count(log, "lease lost"))
	}
}

// checkNodeList: GET /api/v1/nodes lists each node by pid, alive as want
// says, once the resumed node has beaten again.
func checkNodeList(t *testing.T, baseURL string, want map[int]bool) {
	t.Helper()
	var got map[int]bool
	listed := func() bool {
		var list struct {
			Data []struct {
				PID   int  `json:"pid"`
				Alive bool `json:"alive"`
			} `json:"data"`
		}
		status, _, err := call(baseURL, "GET", "/api/v1/nodes", nil, &list)
		if err != nil || status != http.StatusOK {
			return false
		}
		got = map[int]bool{}
		for _, n := range list.Data {
			got[n.PID] = n.Alive
		}
		return fmt.Sprint(got) == fmt.Sprint(want)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !listed() && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("nodes listed (pid: alive) %v, want %v", got, want)
	}
}
