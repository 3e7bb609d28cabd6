package browser_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/httpapi"
	"github.com/hookbridge/hookbridge/integration/customerio/customeriotest"
	"github.com/hookbridge/hookbridge/integration/discord/discordtest"
	"github.com/hookbridge/hookbridge/integration/resend/resendtest"
	"github.com/hookbridge/hookbridge/integration/segment/segmenttest"
	"github.com/hookbridge/hookbridge/integration/slack/slacktest"
	"github.com/hookbridge/hookbridge/integration/zapier/zapiertest"
	"github.com/hookbridge/hookbridge/node"
)

const (
	adminToken = "e2e-admin-token-0123456789abcdef"
	// defaultChromium is Debian's Chromium; HOOKBRIDGE_CHROMIUM names another.
	defaultChromium = "/usr/bin/chromium"
	// stepTimeout bounds each browser step; a step that waits longer has
	// found a bug, and the whole suite must stay well under a minute.
	stepTimeout = 15 * time.Second
)

// env is one running hookbridge with its fake destinations.
type env struct {
	baseURL  string
	segment  *segmenttest.Server
	customer *customeriotest.Server
	discord  *discordtest.Server
	slack    *slacktest.Server
	zapier   *zapiertest.Server
	resend   *resendtest.Server
	// slackOAuthWebhook is the webhook URL "Add to Slack" gives.
	slackOAuthWebhook string
	receiver          *receiver
	// posted counts the events posted through the API.
	posted int
	node   *node.Node
}

// receiver is a plain webhook endpoint on loopback that keeps what it
// receives.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	received []receivedWebhook
}

type receivedWebhook struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.received = append(r.received, receivedWebhook{header: req.Header.Clone(), body: body})
		r.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) all() []receivedWebhook {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.received)
}

// startHookbridge runs a whole node in-process on a loopback port, with
// the API hosts of Segment, Customer.io, Discord, Slack, Zapier and
// Resend pointed at fakes and a retry
// schedule short enough to see a delivery fail for good within a second.
func startHookbridge(t *testing.T) *env {
	t.Helper()
	seg := segmenttest.New(t)
	cio := customeriotest.New(t)
	dsc := discordtest.New(t)
	slk := slacktest.New(t)
	zap := zapiertest.New(t)
	rsd := resendtest.New(t)
	oauthWebhook := slk.AddWebhook("#alerts")
	oauth := newSlackOAuth(t, oauthWebhook)
	rcv := newReceiver(t)
	overrides := map[string]*url.URL{}
	for host, fake := range map[string]string{
		"api.segment.io":    seg.URL,
		"track.customer.io": cio.URL,
		"discord.com":       dsc.URL,
		"hooks.slack.com":   slk.URL,
		"hooks.zapier.com":  zap.URL,
		"api.resend.com":    rsd.URL,
		"slack.com":         oauth.URL,
	} {
		u, err := url.Parse(fake)
		if err != nil {
			t.Fatal(err)
		}
		overrides[host] = u
	}
	ctx, cancel := context.WithCancel(context.Background())
	n, err := node.Open(ctx, node.Config{
		DataDir:       t.TempDir(),
		AdminToken:    adminToken,
		HostOverrides: overrides,
		SlackOAuth:    node.SlackOAuth{ClientID: slackClientID, ClientSecret: slackClientSecret},
		LoopbackOnly:  true,
		// The plain webhook receiver listens on loopback.
		AllowPrivate:  true,
		Retry:         delivery.RetryPolicy{Schedule: []time.Duration{0, 150 * time.Millisecond}},
		PollInterval:  50 * time.Millisecond,
		ShutdownGrace: time.Second,
	})
	if err != nil {
		cancel()
		t.Fatalf("open node: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- n.Run(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("node stopped with: %v", err)
		}
		if err := n.Close(); err != nil {
			t.Errorf("close node: %v", err)
		}
	})
	return &env{baseURL: "http://" + ln.Addr().String(), segment: seg, customer: cio, discord: dsc, slack: slk, zapier: zap, resend: rsd, slackOAuthWebhook: oauthWebhook, receiver: rcv, node: n}
}

// api calls the JSON API with the admin token, as a program would.
func (e *env) api(t *testing.T, method, path string, body any, out any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.baseURL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
}

// appToken creates an app and a token that sees only that app.
func (e *env) appToken(t *testing.T, appID string) string {
	t.Helper()
	e.api(t, http.MethodPost, "/api/v1/apps", map[string]string{"id": appID, "name": "Acme"}, nil)
	secret, tok, err := httpapi.NewToken(appID, "acme dashboard", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.node.Store.CreateToken(context.Background(), tok); err != nil {
		t.Fatalf("store app token: %v", err)
	}
	return secret
}

// sample returns the catalogue's sample payload of an event type.
func (e *env) sample(t *testing.T, eventType string) json.RawMessage {
	t.Helper()
	var et struct {
		Sample json.RawMessage `json:"sample"`
	}
	e.api(t, http.MethodGet, "/api/v1/event-types/"+eventType, nil, &et)
	return et.Sample
}

// postEvent sends an event to the default app through the API.
func (e *env) postEvent(t *testing.T, eventType string) string {
	t.Helper()
	var msg struct {
		ID string `json:"id"`
	}
	e.api(t, http.MethodPost, "/api/v1/apps/default/messages",
		map[string]any{"event_type": eventType, "payload": e.sample(t, eventType)}, &msg)
	e.posted++
	return msg.ID
}

// browser is one headless Chromium tab.
type browser struct {
	ctx         context.Context
	screenshots string
}

// pageProbe runs in the page before its own scripts: it records uncaught
// errors and Content-Security-Policy violations, and accepts confirm()
// dialogs as a person clicking OK would.
const pageProbe = `
window.__hbProblems = [];
window.addEventListener("error", (e) => window.__hbProblems.push("error: " + e.message));
window.addEventListener("unhandledrejection", (e) => window.__hbProblems.push("unhandled rejection: " + (e.reason && e.reason.message || e.reason)));
document.addEventListener("securitypolicyviolation", (e) => window.__hbProblems.push("CSP violation: " + e.violatedDirective + " " + e.blockedURI));
window.confirm = () => true;
`

// startBrowser starts Chromium, or skips the test when it is not installed
// (fails instead when HOOKBRIDGE_REQUIRE_CHROMIUM=1).
func startBrowser(t *testing.T) *browser {
	t.Helper()
	chromium := os.Getenv("HOOKBRIDGE_CHROMIUM")
	if chromium == "" {
		chromium = defaultChromium
	}
	if _, err := exec.LookPath(chromium); err != nil {
		msg := fmt.Sprintf("browser tests need Chromium at %s (apt-get install chromium, or set HOOKBRIDGE_CHROMIUM): %v", chromium, err)
		if os.Getenv("HOOKBRIDGE_REQUIRE_CHROMIUM") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: pageProbe}); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	dir := os.Getenv("HOOKBRIDGE_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "hookbridge-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return &browser{ctx: ctx, screenshots: dir}
}

// do runs steps with a time limit.
func (b *browser) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browser: %v%s", err, b.problems(t))
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, b *browser, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor waits until a JavaScript expression is truthy (an expression
// that throws, as one reading an element not there yet does, counts as
// false), explaining what it waited for when it times out.
func (b *browser) waitFor(t *testing.T, what, expr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void]("(() => { try { return !!("+expr+"); } catch { return false; } })()", chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout-time.Second)))
	if err != nil {
		text := eval[string](t, b, `document.querySelector("main") ? document.querySelector("main").innerText.slice(0, 1500) : document.body.innerText.slice(0, 1500)`)
		// The deliveries on the page, which the text cuts off: status,
		// whether open, attempts shown.
		deliveries := eval[string](t, b, `Array.from(document.querySelectorAll("[data-delivery]")).map(d => d.dataset.status + (d.open ? " (open)" : "") + ", " + d.querySelectorAll("[data-attempt]").length + " attempts shown").join("; ")`)
		t.Fatalf("waiting for %s: %v\npage now shows:\n%s\ndeliveries: %s%s", what, err, text, deliveries, b.problems(t))
	}
}

// text returns the text of the first element matching a CSS selector.
func (b *browser) text(t *testing.T, selector string) string {
	t.Helper()
	b.waitFor(t, selector, fmt.Sprintf("document.querySelector(%q)", selector))
	return eval[string](t, b, fmt.Sprintf("document.querySelector(%q).innerText", selector))
}

// click clicks the first visible element matching a CSS selector.
func (b *browser) click(t *testing.T, selector string) {
	t.Helper()
	b.do(t, chromedp.Click(chromedp.CSS(selector), chromedp.NodeVisible))
}

// activate clicks an element from script (element.click()) rather than at
// its place on the screen. For targets below content that loads on its own
// (the endpoint page's summary and chart): chromedp reads an element's
// position and then clicks there, and content that arrives in between
// moves the element away from the click.
func (b *browser) activate(t *testing.T, selector string) {
	t.Helper()
	b.waitFor(t, selector, fmt.Sprintf("document.querySelector(%q)", selector))
	b.do(t, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).click()`, selector)))
}

// fill types text into an input, replacing what it held.
func (b *browser) fill(t *testing.T, selector, text string) {
	t.Helper()
	b.waitFor(t, selector, fmt.Sprintf("document.querySelector(%q)", selector))
	b.do(t,
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = ""`, selector)),
		chromedp.SendKeys(chromedp.CSS(selector), text))
	if got := eval[string](t, b, fmt.Sprintf("document.querySelector(%q).value", selector)); got != text {
		t.Fatalf("typed %q into %s, which now holds %q", text, selector, got)
	}
}

// open navigates to a path of the dashboard, after checking that the
// page it leaves had no problems (the probe starts afresh on each page).
func (b *browser) open(t *testing.T, e *env, path string) {
	t.Helper()
	b.assertNoPageProblems(t)
	b.do(t, chromedp.Navigate(e.baseURL+path))
}

// setSelect chooses an option of a select, as a person would: the value
// changes and a change event fires.
func setSelect(selector, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
		`(() => { const s = document.querySelector(%q); s.value = %q; if (s.value !== %[2]q) throw new Error("no option " + %[2]q); s.dispatchEvent(new Event("change", {bubbles: true})); })()`,
		selector, value))
}

// path returns the page's current path.
func (b *browser) path(t *testing.T) string {
	return eval[string](t, b, "location.pathname")
}

// screenshot saves the whole page as name.png.
func (b *browser) screenshot(t *testing.T, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	// Quality 100 makes a PNG; below, a JPEG of that quality (for the
	// docs: see scripts/screenshots).
	quality, ext := 100, ".png"
	if q, err := strconv.Atoi(os.Getenv("HOOKBRIDGE_SCREENSHOT_QUALITY")); err == nil && q > 0 && q < 100 {
		quality, ext = q, ".jpg"
	}
	img, err := chromedp.Run(ctx, chromedp.FullScreenshot(quality))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.screenshots, name+ext), img, 0o644); err != nil {
		t.Fatal(err)
	}
}

// viewport sets the window's size, as a phone or a laptop has it.
func (b *browser) viewport(t *testing.T, width, height int64) {
	t.Helper()
	b.do(t, chromedp.EmulateViewport(width, height))
}

// problems returns what the page probe recorded, formatted for a failure
// message.
func (b *browser) problems(t *testing.T) string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	list, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__hbProblems || []`))
	if err != nil || len(list) == 0 {
		return ""
	}
	return "\npage problems:\n  " + strings.Join(list, "\n  ")
}

// assertNoPageProblems fails if the page threw or broke its policy.
func (b *browser) assertNoPageProblems(t *testing.T) {
	t.Helper()
	if p := b.problems(t); p != "" {
		t.Error(p)
	}
}

// step is one named step of a walk through the dashboard.
type step struct {
	name string
	run  func(t *testing.T, e *env, b *browser)
}

// walk runs steps in order on one hookbridge and one browser; a failing
// step stops the walk, as the later ones build on it. Afterwards no page
// may have logged a problem.
func walk(t *testing.T, e *env, b *browser, steps []step) {
	t.Helper()
	for _, s := range steps {
		if !t.Run(s.name, func(t *testing.T) { s.run(t, e, b) }) {
			return
		}
	}
	b.assertNoPageProblems(t)
}

// zapierHook issues a Catch Hook on the fake Zapier and returns its URL on
// hooks.zapier.com. The node reaches the fake through a host override,
// which sends Host: 127.0.0.1:port, and the fake knows hooks by host and
// path: the hook is issued on the loopback host too.
func (e *env) zapierHook() string {
	url := e.zapier.NewHook("")
	e.zapier.NewHookAt("127.0.0.1", strings.TrimPrefix(url, "https://hooks.zapier.com"))
	return url
}

// The Slack app of "Add to Slack", and the code its fake consent gives.
const (
	slackClientID     = "1234.5678"
	slackClientSecret = "e2e-slack-client-secret"
	slackOAuthCode    = "e2e-slack-code"
)

// newSlackOAuth is Slack's oauth.v2.access on loopback: it trades
// slackOAuthCode, once, for webhook when the app's id and secret come
// with it, and answers as Slack does (ok: false and an error name)
// otherwise.
func newSlackOAuth(t *testing.T, webhook string) *httptest.Server {
	var mu sync.Mutex
	used := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		id, secret, _ := r.BasicAuth()
		_ = r.ParseForm()
		mu.Lock()
		fresh := !used && r.PostForm.Get("code") == slackOAuthCode
		used = used || fresh
		mu.Unlock()
		switch {
		case r.URL.Path != "/api/oauth.v2.access":
			w.WriteHeader(http.StatusNotFound)
		case id != slackClientID || secret != slackClientSecret:
			_ = json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "invalid_client_id"})
		case !fresh:
			_ = json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "invalid_code"})
		default:
			_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "team": map[string]any{"name": "Acme"},
				"incoming_webhook": map[string]any{"url": webhook, "channel": "#alerts", "channel_id": "C0E2E0001"}})
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}
