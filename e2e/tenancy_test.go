package e2e

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/httpapi"
)

// victimApp is an app with one of everything, for another app's token to
// try to reach.
type victimApp struct {
	endpoint, source, message, delivery, token string
}

func makeVictim(t *testing.T, h *harness, receiver string) victimApp {
	t.Helper()
	var v victimApp
	_, v.token = h.newAppToken("victim", "victim's own token")
	var ep, src struct{ ID string }
	h.mustAs(adminToken, "POST", "/api/v1/apps/victim/endpoints", map[string]any{"url": receiver}, http.StatusCreated).decode(t, &ep)
	h.mustAs(adminToken, "POST", "/api/v1/apps/victim/sources", map[string]any{"name": "victim's platform"}, http.StatusCreated).decode(t, &src)
	payload, _ := sample(t, "payment.succeeded")
	var msg struct{ ID string }
	h.mustAs(adminToken, "POST", "/api/v1/apps/victim/messages", map[string]any{"event_type": "payment.succeeded", "payload": payload}, http.StatusAccepted).decode(t, &msg)
	v.endpoint, v.source, v.message = ep.ID, src.ID, msg.ID
	waitFor(t, "the victim's delivery", func() bool {
		var m struct{ Deliveries []hookbridge.Delivery }
		h.mustAs(adminToken, "GET", "/api/v1/apps/victim/messages/"+msg.ID, nil, http.StatusOK).decode(t, &m)
		if len(m.Deliveries) == 1 && m.Deliveries[0].Status == hookbridge.DeliverySucceeded {
			v.delivery = m.Deliveries[0].ID
			return true
		}
		return false
	})
	return v
}

// fill puts an app and the victim's ids into a route's path.
func (v victimApp) fill(t *testing.T, path, app string) string {
	t.Helper()
	segments := strings.Split(path, "/")
	for i, seg := range segments {
		switch {
		case seg == "{app}":
			segments[i] = app
		case seg == "{name}":
			segments[i] = "payment.succeeded"
		case seg == "{source}":
			segments[i] = v.source
		case seg == "{integration}":
			segments[i] = "customerio"
		case seg == "{customer}":
			segments[i] = "jane.doe@example.com" // the customer of the victim's sample event
		case seg == "{n}":
			segments[i] = "1" // the first version of the victim's transformation
		case seg == "{id}":
			ids := map[string]string{"endpoints": v.endpoint, "sources": v.source, "messages": v.message,
				"deliveries": v.delivery, "tokens": v.token}
			id, ok := ids[segments[i-1]]
			if !ok {
				t.Fatalf("route %s: the tenancy test has no victim id for {id} after %q; add one", path, segments[i-1])
			}
			segments[i] = id
		case strings.HasPrefix(seg, "{"):
			t.Fatalf("route %s: the tenancy test does not know the parameter %s; add it", path, seg)
		}
	}
	return strings.Join(segments, "/")
}

// outsideApps says what an attacker's app token gets from each route that
// names no app; every such route must be listed, so that a new one is
// looked at.
var outsideApps = map[string]func(t *testing.T, a answer){
	"GET /healthz":                   wantStatus(http.StatusOK),
	"GET /readyz":                    wantStatus(http.StatusOK),
	"GET /metrics":                   wantStatus(http.StatusOK),
	"GET /api/v1/openapi.json":       wantStatus(http.StatusOK),
	"POST /auth/login":               wantStatus(http.StatusUnauthorized), // a body of {} is no sign-in
	"GET /auth/session":              wantStatus(http.StatusUnauthorized),
	"POST /auth/logout":              wantStatus(http.StatusNoContent),
	"GET /auth/portal":               wantStatus(http.StatusUnauthorized),
	"GET /api/v1/integrations":       wantStatus(http.StatusOK),
	"GET /api/v1/event-types":        wantStatus(http.StatusOK),
	"GET /api/v1/event-types/{name}": wantStatus(http.StatusOK),
	"GET /api/v1/nodes":              wantStatus(http.StatusForbidden), // admins only
	"POST /api/v1/apps":              wantStatus(http.StatusForbidden),
	"GET /api/v1/apps": func(t *testing.T, a answer) {
		if a.status != http.StatusOK || strings.Contains(string(a.body), "victim") {
			t.Errorf("GET /api/v1/apps: %d %s, want 200 without the victim app", a.status, a.body)
		}
	},
	"POST /ingest/{source}": wantStatus(http.StatusUnauthorized), // no signature
	// Add to Slack is not configured here: the status says so, and the
	// callback refuses.
	"GET /api/v1/integrations/slack/oauth":          wantStatus(http.StatusOK),
	"GET /api/v1/integrations/slack/oauth/callback": wantStatus(http.StatusNotFound),
}

func wantStatus(want int) func(t *testing.T, a answer) {
	return func(t *testing.T, a answer) {
		t.Helper()
		if a.status != want {
			t.Errorf("status %d, want %d: %s", a.status, want, a.body)
		}
	}
}

// TestEveryRouteKeepsAppsApart walks every route the server registers
// with another app's token: a route under /api/v1/apps/{app} answers 404
// or 403 for the victim's app, and for the attacker's own app with the
// victim's ids; a route outside any app gives what outsideApps says; and
// afterwards the victim's resources are as they were.
func TestEveryRouteKeepsAppsApart(t *testing.T) {
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	t.Cleanup(receiver.Close)
	seg, cio := newFakes(t)
	h := start(t, seg, cio, withAllowPrivate())
	victim := makeVictim(t, h, receiver.URL)
	attacker, attackerTokenID := h.newAppToken("attacker", "attacker's token")

	routes := h.node.API.Routes()
	if len(routes) < 30 {
		t.Fatalf("only %d routes: Routes() is not the whole list", len(routes))
	}
	for _, r := range routes {
		key := r.Method + " " + r.Path
		t.Run(key, func(t *testing.T) {
			if !strings.Contains(r.Path, "{app}") {
				check, ok := outsideApps[key]
				if !ok {
					t.Fatalf("route %s names no app: say in outsideApps what another app's token may get from it", key)
				}
				check(t, h.callAs(attacker, r.Method, victim.fill(t, r.Path, ""), victim.body(key)))
				return
			}
			if r.Access != httpapi.Authenticated {
				t.Fatalf("route %s is under an app but needs no token", key)
			}
			a := h.callAs(attacker, r.Method, victim.fill(t, r.Path, "victim"), victim.body(key))
			if a.status != http.StatusNotFound && a.status != http.StatusForbidden {
				t.Errorf("the victim's app: %d %s, want 404 or 403", a.status, a.body)
			}
			if strings.Contains(r.Path, "{id}") {
				a := h.callAs(attacker, r.Method, victim.fill(t, r.Path, "attacker"), victim.body(key))
				if a.status != http.StatusNotFound && a.status != http.StatusForbidden {
					t.Errorf("the attacker's app with the victim's id: %d %s, want 404 or 403", a.status, a.body)
				}
			}
		})
	}
	checkVictimUntouched(t, h, victim, attackerTokenID)
}

// body is what the walk sends to a route: a body that passes validation
// where a handler validates before it looks the resource up, so that the
// answer is about the resource; {} for other changing calls.
func (v victimApp) body(route string) any {
	switch route {
	case "POST /api/v1/apps/{app}/messages/{id}/resend":
		return map[string]any{"endpoint_id": v.endpoint}
	}
	method, _, _ := strings.Cut(route, " ")
	if method == http.MethodPost || method == http.MethodPatch {
		return map[string]any{}
	}
	return nil
}

func checkVictimUntouched(t *testing.T, h *harness, v victimApp, attackerTokenID string) {
	t.Helper()
	var ep hookbridge.Endpoint
	h.mustAs(adminToken, "GET", "/api/v1/apps/victim/endpoints/"+v.endpoint, nil, http.StatusOK).decode(t, &ep)
	if ep.Version != 1 || ep.Disabled {
		t.Errorf("victim's endpoint changed: %+v", ep)
	}
	h.mustAs(adminToken, "GET", "/api/v1/apps/victim/sources/"+v.source, nil, http.StatusOK)
	var d hookbridge.Delivery
	h.mustAs(adminToken, "GET", "/api/v1/apps/victim/deliveries/"+v.delivery, nil, http.StatusOK).decode(t, &d)
	if d.Status != hookbridge.DeliverySucceeded || d.Attempts != 1 {
		t.Errorf("victim's delivery changed: %+v", d)
	}
	var toks struct{ Data []hookbridge.Token }
	h.mustAs(adminToken, "GET", "/api/v1/apps/victim/tokens", nil, http.StatusOK).decode(t, &toks)
	if len(toks.Data) != 1 || toks.Data[0].RevokedAt != nil {
		t.Errorf("victim's tokens changed: %+v", toks.Data)
	}
	var msgs struct{ Data []hookbridge.Message }
	h.mustAs(adminToken, "GET", "/api/v1/apps/victim/messages", nil, http.StatusOK).decode(t, &msgs)
	if len(msgs.Data) != 1 {
		t.Errorf("victim has %d messages, want its 1", len(msgs.Data))
	}
	var audit struct{ Data []hookbridge.AuditEntry }
	h.mustAs(adminToken, "GET", "/api/v1/apps/victim/audit-log", nil, http.StatusOK).decode(t, &audit)
	for _, e := range audit.Data {
		if e.TokenID == attackerTokenID {
			t.Errorf("the attacker changed the victim's app: %+v", e)
		}
	}
}

func TestAppTokensRevocationAndExpiry(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	secret, id := h.newAppToken("acme", "ci")
	if !strings.HasPrefix(secret, "hbk_") {
		t.Fatalf("secret %q", secret)
	}
	list := h.mustAs(adminToken, "GET", "/api/v1/apps/acme/tokens", nil, http.StatusOK)
	if strings.Contains(string(list.body), secret) || !strings.Contains(string(list.body), id) {
		t.Fatalf("token listing shows the secret or lacks the token: %s", list.body)
	}

	h.mustAs(secret, "GET", "/api/v1/apps/acme/endpoints", nil, http.StatusOK)
	h.mustAs(secret, "GET", "/api/v1/apps/default/endpoints", nil, http.StatusNotFound)
	// A token of the app may make more tokens of it, not of another app.
	var second struct{ ID, Token string }
	h.mustAs(secret, "POST", "/api/v1/apps/acme/tokens", map[string]any{"name": "second"}, http.StatusCreated).decode(t, &second)
	h.mustAs(secret, "POST", "/api/v1/apps/default/tokens", map[string]any{"name": "escalate"}, http.StatusNotFound)
	h.mustAs(second.Token, "GET", "/api/v1/apps/acme", nil, http.StatusOK)

	h.mustAs(secret, "DELETE", "/api/v1/apps/acme/tokens/"+second.ID, nil, http.StatusNoContent)
	a := h.mustAs(second.Token, "GET", "/api/v1/apps/acme", nil, http.StatusUnauthorized)
	if !strings.Contains(string(a.body), "revoked") {
		t.Errorf("revoked token: %s", a.body)
	}
	h.mustAs(secret, "DELETE", "/api/v1/apps/acme/tokens/tok_nonexistent", nil, http.StatusNotFound)

	var short struct{ Token string }
	expires := time.Now().Add(1500 * time.Millisecond).UTC().Format(time.RFC3339Nano)
	h.mustAs(adminToken, "POST", "/api/v1/apps/acme/tokens", map[string]any{"name": "short", "expires_at": expires}, http.StatusCreated).decode(t, &short)
	h.mustAs(short.Token, "GET", "/api/v1/apps/acme", nil, http.StatusOK)
	time.Sleep(time.Until(mustParseTime(t, expires)) + 100*time.Millisecond)
	h.mustAs(short.Token, "GET", "/api/v1/apps/acme", nil, http.StatusUnauthorized)

	past := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	var verr apiErr
	h.mustAs(adminToken, "POST", "/api/v1/apps/acme/tokens", map[string]any{"expires_at": past}, http.StatusUnprocessableEntity).decode(t, &verr)
	if len(verr.Error.Fields) != 1 || verr.Error.Fields[0].Field != "expires_at" {
		t.Errorf("expiry in the past: %+v", verr)
	}
}

func mustParseTime(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// browser is an HTTP client with cookies that does not follow redirects.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func TestPortalLinkSignsInOnceScopedToItsApp(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	merchant, _ := h.newAppToken("merchant", "platform backend")
	var link struct {
		URL       string    `json:"url"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	h.mustAs(merchant, "POST", "/api/v1/apps/merchant/portal-link", nil, http.StatusCreated).decode(t, &link)
	if d := time.Until(link.ExpiresAt); d < 14*time.Minute || d > 15*time.Minute {
		t.Errorf("link expires in %v, want 15 minutes", d)
	}
	u, err := url.Parse(link.URL)
	if err != nil || u.Path != "/auth/portal" || !strings.HasPrefix(u.Query().Get("token"), "hbp_") {
		t.Fatalf("link %q", link.URL)
	}
	linkSecret := u.Query().Get("token")
	// The link is no API token.
	h.mustAs(linkSecret, "GET", "/api/v1/apps/merchant", nil, http.StatusUnauthorized)

	b := browser(t)
	resp, err := b.Get(link.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("opening the link: %d to %q, want 303 to /", resp.StatusCode, resp.Header.Get("Location"))
	}
	session := getJSON(t, b, h.url+"/auth/session")
	if session["admin"] != false || session["app_id"] != "merchant" {
		t.Fatalf("session %v, want the merchant's app", session)
	}
	if r := get(t, b, h.url+"/api/v1/apps/merchant/endpoints"); r != http.StatusOK {
		t.Errorf("the merchant's endpoints: %d", r)
	}
	if r := get(t, b, h.url+"/api/v1/apps/default/endpoints"); r != http.StatusNotFound {
		t.Errorf("another app's endpoints through the portal session: %d, want 404", r)
	}

	// The link works once.
	again := browser(t)
	resp, err = again.Get(link.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("opening the link again: %d, want 401", resp.StatusCode)
	}

	// Revoking the session's token ends the session.
	var toks struct{ Data []hookbridge.Token }
	h.mustAs(adminToken, "GET", "/api/v1/apps/merchant/tokens", nil, http.StatusOK).decode(t, &toks)
	revoked := 0
	for _, tok := range toks.Data {
		if tok.Name == "portal session" {
			h.mustAs(adminToken, "DELETE", "/api/v1/apps/merchant/tokens/"+tok.ID, nil, http.StatusNoContent)
			revoked++
		}
	}
	if revoked != 1 {
		t.Fatalf("found %d portal session tokens, want 1: %+v", revoked, toks.Data)
	}
	if r := get(t, b, h.url+"/api/v1/apps/merchant/endpoints"); r != http.StatusUnauthorized {
		t.Errorf("after revoking the session's token: %d, want 401", r)
	}
}

func get(t *testing.T, c *http.Client, u string) int {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func getJSON(t *testing.T, c *http.Client, u string) map[string]any {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := jsonDecodeReader(resp.Body, &m); err != nil {
		t.Fatalf("GET %s: %d %v", u, resp.StatusCode, err)
	}
	return m
}

func TestAuditLogRecordsWhoChangedWhat(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	bot, botID := h.newAppToken("acme", "deploy bot")

	var ep struct{ ID string }
	created := h.mustAs(bot, "POST", "/api/v1/apps/acme/endpoints", map[string]any{"url": "https://hooks.example.com/a", "disabled": true}, http.StatusCreated)
	created.decode(t, &ep)
	h.mustAs(bot, "PATCH", "/api/v1/apps/acme/endpoints/"+ep.ID, map[string]any{"name": "renamed"}, http.StatusOK)
	h.mustAs(bot, "PATCH", "/api/v1/apps/acme/endpoints/"+ep.ID, map[string]any{"url": "ftp://nope"}, http.StatusUnprocessableEntity)
	payload, _ := sample(t, "payment.succeeded")
	h.mustAs(bot, "POST", "/api/v1/apps/acme/messages", map[string]any{"event_type": "payment.succeeded", "payload": payload}, http.StatusAccepted)
	h.mustAs(bot, "POST", "/api/v1/apps/acme/transformations/test", map[string]any{"event_type": "payment.succeeded", "url": "https://hooks.example.com/a"}, http.StatusOK)
	h.mustAs(bot, "DELETE", "/api/v1/apps/acme/endpoints/"+ep.ID, nil, http.StatusNoContent)

	var log struct{ Data []hookbridge.AuditEntry }
	h.mustAs(bot, "GET", "/api/v1/apps/acme/audit-log", nil, http.StatusOK).decode(t, &log)
	type row struct{ route, resource string }
	var got []row
	for _, e := range log.Data {
		if e.TokenID == botID {
			got = append(got, row{e.Route, e.ResourceID})
		}
	}
	// The refused PATCH, the message and the test are not changes.
	want := []row{
		{"DELETE /api/v1/apps/{app}/endpoints/{id}", ep.ID},
		{"PATCH /api/v1/apps/{app}/endpoints/{id}", ep.ID},
		{"POST /api/v1/apps/{app}/endpoints", ep.ID},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the bot's audit entries, newest first:\n got %v\nwant %v", got, want)
	}
	var first hookbridge.AuditEntry
	for _, e := range log.Data {
		if e.Route == "POST /api/v1/apps/{app}/endpoints" {
			first = e
		}
	}
	if first.TokenName != "deploy bot" || first.AppID != "acme" || first.Status != http.StatusCreated ||
		first.Path != "/api/v1/apps/acme/endpoints" || first.RequestID != created.header.Get("X-Request-Id") || first.RequestID == "" {
		t.Errorf("audit entry of the creation: %+v (request id of the call: %q)", first, created.header.Get("X-Request-Id"))
	}
	adminMade := false
	for _, e := range log.Data {
		if e.Route == "POST /api/v1/apps/{app}/tokens" && e.ResourceID == botID && e.TokenID != botID {
			adminMade = true
		}
	}
	if !adminMade {
		t.Errorf("the creation of the bot's token by the admin is not in the log: %+v", log.Data)
	}
}
