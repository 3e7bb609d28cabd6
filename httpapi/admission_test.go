package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/admission"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/httpapi"
	"github.com/hookbridge/hookbridge/integration/builtin"
	"github.com/hookbridge/hookbridge/js"
	"github.com/hookbridge/hookbridge/sqlite"
	"github.com/hookbridge/hookbridge/storetest"
)

// hostileCode keeps about 30 MB and spins until its time limit stops it.
const hostileCode = `function handler(webhook) {
  var kept = [];
  for (;;) { if (kept.length < 200) kept.push(new Array(10000).fill(kept.length)); }
}`

// cheapCode is an ordinary transformation.
const cheapCode = `function handler(webhook) { webhook.payload.seen = true; return webhook }`

// runCounter is a Transformer that counts the runs in progress, all and
// those of hostileCode, and keeps the most seen at once.
type runCounter struct {
	hookbridge.Transformer

	mu                       sync.Mutex
	running, hostile         int
	mostRunning, mostHostile int
}

func (c *runCounter) Transform(ctx context.Context, key, code string, in hookbridge.TransformInput) (*hookbridge.TransformOutput, error) {
	c.count(code, 1)
	defer c.count(code, -1)
	return c.Transformer.Transform(ctx, key, code, in)
}

func (c *runCounter) count(code string, delta int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.running += delta
	c.mostRunning = max(c.mostRunning, c.running)
	if code == hostileCode {
		c.hostile += delta
		c.mostHostile = max(c.mostHostile, c.hostile)
	}
}

// hostileNow is how many runs of hostileCode are in progress.
func (c *runCounter) hostileNow() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hostile
}

func (c *runCounter) most() (running, hostile int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mostRunning, c.mostHostile
}

// tenants is the API on a real port, over SQLite, with two apps, hostile
// and quiet, and a token for each.
type tenants struct {
	url    string
	gate   *admission.Gate
	runs   *runCounter
	tokens map[string]string
}

// newTenants starts the API; a nil gate admits every run at once.
func newTenants(tb testing.TB, gate *admission.Gate, timeLimit, admissionWait time.Duration) *tenants {
	tb.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "hookbridge.db"), storetest.NewTestCipher())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	tn := &tenants{gate: gate, runs: &runCounter{Transformer: js.New(js.Options{Timeout: timeLimit})}, tokens: map[string]string{}}
	now := time.Now()
	for _, app := range []string{"hostile", "quiet"} {
		if err := store.CreateApp(ctx, &hookbridge.App{ID: app, Name: app, CreatedAt: now}); err != nil {
			tb.Fatal(err)
		}
		secret, tok, err := httpapi.NewToken(app, "test", now)
		if err != nil {
			tb.Fatal(err)
		}
		if err := store.CreateToken(ctx, tok); err != nil {
			tb.Fatal(err)
		}
		tn.tokens[app] = secret
	}
	srv := httptest.NewServer(httpapi.New(httpapi.Config{
		Store:         store,
		Integrations:  hookbridge.NewIntegrations(builtin.All()...),
		EventTypes:    catalog.All(),
		Transformer:   tn.runs,
		Admission:     gate,
		AdmissionWait: admissionWait,
	}))
	tb.Cleanup(srv.Close)
	tn.url = srv.URL
	return tn
}

// answer is what a call got.
type answer struct {
	status     int
	retryAfter string
	body       map[string]any
	took       time.Duration
}

// call makes an API call as app.
func (tn *tenants) call(tb testing.TB, app, method, path string, body any) answer {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, tn.url+path, rd)
	if err != nil {
		tb.Error(err)
		return answer{}
	}
	req.Header.Set("Authorization", "Bearer "+tn.tokens[app])
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Error(err)
		return answer{}
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After")}
	_ = json.NewDecoder(resp.Body).Decode(&a.body)
	a.took = time.Since(start)
	return a
}

// testRun runs code through POST …/transformations/test as app.
func (tn *tenants) testRun(tb testing.TB, app, code string) answer {
	return tn.call(tb, app, "POST", "/api/v1/apps/"+app+"/transformations/test", map[string]any{
		"event_type": "payment.succeeded", "code": code, "url": "https://hooks.example.com/in",
	})
}

// hostileRuns starts n test runs of hostileCode at once; their answers
// arrive on the channel returned, which is closed after the last.
func (tn *tenants) hostileRuns(tb testing.TB, n int) <-chan answer {
	out := make(chan answer, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() { out <- tn.testRun(tb, "hostile", hostileCode) })
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// TestOtherAppsStayPromptWhileOneRunsHostileCode: one app starts twenty
// test runs of code that holds memory and spins until its time limit, all
// at once. They run one at a time (the app's limit), the rest wait and,
// past the admission wait, are answered 429 with Retry-After. Meanwhile
// another app's calls — reading its endpoints, and test runs of ordinary
// code — are admitted ahead of the hostile queue and answer well within
// one hostile run's time limit.
func TestOtherAppsStayPromptWhileOneRunsHostileCode(t *testing.T) {
	const timeLimit = 2 * time.Second
	gate, err := admission.New(admission.Limits{Runs: 2, RunsPerApp: 1})
	if err != nil {
		t.Fatal(err)
	}
	tn := newTenants(t, gate, timeLimit, 4*time.Second)
	hostile := tn.hostileRuns(t, 20)
	deadline := time.Now().Add(10 * time.Second)
	for tn.runs.hostileNow()+gate.AppLoad("hostile").Waiting < 10 {
		if time.Now().After(deadline) {
			t.Fatalf("the hostile runs never started: %d in progress, %+v", tn.runs.hostileNow(), gate.AppLoad("hostile"))
		}
		time.Sleep(time.Millisecond)
	}

	var slowest time.Duration
	measured := 0
	for ; measured < 10 && tn.runs.hostileNow() > 0; measured++ {
		if a := tn.call(t, "quiet", "GET", "/api/v1/apps/quiet/endpoints", nil); a.status != http.StatusOK {
			t.Fatalf("GET endpoints of the quiet app: %d %v", a.status, a.body)
		} else {
			slowest = max(slowest, a.took)
		}
		a := tn.testRun(t, "quiet", cheapCode)
		if a.status != http.StatusOK || a.body["status"] != "ready" {
			t.Fatalf("test run of the quiet app: %d %v", a.status, a.body)
		}
		slowest = max(slowest, a.took)
	}
	if measured < 2 {
		t.Errorf("only %d rounds of the quiet app's calls ran while hostile runs were in progress", measured)
	}
	t.Logf("%d rounds under load; the slowest call took %v", measured, slowest)
	if slowest >= timeLimit/2 {
		t.Errorf("the quiet app's slowest call took %v, want well under the %v a hostile run takes", slowest, timeLimit)
	}

	refused := 0
	for a := range hostile {
		switch a.status {
		case http.StatusOK: // run, and stopped by its limits
		case http.StatusTooManyRequests:
			refused++
			if a.retryAfter == "" || errorCode(a.body) != "too_many_transformations" {
				t.Errorf("a hostile run not admitted: Retry-After %q, body %v", a.retryAfter, a.body)
			}
		default:
			t.Errorf("a hostile run answered %d %v", a.status, a.body)
		}
	}
	if refused == 0 {
		t.Error("all twenty hostile runs were admitted within the wait")
	}
	if running, hostileRunning := tn.runs.most(); running > 2 || hostileRunning > 1 {
		t.Errorf("up to %d runs at once, %d of them hostile; want at most 2, 1 of one app", running, hostileRunning)
	}
}

// TestNotAdmittedAnswers: a test run or an endpoint's code check that
// cannot be admitted within the wait is answered 429 when its app's own
// runs hold it back and 503 when the server's do, both with Retry-After
// and a message that says which limit is spent.
func TestNotAdmittedAnswers(t *testing.T) {
	gate, err := admission.New(admission.Limits{Runs: 2, RunsPerApp: 1})
	if err != nil {
		t.Fatal(err)
	}
	tn := newTenants(t, gate, time.Second, 20*time.Millisecond)
	own, err := gate.Admit(t.Context(), "quiet", "ep_other", 0)
	if err != nil {
		t.Fatal(err)
	}
	endpoint := map[string]any{"integration": "webhook", "url": "https://hooks.example.com/in",
		"transformation": map[string]any{"code": cheapCode}}
	for name, a := range map[string]answer{
		"test run":      tn.testRun(t, "quiet", cheapCode),
		"endpoint code": tn.call(t, "quiet", "POST", "/api/v1/apps/quiet/endpoints", endpoint),
	} {
		if a.status != http.StatusTooManyRequests || a.retryAfter != "1" || errorCode(a.body) != "too_many_transformations" {
			t.Errorf("%s while the app's one run is in progress: %d, Retry-After %q, %v", name, a.status, a.retryAfter, a.body)
		}
	}
	other, err := gate.Admit(t.Context(), "another", "ep_other", 0)
	if err != nil {
		t.Fatal(err)
	}
	a := tn.testRun(t, "hostile", cheapCode)
	if a.status != http.StatusServiceUnavailable || a.retryAfter != "1" || errorCode(a.body) != "transformations_busy" {
		t.Errorf("test run while the server's runs are all in progress: %d, Retry-After %q, %v", a.status, a.retryAfter, a.body)
	}
	own()
	other()
	created := tn.call(t, "quiet", "POST", "/api/v1/apps/quiet/endpoints", endpoint)
	if created.status != http.StatusCreated {
		t.Fatalf("endpoint with code once admitted: %d %v", created.status, created.body)
	}

	// A change that leaves the code as it is neither runs it nor waits:
	// an endpoint can be disabled while its app's runs are all busy.
	own, err = gate.Admit(t.Context(), "quiet", "ep_other", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer own()
	path := "/api/v1/apps/quiet/endpoints/" + created.body["id"].(string)
	if a := tn.call(t, "quiet", "PATCH", path, map[string]any{"disabled": true}); a.status != http.StatusOK {
		t.Errorf("disabling an endpoint while its app's run is in progress: %d %v", a.status, a.body)
	}
	changed := map[string]any{"transformation": map[string]any{"code": cheapCode + "\n"}}
	if a := tn.call(t, "quiet", "PATCH", path, changed); a.status != http.StatusTooManyRequests {
		t.Errorf("changing its code meanwhile: %d %v, want 429", a.status, a.body)
	}
}
