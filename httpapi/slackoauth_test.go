package httpapi

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/slack"
)

// fakeSlackOAuth is Slack's oauth.v2.access on 127.0.0.1: it checks the
// client's credentials and the redirect URI, takes each code it issued
// once, and answers as Slack does — ok: false with an error name for a
// bad exchange.
type fakeSlackOAuth struct {
	*httptest.Server
	clientID, secret string

	mu    sync.Mutex
	codes map[string]bool // issued code → still usable
	calls []url.Values
}

const testSlackWebhook = "https://hooks.slack.com/services/T0FAKE0001/B0OAUTH001/oAuThT0kEn0fTh3W3bh00k1"

func newFakeSlackOAuth(t *testing.T) *fakeSlackOAuth {
	f := &fakeSlackOAuth{clientID: "123.456", secret: "slack-client-secret", codes: map[string]bool{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// issue makes a code as Slack does when the user allows the app.
func (f *fakeSlackOAuth) issue(code string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.codes[code] = true
	return code
}

func (f *fakeSlackOAuth) serve(w http.ResponseWriter, r *http.Request) {
	answer := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	if r.Method != http.MethodPost || r.URL.Path != "/api/oauth.v2.access" || r.Host != "slack.com" {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	_ = r.ParseForm()
	f.mu.Lock()
	f.calls = append(f.calls, r.PostForm)
	usable := f.codes[r.PostForm.Get("code")]
	f.codes[r.PostForm.Get("code")] = false
	f.mu.Unlock()
	id, secret, ok := r.BasicAuth()
	switch {
	case !ok || id != f.clientID:
		answer(map[string]any{"ok": false, "error": "invalid_client_id"})
	case secret != f.secret:
		answer(map[string]any{"ok": false, "error": "bad_client_secret"})
	case r.PostForm.Get("redirect_uri") != "https://hb.example.com"+slackCallbackPath:
		answer(map[string]any{"ok": false, "error": "bad_redirect_uri"})
	case !usable:
		answer(map[string]any{"ok": false, "error": "invalid_code"})
	default:
		answer(map[string]any{"ok": true, "access_token": "xoxb-not-used", "token_type": "bot", "scope": "incoming-webhook",
			"team":             map[string]any{"id": "T0FAKE0001", "name": "Acme Inc"},
			"incoming_webhook": map[string]any{"channel": "#payments", "channel_id": "C0FAKE0001", "configuration_url": "https://acme.slack.com/services/B0OAUTH001", "url": testSlackWebhook}})
	}
}

// client routes slack.com to the fake, as a host override does.
func (f *fakeSlackOAuth) client() *http.Client {
	target, _ := url.Parse(f.URL)
	return &http.Client{Transport: hostOverride{target: target}}
}

type hostOverride struct{ target *url.URL }

func (h hostOverride) RoundTrip(r *http.Request) (*http.Response, error) {
	out := r.Clone(r.Context())
	out.Host = r.URL.Host
	out.URL.Scheme, out.URL.Host = h.target.Scheme, h.target.Host
	return http.DefaultTransport.RoundTrip(out)
}

type slackOAuthFixture struct {
	*cacheFixture
	slack *fakeSlackOAuth
	s     *Server
	logs  *bytes.Buffer
}

func newSlackOAuthFixture(t *testing.T) *slackOAuthFixture {
	f := &slackOAuthFixture{cacheFixture: newCacheFixture(t), slack: newFakeSlackOAuth(t), logs: &bytes.Buffer{}}
	portal := f.portalServer(t)
	f.s = New(Config{Store: f.store, Integrations: hookbridge.NewIntegrations(), Sessions: portal.sessions,
		Logger: slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		SlackOAuth: &SlackOAuth{ClientID: f.slack.clientID, ClientSecret: f.slack.secret,
			RedirectURL: "https://hb.example.com" + slackCallbackPath, Client: f.slack.client()}})
	f.s.now = func() time.Time { return f.now }
	return f
}

// start starts a flow for acme and returns the state of Slack's URL.
func (f *slackOAuthFixture) start(t *testing.T) string {
	t.Helper()
	rec := mustCall(t, f.s, f.appToken, "POST", "/api/v1/apps/acme/integrations/slack/oauth", "", http.StatusOK)
	var started slackOAuthStart
	if err := json.Unmarshal(rec.Body.Bytes(), &started); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(started.AuthorizeURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme+"://"+u.Host+u.Path != "https://slack.com/oauth/v2/authorize" || q.Get("client_id") != f.slack.clientID ||
		q.Get("scope") != "incoming-webhook" || q.Get("redirect_uri") != "https://hb.example.com"+slackCallbackPath || q.Get("state") == "" {
		t.Fatalf("authorize URL %s", started.AuthorizeURL)
	}
	return q.Get("state")
}

// callback is the browser coming back from Slack; it asks for JSON
// unless page is set.
func (f *slackOAuthFixture) callback(t *testing.T, query url.Values, page bool) (*httptest.ResponseRecorder, slackOAuthResult) {
	t.Helper()
	req := httptest.NewRequest("GET", slackCallbackPath+"?"+query.Encode(), nil)
	if !page {
		req.Header.Set("Accept", "application/json")
	}
	rec := httptest.NewRecorder()
	f.s.ServeHTTP(rec, req)
	var res slackOAuthResult
	if !page {
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
			t.Fatalf("%d %s: %v", rec.Code, rec.Body, err)
		}
	}
	return rec, res
}

func TestSlackOAuthGrantsAWebhookOnce(t *testing.T) {
	f := newSlackOAuthFixture(t)
	state := f.start(t)
	rec, res := f.callback(t, url.Values{"state": {state}, "code": {f.slack.issue("code-1")}}, false)
	if rec.Code != http.StatusOK || res.Grant == nil {
		t.Fatalf("callback: %d %s", rec.Code, rec.Body)
	}
	if g := res.Grant; g.App != "acme" || g.WebhookURL != testSlackWebhook || g.Channel != "#payments" || g.Team != "Acme Inc" {
		t.Errorf("grant %+v", g)
	}
	if len(f.slack.calls) != 1 || f.slack.calls[0].Get("code") != "code-1" {
		t.Errorf("Slack was called %d times: %v", len(f.slack.calls), f.slack.calls)
	}

	// The same state again, even with a fresh code, is refused.
	rec, res = f.callback(t, url.Values{"state": {state}, "code": {f.slack.issue("code-2")}}, false)
	if rec.Code != http.StatusBadRequest || res.Error == nil || res.Error.Code != "invalid_state" {
		t.Errorf("a reused state: %d %s", rec.Code, rec.Body)
	}
	if len(f.slack.calls) != 1 {
		t.Errorf("a reused state reached Slack")
	}
	for _, secret := range []string{testSlackWebhook, "oAuThT0kEn0fTh3W3bh00k1", "code-1", f.slack.secret} {
		if strings.Contains(f.logs.String(), secret) {
			t.Errorf("the logs show %q:\n%s", secret, f.logs)
		}
	}
}

func TestSlackOAuthRefusesBadStates(t *testing.T) {
	f := newSlackOAuthFixture(t)
	good := f.start(t)
	tampered := []byte(good)
	tampered[len(tampered)/2] ^= 1
	otherServer := newSlackOAuthFixture(t).start(t) // sealed with another key
	for name, state := range map[string]string{
		"none": "", "not base64": "%%%", "garbage": "c3RhdGU", "tampered": string(tampered), "another server's": otherServer,
	} {
		rec, res := f.callback(t, url.Values{"state": {state}, "code": {f.slack.issue("c")}}, false)
		if rec.Code != http.StatusBadRequest || res.Error == nil || res.Error.Code != "invalid_state" {
			t.Errorf("%s state: %d %s", name, rec.Code, rec.Body)
		}
	}
	f.now = f.now.Add(slackStateTTL)
	if rec, res := f.callback(t, url.Values{"state": {good}, "code": {f.slack.issue("c")}}, false); rec.Code != http.StatusBadRequest || res.Error.Code != "invalid_state" {
		t.Errorf("an expired state: %d %s", rec.Code, rec.Body)
	}
	if len(f.slack.calls) != 0 {
		t.Errorf("bad states reached Slack %d times", len(f.slack.calls))
	}
}

func TestSlackOAuthSlackRefuses(t *testing.T) {
	f := newSlackOAuthFixture(t)
	// A code Slack never issued: ok: false, invalid_code.
	rec, res := f.callback(t, url.Values{"state": {f.start(t)}, "code": {"never-issued"}}, false)
	if rec.Code != http.StatusBadGateway || res.Error == nil || res.Error.Code != "slack_invalid_code" || !strings.Contains(res.Error.Message, "start again") {
		t.Errorf("ok: false: %d %s", rec.Code, rec.Body)
	}
	// A wrong client secret: Slack names it, and the message says where to fix it.
	f.slack.secret = "rotated"
	rec, res = f.callback(t, url.Values{"state": {f.start(t)}, "code": {f.slack.issue("c")}}, false)
	if rec.Code != http.StatusBadGateway || res.Error.Code != "slack_bad_client_secret" || !strings.Contains(res.Error.Message, "HOOKBRIDGE_SLACK_CLIENT_SECRET") {
		t.Errorf("bad secret: %d %s", rec.Code, rec.Body)
	}
	// The user declined at Slack: nothing is exchanged.
	calls := len(f.slack.calls)
	rec, res = f.callback(t, url.Values{"state": {f.start(t)}, "error": {"access_denied"}}, false)
	if rec.Code != http.StatusBadRequest || res.Error.Code != "slack_access_denied" || len(f.slack.calls) != calls {
		t.Errorf("declined: %d %s", rec.Code, rec.Body)
	}
}

func TestSlackOAuthPagePostsToTheOpener(t *testing.T) {
	f := newSlackOAuthFixture(t)
	rec, _ := f.callback(t, url.Values{"state": {f.start(t)}, "code": {f.slack.issue("code-1")}}, true)
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("%d %s", rec.Code, rec.Header())
	}
	if !strings.Contains(body, `"webhook_url":"`+testSlackWebhook+`"`) || !strings.Contains(body, "window.opener.postMessage(r,window.location.origin)") {
		t.Errorf("the page does not hand the webhook to its opener:\n%s", body)
	}
	csp := rec.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src '"+slackResultScriptHash+"'") || rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v", rec.Header())
	}
}

func TestSlackOAuthDisabled(t *testing.T) {
	f := newCacheFixture(t)
	s := f.portalServer(t) // no Slack app configured
	rec := mustCall(t, s, f.appToken, "GET", "/api/v1/integrations/slack/oauth", "", http.StatusOK)
	if !strings.Contains(rec.Body.String(), `"enabled":false`) {
		t.Errorf("status %s", rec.Body)
	}
	rec = mustCall(t, s, f.appToken, "POST", "/api/v1/apps/acme/integrations/slack/oauth", "", http.StatusNotFound)
	if !strings.Contains(rec.Body.String(), "slack_oauth_disabled") {
		t.Errorf("start %s", rec.Body)
	}
	enabled := newSlackOAuthFixture(t)
	if rec := mustCall(t, enabled.s, enabled.appToken, "GET", "/api/v1/integrations/slack/oauth", "", http.StatusOK); !strings.Contains(rec.Body.String(), `"enabled":true`) {
		t.Errorf("status %s", rec.Body)
	}
}

func TestSlackOAuthStartNeedsTheApp(t *testing.T) {
	f := newSlackOAuthFixture(t)
	if err := f.store.CreateApp(t.Context(), &hookbridge.App{ID: "globex", Name: "Globex", CreatedAt: f.now}); err != nil {
		t.Fatal(err)
	}
	other := f.addToken(t, "globex", nil)
	mustCall(t, f.s, other, "POST", "/api/v1/apps/acme/integrations/slack/oauth", "", http.StatusNotFound)
	mustCall(t, f.s, "", "POST", "/api/v1/apps/acme/integrations/slack/oauth", "", http.StatusUnauthorized)
}

// TestSlackOAuthGrantIsASlackCredential: the webhook the flow grants is
// one the Slack integration takes as its credential.
func TestSlackOAuthGrantIsASlackCredential(t *testing.T) {
	info := slack.New().Info()
	if _, err := hookbridge.CheckCredentials(info, hookbridge.Credentials{info.URLCredential: testSlackWebhook}); err != nil {
		t.Error(err)
	}
}
