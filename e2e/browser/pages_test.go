package browser_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/hookbridge/hookbridge/integration/segment/segmenttest"
)

// appPages holds what the walk through the app-wide pages made through
// the API, for the steps to find.
type appPages struct {
	bad, good string // Segment endpoints: a wrong write key, a right one
	zoeMsg    string // the event about zoe@example.com
	source    struct {
		ID        string `json:"id"`
		IngestURL string `json:"ingest_url"`
	}
}

// TestAppPages walks through the pages of the whole app: the overview, the
// deliveries log with its bulk retry, a test event from the endpoint page,
// resending and recovering, the event types, settings and the sources'
// tools, by keyboard where it says so and on a 390-px-wide screen.
func TestAppPages(t *testing.T) {
	b := startBrowser(t)
	e := startHookbridge(t)
	var p appPages
	walk(t, e, b, []step{
		{"SignIn", signIn},
		{"Setup", func(t *testing.T, e *env, b *browser) { p.setup(t, e) }},
		{"Overview", p.overview},
		{"DeliveriesLogBulkRetryByKeyboard", p.deliveriesLog},
		{"EndpointSendsTestEvent", p.endpointTestEvent},
		{"ResendToChosenEndpoints", p.resend},
		{"RecoverSince", p.recover},
		{"EventTypes", p.eventTypes},
		{"SettingsTokens", p.settingsTokens},
		{"SettingsOthers", p.settingsOthers},
		{"SourceTools", p.sourceTools},
		{"NarrowScreen390", p.narrow},
		{"SettingsOfAnAppToken", settingsOfAnAppToken},
	})
}

// setup makes two Segment endpoints, one failing, and posts three events,
// the last about zoe@example.com, through the API.
func (p *appPages) setup(t *testing.T, e *env) {
	var ep struct {
		ID string `json:"id"`
	}
	e.api(t, http.MethodPost, "/api/v1/apps/default/endpoints", map[string]any{
		"name": "Segment (wrong key)", "integration": "segment", "template": "payment-events",
		"credentials": map[string]string{"write_key": "not-the-write-key"}}, &ep)
	p.bad = ep.ID
	e.api(t, http.MethodPost, "/api/v1/apps/default/endpoints", map[string]any{
		"name": "Segment", "integration": "segment", "template": "payment-events",
		"credentials": map[string]string{"write_key": segmenttest.WriteKey}}, &ep)
	p.good = ep.ID
	e.postEvent(t, "payment.succeeded")
	e.postEvent(t, "payment.succeeded")
	var payload map[string]any
	if err := json.Unmarshal(e.sample(t, "payment.succeeded"), &payload); err != nil {
		t.Fatal(err)
	}
	payload["data"].(map[string]any)["customer"].(map[string]any)["email"] = "zoe@example.com"
	var msg struct {
		ID string `json:"id"`
	}
	e.api(t, http.MethodPost, "/api/v1/apps/default/messages", map[string]any{"event_type": "payment.succeeded", "payload": payload}, &msg)
	e.posted++
	p.zoeMsg = msg.ID
	waitAPI(t, "six finished deliveries", func() bool {
		return len(deliveries(t, e, "status=failed")) == 3 && len(deliveries(t, e, "status=succeeded")) == 3
	})
	e.api(t, http.MethodPost, "/api/v1/apps/default/sources", map[string]string{"name": "Payments platform"}, &p.source)
}

type deliveryJSON struct {
	ID         string `json:"id"`
	EndpointID string `json:"endpoint_id"`
	MessageID  string `json:"message_id"`
	Status     string `json:"status"`
	Attempts   int    `json:"attempts"`
}

// deliveries lists the default app's deliveries with a query.
func deliveries(t *testing.T, e *env, query string) []deliveryJSON {
	t.Helper()
	var page struct {
		Data []deliveryJSON `json:"data"`
	}
	e.api(t, http.MethodGet, "/api/v1/apps/default/deliveries?limit=250&"+query, nil, &page)
	return page.Data
}

// waitAPI polls cond until it holds, for at most stepTimeout.
func waitAPI(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", stepTimeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (p *appPages) overview(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/apps/default/overview")
	b.waitFor(t, "the overview's numbers", `document.querySelector("[data-stat=failures] .value").innerText === "3" && document.querySelector("[data-stat=deliveries] .value").innerText === "6"`)
	b.waitFor(t, "both endpoints among the slowest", fmt.Sprintf(`document.querySelector('[data-slow-endpoint="%s"]') && document.querySelector('[data-slow-endpoint="%s"]')`, p.bad, p.good))
	b.waitFor(t, "the chart", `document.querySelector("svg[data-chart] rect.bar-bad")`)
	b.screenshot(t, "app-30-overview")
}

func (p *appPages) deliveriesLog(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/apps/default/deliveries?status=failed")
	b.waitFor(t, "the three failed deliveries", `document.querySelectorAll("[data-delivery]").length === 3 && [...document.querySelectorAll("[data-delivery]")].every((d) => d.dataset.status === "failed")`)
	if got := b.text(t, "[data-delivery]"); !strings.Contains(got, "Segment (wrong key)") {
		t.Errorf("a delivery should name its endpoint: %q", got)
	}
	b.screenshot(t, "app-31-deliveries-failed")

	// By keyboard: type the customer, Enter submits the filters; Tab to
	// the bulk retry button and press Enter.
	b.do(t, chromedp.Focus(chromedp.CSS("input[name=customer]")), chromedp.SendKeys(chromedp.CSS("input[name=customer]"), "zoe@example.com"+kb.Enter))
	b.waitFor(t, "zoe's failed delivery only", `location.search.includes("customer=zoe") && document.querySelectorAll("[data-delivery]").length === 1`)
	b.do(t, chromedp.Focus(chromedp.CSS("[data-action=filter-deliveries]")), chromedp.KeyEvent(kb.Tab))
	if focused := eval[string](t, b, `document.activeElement.dataset.action || document.activeElement.tagName`); focused != "retry-filtered" {
		t.Fatalf("Tab after the Filter button reached %q, want the bulk retry button", focused)
	}
	b.do(t, chromedp.KeyEvent(kb.Enter))
	b.waitFor(t, "the bulk retry's answer", `document.querySelector(".bulk-bar [role=status]").innerText.includes("1 failed delivery queued again")`)
	waitAPI(t, "zoe's failed delivery retried", func() bool {
		for _, d := range deliveries(t, e, "status=failed&endpoint_id="+p.bad) {
			if d.MessageID == p.zoeMsg && d.Attempts == 2 {
				return true
			}
		}
		return false
	})
	for _, d := range deliveries(t, e, "endpoint_id="+p.bad) {
		if d.MessageID != p.zoeMsg && d.Attempts != 1 {
			t.Errorf("delivery %s of another customer was retried (%d attempts)", d.ID, d.Attempts)
		}
	}

	// A new failure of the filter's customer appears without a reload.
	b.do(t, chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`))
	var payload map[string]any
	if err := json.Unmarshal(e.sample(t, "payment.failed"), &payload); err != nil {
		t.Fatal(err)
	}
	payload["data"].(map[string]any)["customer"].(map[string]any)["email"] = "zoe@example.com"
	e.api(t, http.MethodPost, "/api/v1/apps/default/messages", map[string]any{"event_type": "payment.failed", "payload": payload}, nil)
	e.posted++
	b.waitFor(t, "the new failure listed", `[...document.querySelectorAll("[data-delivery]")].some((d) => d.innerText.includes("payment.failed"))`)
}

func (p *appPages) endpointTestEvent(t *testing.T, e *env, b *browser) {
	before := len(e.segment.Accepted())
	b.open(t, e, "/apps/default/endpoints/"+p.good)
	b.waitFor(t, "the test event form", `document.querySelector("[data-action=send-test-event]")`)
	b.do(t, setSelect("select[name=test_event_type]", "payment.succeeded"))
	b.activate(t, "[data-action=send-test-event]")
	b.waitFor(t, "the answer inline", `document.querySelector("[data-test-event-result] [data-outcome=accepted]")`)
	if got := b.text(t, "[data-test-event-result]"); !strings.Contains(got, "HTTP 200") || !strings.Contains(got, "api.segment.io") {
		t.Errorf("the result should show the request and Segment's 200: %q", got)
	}
	if n := len(e.segment.Accepted()); n != before+1 {
		t.Errorf("fake Segment accepted %d calls, want %d", n, before+1)
	}
	b.screenshot(t, "app-32-endpoint-test-event")
}

func (p *appPages) resend(t *testing.T, e *env, b *browser) {
	before := len(deliveries(t, e, "message_id="+p.zoeMsg))
	b.open(t, e, "/apps/default/messages/"+p.zoeMsg)
	b.waitFor(t, "the resend form", `document.querySelector("[data-action=resend]")`)
	// Only the working endpoint: untick "All", tick it.
	b.activate(t, "[data-action=resend-all]")
	b.activate(t, fmt.Sprintf("input[name=resend_endpoint][value=%q]", p.good))
	b.activate(t, "[data-action=resend]")
	b.waitFor(t, "queued", `document.body.innerText.includes("Queued to 1 endpoint.")`)
	waitAPI(t, "a new delivery to the chosen endpoint", func() bool {
		ds := deliveries(t, e, "message_id="+p.zoeMsg)
		return len(ds) == before+1 && ds[0].EndpointID == p.good
	})
	b.screenshot(t, "app-33-message-resend")
}

func (p *appPages) recover(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/apps/default/endpoints/"+p.bad)
	b.waitFor(t, "the recover form", `document.querySelector("[data-action=recover]")`)
	b.activate(t, "[data-action=recover]")
	b.waitFor(t, "the failures queued", `document.body.innerText.includes("failed deliveries queued again")`)
}

func (p *appPages) eventTypes(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/apps/default/event-types")
	b.waitFor(t, "the catalogue", `document.querySelector("[data-event-type='payment.succeeded'] [data-action=copy-sample]")`)
	if n := eval[int](t, b, `document.querySelectorAll("[data-event-type]").length`); n < 40 {
		t.Errorf("%d event types shown, want the whole catalogue", n)
	}
	b.activate(t, "[data-event-type='payment.succeeded'] summary")
	b.waitFor(t, "the sample shown", `document.querySelector("pre[data-sample='payment.succeeded']").offsetHeight > 0 && document.querySelector("pre[data-sample='payment.succeeded']").innerText.includes('"type": "payment.succeeded"')`)
	b.activate(t, "[data-event-type='payment.succeeded'] [data-action=copy-sample]")
	b.waitFor(t, "the sample copied, or selected for the keyboard's copy", `[...document.querySelectorAll(".toast")].some((t) => t.innerText.includes("copied")) || window.getSelection().toString().includes('"type": "payment.succeeded"')`)
	b.fill(t, "input[name=event_type_search]", "refund")
	b.waitFor(t, "the filter applied", `document.querySelector("[data-event-type='payment.succeeded']").offsetParent === null && document.querySelector("[data-event-type^='refund']").offsetParent !== null`)
	b.screenshot(t, "app-34-event-types")
}

func (p *appPages) settingsTokens(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/apps/default/settings")
	b.waitFor(t, "the token form", `document.querySelector("input[name=token_name]")`)
	// By keyboard: type the name and press Enter.
	b.do(t, chromedp.Focus(chromedp.CSS("input[name=token_name]")), chromedp.SendKeys(chromedp.CSS("input[name=token_name]"), "Billing service"+kb.Enter))
	b.waitFor(t, "the secret shown once", `document.querySelector(".secret-box input[data-secret]") && document.querySelector("[data-tokens] [data-token]")`)
	secret := eval[string](t, b, `document.querySelector(".secret-box input[data-secret]").value`)
	if len(secret) < 20 {
		t.Fatalf("token secret %q", secret)
	}
	var who struct {
		Data []json.RawMessage `json:"data"`
	}
	req, _ := http.NewRequest(http.MethodGet, e.baseURL+"/api/v1/apps/default/endpoints", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("the new token does not work: %v %v", err, res)
	}
	json.NewDecoder(res.Body).Decode(&who)
	res.Body.Close()
	b.screenshot(t, "app-35-settings-token")

	b.open(t, e, "/apps/default/settings")
	b.waitFor(t, "the token listed", `[...document.querySelectorAll("[data-token]")].some((t) => t.innerText.includes("Billing service"))`)
	if page := b.text(t, "main"); strings.Contains(page, secret) {
		t.Error("the token's secret is shown again after reload")
	}
	if masked := b.text(t, "[data-token] [data-masked]"); !strings.Contains(masked, "•") {
		t.Errorf("the listed token should be masked: %q", masked)
	}
	b.activate(t, "[data-token] [data-action=revoke-token]")
	b.waitFor(t, "the token revoked", `document.querySelector("[data-token][data-revoked=true]")`)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the revoked token answered %d, want 401", res.StatusCode)
	}
}

func (p *appPages) settingsOthers(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/apps/default/settings")
	b.waitFor(t, "the settings", `document.querySelector("[data-action=portal-link]") && document.querySelector("[data-audit-entry]")`)
	b.activate(t, "[data-action=portal-link]")
	b.waitFor(t, "the portal link", `document.querySelector("input[name=portal_url]") && document.querySelector("input[name=portal_url]").value.includes("/auth/portal?token=")`)

	b.fill(t, "input[name=retention_days]", "14")
	b.fill(t, "input[name=retry_schedule]", "0s, 1m, 1h")
	b.activate(t, "[data-action=save-delivery-settings]")
	b.waitFor(t, "saved", `document.querySelector("[data-settings=delivery]").innerText.includes("Saved.")`)
	var app struct {
		RetentionDays *int     `json:"retention_days"`
		RetrySchedule []string `json:"retry_schedule"`
	}
	e.api(t, http.MethodGet, "/api/v1/apps/default", nil, &app)
	if app.RetentionDays == nil || *app.RetentionDays != 14 || strings.Join(app.RetrySchedule, ",") != "0s,1m,1h" {
		t.Errorf("app settings after save: retention %v, schedule %v", app.RetentionDays, app.RetrySchedule)
	}

	b.fill(t, "input[name=operational_url]", e.receiver.URL+"/ops")
	b.activate(t, "[data-action=save-operational]")
	b.waitFor(t, "the operational secret shown once", `document.querySelector("[data-settings=operational] .secret-box input[data-secret]")`)

	b.fill(t, "input[name=app_name]", "Acme")
	b.fill(t, "input[name=app_id]", "acme")
	b.activate(t, "[data-action=create-app]")
	b.waitFor(t, "the new app listed", `document.querySelector("[data-apps]").innerText.includes("acme")`)
	// Rename it by keyboard: Enter on Rename, type, Enter saves.
	b.do(t, chromedp.Focus(chromedp.CSS(`[data-app=acme] [data-action=rename-app]`)), chromedp.KeyEvent(kb.Enter))
	b.waitFor(t, "the name field, focused", `document.activeElement && document.activeElement.name === "rename_app"`)
	b.do(t, chromedp.KeyEvent(kb.End), chromedp.KeyEvent(" Payments"+kb.Enter))
	b.waitFor(t, "the new name shown", `document.querySelector("[data-app=acme]").innerText.includes("Acme Payments") && document.activeElement.dataset.action === "rename-app"`)
	var renamed struct {
		Name string `json:"name"`
	}
	e.api(t, http.MethodGet, "/api/v1/apps/acme", nil, &renamed)
	if renamed.Name != "Acme Payments" {
		t.Errorf("app acme is named %q after the rename, want Acme Payments", renamed.Name)
	}
	b.open(t, e, "/apps/default/settings")
	b.waitFor(t, "the audit log", `[...document.querySelectorAll("[data-audit-entry]")].some((a) => a.innerText.includes("/tokens"))`)
	b.screenshot(t, "app-36-settings")
}

func (p *appPages) sourceTools(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/apps/default/sources")
	b.waitFor(t, "the source's tools", `document.querySelector("[data-source-tools] summary")`)
	b.activate(t, "[data-source-tools] summary")
	command := eval[string](t, b, `document.querySelector("[data-trigger-command] input").value`)
	if !strings.HasPrefix(command, "hookbridge trigger payment.succeeded") || !strings.Contains(command, p.source.IngestURL) {
		t.Errorf("trigger command %q, want one naming the source's URL %s", command, p.source.IngestURL)
	}
	b.do(t, setSelect("select[name=source_sample_type]", "refund.succeeded"))
	if command := eval[string](t, b, `document.querySelector("[data-trigger-command] input").value`); !strings.Contains(command, "refund.succeeded") {
		t.Errorf("the command should follow the chosen event type: %q", command)
	}
	b.activate(t, "[data-action=send-signed-sample]")
	b.waitFor(t, "the sample received", `document.querySelector("[data-sample-sent]")`)
	msgID := eval[string](t, b, `document.querySelector("[data-sample-sent]").dataset.sampleSent`)
	var msg struct {
		SourceID  string `json:"source_id"`
		EventType string `json:"event_type"`
	}
	e.api(t, http.MethodGet, "/api/v1/apps/default/messages/"+msgID, nil, &msg)
	if msg.SourceID != p.source.ID || msg.EventType != "refund.succeeded" {
		t.Errorf("the sample's message %+v, want a refund.succeeded of source %s", msg, p.source.ID)
	}
	e.posted++
	b.screenshot(t, "app-37-source-tools")
}

func (p *appPages) narrow(t *testing.T, e *env, b *browser) {
	const width = 390
	b.viewport(t, width, 844)
	defer b.viewport(t, 1280, 900)
	for _, pg := range []struct{ path, ready, shot string }{
		{"/apps/default/overview", `document.querySelector("[data-slow-endpoint]")`, "app-40-narrow-overview"},
		{"/apps/default/deliveries", `document.querySelector("[data-delivery]")`, "app-41-narrow-deliveries"},
		{"/apps/default/endpoints/" + p.good, `document.querySelector("[data-action=send-test-event]") && document.querySelector("[data-delivery]")`, "app-42-narrow-endpoint"},
		{"/apps/default/messages/" + p.zoeMsg, `document.querySelector("[data-action=resend]")`, "app-43-narrow-message"},
		{"/apps/default/event-types", `document.querySelector("[data-event-type]")`, "app-44-narrow-event-types"},
		{"/apps/default/settings", `document.querySelector("[data-audit-entry]") && document.querySelector("[data-token]")`, "app-45-narrow-settings"},
		{"/apps/default/sources", `document.querySelector("[data-source-tools]")`, "app-46-narrow-sources"},
	} {
		b.open(t, e, pg.path)
		b.waitFor(t, pg.path, pg.ready)
		// Open what folds (the first few: 47 open samples make a page too
		// long to screenshot quickly), so that its content is measured too.
		b.do(t, chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll("main details")].slice(0, 8).forEach((d) => { d.open = true; })`))
		if w := eval[int](t, b, "document.documentElement.scrollWidth"); w > width {
			wide := eval[string](t, b, fmt.Sprintf(`[...document.querySelectorAll("main *")].filter((el) => el.getBoundingClientRect().right > %d).slice(0, 5).map((el) => el.tagName + "." + el.className).join(", ")`, width))
			t.Errorf("%s is %d px wide on a %d px screen: it scrolls sideways (widest: %s)", pg.path, w, width, wide)
		}
		b.screenshot(t, pg.shot)
	}
}

// settingsOfAnAppToken: signed in with a token of one app, Settings shows
// no list of apps, offers the app's own tokens, and says that only an
// admin changes retention and retries.
func settingsOfAnAppToken(t *testing.T, e *env, b *browser) {
	token := e.appToken(t, "beta")
	b.open(t, e, "/apps/default/settings")
	b.click(t, "[data-action=sign-out]")
	b.waitFor(t, "the sign-in page", `location.pathname === "/login"`)
	b.fill(t, "input[name=token]", token)
	b.click(t, "button[type=submit]")
	b.waitFor(t, "the app's endpoints", `location.pathname === "/apps/beta/endpoints"`)
	b.open(t, e, "/apps/beta/settings")
	b.waitFor(t, "the settings", `document.querySelector("[data-settings=tokens]") && document.querySelector("[data-token]")`)
	if eval[bool](t, b, `!!document.querySelector("[data-settings=apps]")`) {
		t.Error("an app token's settings list the installation's apps")
	}
	if !eval[bool](t, b, `document.querySelector("input[name=retention_days]").disabled && document.querySelector("[data-settings=delivery]").innerText.includes("Only an admin")`) {
		t.Error("retention should be read-only for an app token, and say why")
	}
}
