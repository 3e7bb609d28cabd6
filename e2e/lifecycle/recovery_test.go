package lifecycle

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge/e2e/internal/realbin"
	"github.com/hookbridge/hookbridge/e2e/internal/receiver"
)

// webhookEndpoint creates a plain webhook endpoint to url and returns its
// id.
func webhookEndpoint(t *testing.T, base, url string) string {
	t.Helper()
	var ep struct {
		ID string `json:"id"`
	}
	status, err := call(base, "POST", "/api/v1/apps/default/endpoints", map[string]any{
		"name": "Receiver", "integration": "webhook", "url": url,
	}, &ep)
	if err != nil || status != http.StatusCreated {
		t.Fatalf("create endpoint: %d %v", status, err)
	}
	return ep.ID
}

// TestSIGKILLResendsInFlightAtOnce kills hookbridge with SIGKILL while it
// delivers under load, with the default two-minute lease, and restarts it
// on the same data directory: the restarted process holds the directory
// alone, so it takes back at once every lease its predecessor left, and
// the requests cut off by the kill are sent again within seconds of the
// restart (not after the lease), each under the key it had. A second serve
// on the directory meanwhile is refused, naming the holder's pid, and the
// node list shows the one process.
func TestSIGKILLResendsInFlightAtOnce(t *testing.T) {
	const (
		workers = 8
		events  = 300
		posters = 6
		latency = 300 * time.Millisecond
		// resendWithin is the loose bound; the benchmark
		// (docs/benchmarks.md, "Crash recovery") measures it precisely.
		resendWithin = 15 * time.Second
	)
	rcv := receiver.New(t, latency)
	dir := t.TempDir()
	env := []string{
		"HOOKBRIDGE_ALLOW_PRIVATE_DESTINATIONS=true",
		"HOOKBRIDGE_WORKERS=" + strconv.Itoa(workers),
		"HOOKBRIDGE_LEASE=2m",
	}
	p := serve(t, dir, env...)
	endpointID := webhookEndpoint(t, p.URL, rcv.URL)

	var (
		posts  poster
		target atomic.Value
		done   = make(chan struct{})
	)
	target.Store(p.URL)
	go func() {
		defer close(done)
		posts.postAll(func() string { return target.Load().(string) }, events, posters)
	}()
	waitFor(t, "deliveries under way", 30*time.Second, func() bool { return len(rcv.Hits()) >= 40 })
	p.Kill()
	killed := time.Now()

	restarting := time.Now()
	restarted := serve(t, dir, env...)
	listening := time.Now()
	target.Store(restarted.URL)
	<-done

	want := storedKeys(t, restarted.URL, endpointID)
	waitFor(t, "every stored event at the receiver", 45*time.Second, func() bool {
		got := rcv.Keys()
		for k := range want {
			if got[k] == 0 {
				return false
			}
		}
		return true
	})
	resent := rcv.ResentAfter(killed, killed)
	if len(resent) == 0 {
		t.Fatal("no request was cut off by the kill: the test killed nothing in flight")
	}
	var slowest time.Duration
	for key, at := range resent {
		if !want[key] {
			t.Errorf("cut-off request with key %s is no stored message's", key)
		}
		if d := at.Sub(listening); d > slowest {
			slowest = d
		}
	}
	if slowest > resendWithin {
		t.Errorf("requests cut off by the kill were sent again up to %v after the restart, want within %v", slowest, resendWithin)
	}
	for key := range rcv.Keys() {
		if !want[key] {
			t.Errorf("the receiver got key %s, which is no stored message's", key)
		}
	}
	t.Logf("%d requests cut off by the kill, all sent again within %v of the restart listening (%v after it was started, %v after the kill); %d events, %d duplicates",
		len(resent), slowest.Round(time.Millisecond), (slowest + listening.Sub(restarting)).Round(time.Millisecond),
		(slowest + listening.Sub(killed)).Round(time.Millisecond), len(want), rcv.Duplicates())

	checkSecondServeRefused(t, dir, restarted)
	checkOneNodeListed(t, restarted)
}

// checkSecondServeRefused starts another serve on the held data directory:
// it must exit with an error naming the holder's pid.
func checkSecondServeRefused(t *testing.T, dir string, holder *realbin.Process) {
	t.Helper()
	code, out, err := realbin.RunToExit(binary, []string{
		"HOOKBRIDGE_ADDR=127.0.0.1:0", "HOOKBRIDGE_DATA_DIR=" + dir, "HOOKBRIDGE_ADMIN_TOKEN=" + adminToken,
	}, 30*time.Second)
	if err != nil {
		t.Fatalf("second serve on a held data directory: %v\n%s", err, out)
	}
	if code == 0 || !strings.Contains(out, fmt.Sprintf("process %d", holder.PID())) {
		t.Errorf("second serve on a held data directory: exit code %d, output %q; want a refusal naming pid %d", code, out, holder.PID())
	}
}

// checkOneNodeListed asks the node list of an SQLite process: itself, alive.
func checkOneNodeListed(t *testing.T, p *realbin.Process) {
	t.Helper()
	var list struct {
		Data []struct {
			PID   int  `json:"pid"`
			Alive bool `json:"alive"`
		} `json:"data"`
	}
	status, err := call(p.URL, "GET", "/api/v1/nodes", nil, &list)
	if err != nil || status != http.StatusOK {
		t.Fatalf("list nodes: %d %v", status, err)
	}
	if len(list.Data) != 1 || list.Data[0].PID != p.PID() || !list.Data[0].Alive {
		t.Errorf("nodes listed: %+v, want only this process (pid %d), alive", list.Data, p.PID())
	}
}
