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

	"github.com/hookbridge/hookbridge/integration/customerio/customeriotest"
	"github.com/hookbridge/hookbridge/integration/segment/segmenttest"
	"github.com/hookbridge/hookbridge/signing"
)

// editorJS is the code editor's shadow root, where CodeMirror lives.
const editorJS = `document.querySelector("[data-editor=codemirror]").shadowRoot`

// TestDashboard walks through the dashboard as the integration guides
// describe it. The steps share one hookbridge and one browser and build
// on each other (the endpoint the Segment step creates receives the
// events of the later steps), so a failing step stops the walk.
func TestDashboard(t *testing.T) {
	b := startBrowser(t)
	e := startHookbridge(t)
	walk(t, e, b, []step{
		{"SignIn", signIn},
		{"AddSegmentEndpointFromTemplate", addSegmentEndpoint},
		{"DeliverySucceedsAgainstFakeSegment", deliverySucceeds},
		{"RetryFailedDelivery", retryFailedDelivery},
		{"PlainWebhookSecretSettingsAndRotation", plainWebhook},
		{"CustomerIODocsHandlerExplainsInvalidAction", customerIODocsHandler},
		{"CreateAsksBeforeSavingWhatTheCheckRefuses", createAsksBeforeSavingWhatTheCheckRefuses},
		{"EditorMarksErrorLine", editorMarksErrorLine},
		{"MessagesSearch", messagesSearch},
		{"Sources", sources},
		{"NarrowScreen", narrowScreen},
		{"SignOut", signOut},
		{"AppScopedTokenSeesOnlyItsApp", appScopedToken},
	})
}

func signIn(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/")
	b.waitFor(t, "the sign-in form", `location.pathname === "/login" && document.querySelector("input[name=token]")`)
	b.screenshot(t, "01-sign-in")

	b.fill(t, "input[name=token]", "not-a-token")
	b.click(t, "button[type=submit]")
	b.waitFor(t, "the refusal", `document.querySelector(".form-error").innerText.includes("not valid")`)

	b.fill(t, "input[name=token]", adminToken)
	b.click(t, "button[type=submit]")
	b.waitFor(t, "the Endpoints page", `location.pathname === "/apps/default/endpoints" && document.querySelector("h1") && document.querySelector("h1").innerText === "Endpoints"`)
	if got := b.text(t, "main"); !strings.Contains(got, "No endpoints yet") {
		t.Errorf("an empty app should say so; page shows %q", got)
	}
	cookies := eval[string](t, b, "document.cookie")
	if strings.Contains(cookies, "hookbridge_session") {
		t.Error("the session cookie must be HttpOnly, out of reach of scripts")
	}
	b.screenshot(t, "02-endpoints-empty")
}

func addSegmentEndpoint(t *testing.T, e *env, b *browser) {
	b.click(t, "[data-action=add-endpoint]")
	b.waitFor(t, "the integration cards", `document.querySelector("[data-integration=segment]")`)
	b.screenshot(t, "03-add-endpoint-choose")
	b.click(t, "button[data-integration=segment]")
	b.waitFor(t, "the Segment form", `document.querySelector("form[data-integration=segment] input[name=write_key]")`)
	if typ := eval[string](t, b, `document.querySelector("input[name=write_key]").type`); typ != "password" {
		t.Errorf("the write key input is %q, want a masked password input", typ)
	}
	b.fill(t, "input[name=write_key]", segmenttest.WriteKey)

	b.click(t, "input[data-template=subscription-lifecycle]")
	b.waitFor(t, "CodeMirror", editorJS+`.querySelector(".cm-lineNumbers")`)
	b.waitFor(t, "the template in the editor", editorJS+`.querySelector(".cm-content").innerText.includes("Subscription Cancelled")`)

	b.do(t, setSelect("select[name=test_event_type]", "subscription.cancelled"))
	b.click(t, "[data-action=run-test]")
	b.waitFor(t, "the test result", `document.querySelector("[data-test-result] .result-banner")`)
	if status := eval[string](t, b, `document.querySelector("[data-test-result] .result-banner").dataset.status`); status != "ready" {
		t.Fatalf("test status %q, want ready; panel shows %q", status, b.text(t, "[data-test-result]"))
	}
	if line := b.text(t, "[data-request-line]"); !strings.Contains(line, "POST") || !strings.Contains(line, "https://api.segment.io/v1/track") {
		t.Errorf("request line %q, want POST https://api.segment.io/v1/track", line)
	}
	body := b.text(t, "[data-request-body]")
	for _, want := range []string{`"event": "Subscription Cancelled"`, `"userId": "cus_`} {
		if !strings.Contains(body, want) {
			t.Errorf("request body lacks %s:\n%s", want, body)
		}
	}
	if panel := b.text(t, "[data-test-result]"); strings.Contains(panel, segmenttest.WriteKey) {
		t.Error("the test panel shows the write key in clear")
	}
	b.screenshot(t, "04-add-endpoint-segment-tested")

	// An event the handler does not handle is skipped, and the panel says why.
	b.do(t, setSelect("select[name=test_event_type]", "payment.succeeded"))
	b.click(t, "[data-action=run-test]")
	b.waitFor(t, "the skipped result", `document.querySelector("[data-test-result] .result-banner[data-status=skipped] [data-skip-reason]").innerText.length > 0`)

	// A pasted payload is used instead of the sample.
	b.do(t, setSelect("select[name=test_event_type]", "subscription.cancelled"))
	b.click(t, "input[name=use_own_payload]")
	b.do(t, chromedp.Evaluate[chromedp.Void](`(() => {
		const area = document.querySelector("textarea[aria-label='Event payload (JSON)']");
		const event = JSON.parse(area.value);
		event.data.customer.customer_id = "cus_pasted";
		area.value = JSON.stringify(event, null, 2);
		area.dispatchEvent(new Event("input", {bubbles: true}));
	})()`))
	b.click(t, "[data-action=run-test]")
	b.waitFor(t, "the pasted payload's request", `document.querySelector("[data-request-body]").innerText.includes('"userId": "cus_pasted"')`)
	b.click(t, "input[name=use_own_payload]")

	// Sending for real shows Segment's answer.
	before := len(e.segment.Accepted())
	b.click(t, "[data-action=send-test]")
	b.waitFor(t, "Segment's response", `document.querySelector("[data-test-result] [data-response]").innerText.includes("HTTP 200")`)
	if got := len(e.segment.Accepted()); got != before+1 {
		t.Errorf("fake Segment accepted %d calls after Send for real, want %d", got, before+1)
	}

	b.click(t, "[data-action=create-endpoint]")
	b.waitFor(t, "the new endpoint's page", `location.pathname.startsWith("/apps/default/endpoints/ep_") && document.body.innerText.includes("Endpoint created")`)
	if h1 := b.text(t, "h1"); h1 != "Segment" {
		t.Errorf("endpoint page title %q, want Segment", h1)
	}
}

func deliverySucceeds(t *testing.T, e *env, b *browser) {
	before := len(e.segment.Accepted())
	e.postEvent(t, "subscription.cancelled")
	b.waitFor(t, "a succeeded delivery", `document.querySelector("[data-delivery][data-status=succeeded]")`)
	accepted := e.segment.Accepted()
	if len(accepted) != before+1 || accepted[len(accepted)-1].Event != "Subscription Cancelled" {
		t.Fatalf("fake Segment accepted %+v, want one more Subscription Cancelled track call", accepted)
	}
	b.activate(t, "[data-delivery][data-status=succeeded] > summary")
	b.waitFor(t, "the attempt", `document.querySelector("[data-attempt]") && document.querySelector("[data-attempt]").innerText.includes("HTTP 200")`)
	attempt := b.text(t, "[data-attempt]")
	for _, want := range []string{"api.segment.io/v1/track", "Subscription Cancelled", "success"} {
		if !strings.Contains(attempt, want) {
			t.Errorf("attempt view lacks %q:\n%s", want, attempt)
		}
	}
	if strings.Contains(attempt, segmenttest.WriteKey) {
		t.Error("the attempt shows the write key in clear")
	}
	b.waitFor(t, "the chart", `document.querySelector("svg[data-chart] rect.bar-ok")`)
	b.screenshot(t, "05-endpoint-delivered")
}

func retryFailedDelivery(t *testing.T, e *env, b *browser) {
	endpointPath := b.path(t)
	before := len(e.segment.Accepted())
	e.segment.FailNext(2, http.StatusInternalServerError) // both attempts of the schedule
	e.postEvent(t, "subscription.cancelled")
	b.waitFor(t, "a failed delivery", `document.querySelector("[data-delivery][data-status=failed]")`)

	b.open(t, e, "/apps/default/endpoints")
	b.waitFor(t, "the endpoint marked failing", `document.querySelector("[data-endpoint] [data-status=failing]")`)
	row := b.text(t, "[data-endpoint]")
	if !strings.Contains(row, "50%") {
		t.Errorf("endpoint row should show a 50%% success rate (one of two); shows %q", row)
	}
	b.screenshot(t, "06-endpoints-failing")

	b.open(t, e, endpointPath)
	b.activate(t, "[data-delivery][data-status=failed] > summary")
	b.waitFor(t, "the failed attempts", `document.querySelectorAll("[data-delivery][data-status=failed] [data-attempt]").length === 2`)
	if got := b.text(t, "[data-delivery][data-status=failed] [data-attempt]"); !strings.Contains(got, "HTTP 500") {
		t.Errorf("failed attempt should show the 500 answer: %q", got)
	}
	b.screenshot(t, "07-endpoint-failed-delivery")
	b.activate(t, "[data-delivery][data-status=failed] [data-action=retry]")
	b.waitFor(t, "both deliveries succeeded", `document.querySelectorAll("[data-delivery][data-status=succeeded]").length === 2 && !document.querySelector("[data-delivery][data-status=failed]")`)
	if n := len(e.segment.Accepted()); n != before+1 {
		t.Errorf("fake Segment accepted %d calls after the retry, want %d", n, before+1)
	}
}

func plainWebhook(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/apps/default/endpoints/new")
	b.click(t, "button[data-integration=webhook]")
	b.waitFor(t, "the plain URL form", `document.querySelector("form[data-integration=webhook] input[name=url]")`)
	b.fill(t, "form[data-integration=webhook] input[name=name]", "Billing service")
	b.fill(t, "form[data-integration=webhook] input[name=url]", e.receiver.URL+"/hooks")
	b.click(t, "[data-action=create-endpoint]")
	b.waitFor(t, "the secret shown once", `document.querySelector(".secret-box input[data-secret]")`)
	secret := eval[string](t, b, `document.querySelector(".secret-box input[data-secret]").value`)
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("generated secret %q, want whsec_…", secret)
	}
	if box := b.text(t, ".secret-box"); !strings.Contains(box, "will not be shown again") {
		t.Errorf("the secret box should say it is shown once: %q", box)
	}
	b.screenshot(t, "08-webhook-created-secret")
	endpointPath := b.path(t)

	// Events are signed with the secret the page showed.
	e.postEvent(t, "payment.succeeded")
	b.waitFor(t, "the webhook delivered", `document.querySelector("[data-delivery][data-status=succeeded]")`)
	assertSignedWith(t, e.receiver.all(), secret)

	// Settings: rename, and rotate the signing secret.
	b.open(t, e, endpointPath+"?tab=settings")
	b.fill(t, "input[name=name]", "Billing service (EU)")
	b.click(t, "[data-action=save-endpoint]")
	b.waitFor(t, "the new name", `document.querySelector("h1").innerText === "Billing service (EU)"`)
	b.click(t, "[data-action=rotate-secret]")
	b.waitFor(t, "the new secret", `document.querySelector(".secret-box input[data-secret]")`)
	rotated := eval[string](t, b, `document.querySelector(".secret-box input[data-secret]").value`)
	if rotated == secret || !strings.HasPrefix(rotated, "whsec_") {
		t.Fatalf("rotated secret %q: want a new whsec_ secret", rotated)
	}
	b.screenshot(t, "09-webhook-settings")
	e.postEvent(t, "payment.succeeded")
	b.open(t, e, endpointPath)
	b.waitFor(t, "two deliveries", `document.querySelectorAll("[data-delivery][data-status=succeeded]").length === 2`)
	got := e.receiver.all()
	// For the grace period, the request verifies with either secret.
	assertSignedWith(t, got[len(got)-1:], rotated)
	assertSignedWith(t, got[len(got)-1:], secret)

	// Disable, and enable again.
	b.click(t, "[data-action=toggle-endpoint]")
	b.waitFor(t, "the endpoint disabled", `document.querySelector("[data-endpoint-status] [data-status=disabled]")`)
	b.click(t, "[data-action=toggle-endpoint]")
	b.waitFor(t, "the endpoint enabled", `!document.querySelector("[data-endpoint-status] [data-status=disabled]")`)
}

// assertSignedWith checks that every webhook verifies with the secret.
func assertSignedWith(t *testing.T, got []receivedWebhook, secret string) {
	t.Helper()
	if len(got) == 0 {
		t.Fatal("the receiver got nothing")
	}
	for _, w := range got {
		if err := signing.Verify([]string{secret}, w.header, w.body, time.Now(), 0); err != nil {
			t.Errorf("webhook does not verify with the secret the dashboard showed: %v", err)
		}
	}
}

func customerIODocsHandler(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/apps/default/endpoints")
	b.click(t, "[data-action=add-endpoint]")
	b.click(t, "button[data-integration=customerio]")
	b.waitFor(t, "the Customer.io form", `document.querySelector("form[data-integration=customerio] input[name=site_id]")`)
	b.fill(t, "input[name=site_id]", customeriotest.SiteID)
	b.fill(t, "input[name=api_key]", customeriotest.APIKey)
	if region := eval[string](t, b, `document.querySelector("select[name=region]").value`); region != "us" {
		t.Errorf("region select starts at %q, want us", region)
	}

	docs := eval[string](t, b, `[...document.querySelectorAll("input[data-template]")].filter((r) => r.closest("label").innerText.includes("From the docs") && r.closest("label").innerText.includes("payment.succeeded")).map((r) => r.dataset.template)[0] || ""`)
	if docs == "" {
		t.Fatal("no template marked as from the docs handles payment.succeeded")
	}
	b.click(t, fmt.Sprintf("input[data-template=%q]", docs))
	b.waitFor(t, "the documents' handler in the editor", editorJS+`.querySelector(".cm-content").innerText.includes('action: "payment_completed"')`)
	b.do(t, setSelect("select[name=test_event_type]", "payment.succeeded"))
	b.click(t, "[data-action=run-test]")
	b.waitFor(t, "the test result", `document.querySelector("[data-test-result] .result-banner")`)
	if status := eval[string](t, b, `document.querySelector("[data-test-result] .result-banner").dataset.status`); status != "invalid" {
		t.Fatalf("test status %q, want invalid; panel shows %q", status, b.text(t, "[data-test-result]"))
	}
	problem := b.text(t, `.problem[data-field="action"]`)
	for _, want := range []string{"payment_completed", `action: "event"`, "Fix"} {
		if !strings.Contains(problem, want) {
			t.Errorf("the action problem lacks %q:\n%s", want, problem)
		}
	}
	b.screenshot(t, "10-customerio-docs-handler-invalid")
}

// createAsksBeforeSavingWhatTheCheckRefuses: Create with the documents'
// Customer.io handler, which Customer.io refuses, lists what the save check
// found and creates nothing until the person confirms; "Create anyway"
// creates it. The form is then opened again as the previous step left it.
func createAsksBeforeSavingWhatTheCheckRefuses(t *testing.T, e *env, b *browser) {
	var before struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	e.api(t, http.MethodGet, "/api/v1/apps/default/endpoints", nil, &before)
	b.activate(t, "[data-action=create-endpoint]")
	b.waitFor(t, "the save check's findings", `document.querySelector("[data-save-check] [data-event-type='payment.succeeded']")`)
	notice := b.text(t, "[data-save-check]")
	for _, want := range []string{"payment.succeeded", "payment_completed", "Create anyway"} {
		if !strings.Contains(notice, want) {
			t.Errorf("the notice lacks %q:\n%s", want, notice)
		}
	}
	if focused := eval[string](t, b, `document.activeElement.dataset.action || ""`); focused != "save-anyway" {
		t.Errorf("focus is on %q, want the Create anyway button", focused)
	}
	var after struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	e.api(t, http.MethodGet, "/api/v1/apps/default/endpoints", nil, &after)
	if len(after.Data) != len(before.Data) {
		t.Fatalf("%d endpoints before Create and %d after: the refused save created one", len(before.Data), len(after.Data))
	}
	b.screenshot(t, "10b-save-check-asks")
	b.activate(t, "[data-action=save-anyway]")
	b.waitFor(t, "the new endpoint's page", `/\/endpoints\/ep_/.test(location.pathname)`)
	e.api(t, http.MethodGet, "/api/v1/apps/default/endpoints", nil, &after)
	if len(after.Data) != len(before.Data)+1 {
		t.Errorf("%d endpoints after Create anyway, want %d", len(after.Data), len(before.Data)+1)
	}
	customerIODocsHandler(t, e, b)
}

func editorMarksErrorLine(t *testing.T, e *env, b *browser) {
	// Still on the Customer.io form: break the code at its end.
	b.do(t,
		chromedp.Evaluate[chromedp.Void](editorJS+`.querySelector(".cm-content").focus()`),
		chromedp.KeyEvent(kb.End, chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.KeyEvent("\n\nreturn return"))
	b.click(t, "[data-action=run-test]")
	b.waitFor(t, "the error result", `document.querySelector("[data-test-result] .result-banner[data-status=error]")`)
	b.waitFor(t, "an error marker in the editor", editorJS+`.querySelector(".cm-lint-marker-error") && `+editorJS+`.querySelector(".cm-lintRange-error")`)
	if banner := b.text(t, "[data-test-result] .result-banner"); !strings.Contains(banner, "line") {
		t.Errorf("the error should name its line: %q", banner)
	}
	b.screenshot(t, "11-editor-error-marker")
}

func messagesSearch(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/apps/default/messages")
	b.waitFor(t, "every event posted", fmt.Sprintf(`document.querySelectorAll("[data-message]").length === %d`, e.posted))
	var sample struct {
		Data struct {
			Customer struct {
				Email string `json:"email"`
			} `json:"customer"`
		} `json:"data"`
	}
	if err := json.Unmarshal(e.sample(t, "subscription.cancelled"), &sample); err != nil || sample.Data.Customer.Email == "" {
		t.Fatalf("the sample has no customer email (%v)", err)
	}
	b.fill(t, "input[name=search]", sample.Data.Customer.Email)
	b.do(t, setSelect("form[role=search] select[name=event_type]", "subscription.cancelled"))
	b.click(t, "form[role=search] button[type=submit]")
	b.waitFor(t, "the search in the address", `location.search.includes("search=") && location.search.includes("event_type=subscription.cancelled")`)
	b.waitFor(t, "the two subscription.cancelled events", `document.querySelectorAll("[data-message]").length === 2 && [...document.querySelectorAll("[data-message]")].every((m) => m.innerText.includes("subscription.cancelled"))`)
	b.screenshot(t, "12-messages")

	b.fill(t, "input[name=search]", "nobody@example.invalid")
	b.click(t, "form[role=search] button[type=submit]")
	b.waitFor(t, "no match", `document.querySelectorAll("[data-message]").length === 0 && document.body.innerText.includes("No events match")`)

	b.open(t, e, "/apps/default/messages?event_type=subscription.cancelled")
	b.click(t, "[data-message]")
	b.waitFor(t, "the message's deliveries", `location.pathname.includes("/messages/msg_") && document.querySelector("[data-delivery]")`)
	if got := b.text(t, "[data-delivery]"); !strings.Contains(got, "Segment") {
		t.Errorf("a message's delivery should name its endpoint: %q", got)
	}
	b.screenshot(t, "13-message")
}

func sources(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/apps/default/sources")
	b.waitFor(t, "the sources page", `document.querySelector("[data-action=create-source]")`)
	b.fill(t, "input[name=name]", "Payments platform (test)")
	b.click(t, "[data-action=create-source]")
	b.waitFor(t, "the new secret and the source's card", `document.querySelector(".secret-box input[data-secret]") && document.querySelector("[data-source] input")`)
	secret := eval[string](t, b, `document.querySelector(".secret-box input[data-secret]").value`)
	ingestURL := eval[string](t, b, `document.querySelector("[data-source] input").value`)
	if !strings.HasPrefix(secret, "whsec_") || !strings.Contains(ingestURL, "/ingest/src_") {
		t.Fatalf("secret %q and URL %q: want a whsec_ secret and an /ingest/ URL", secret, ingestURL)
	}

	// The platform sends a signed webhook to the source.
	sendSignedWebhook(t, ingestURL, secret, e.sample(t, "payment.succeeded"))
	b.open(t, e, "/apps/default/sources")
	b.waitFor(t, "the event among the source's last events", `document.querySelector("[data-source]").innerText.includes("payment.succeeded")`)
	if page := b.text(t, "main"); strings.Contains(page, secret) {
		t.Error("the secret is shown again after reload")
	}
	b.screenshot(t, "14-sources")
}

func narrowScreen(t *testing.T, e *env, b *browser) {
	b.viewport(t, 375, 812)
	defer b.viewport(t, 1280, 900)
	for _, p := range []struct{ path, ready, shot string }{
		{"/apps/default/endpoints", `document.querySelector("[data-endpoint] [data-status]")`, "15-narrow-endpoints"},
		{"/apps/default/endpoints/new?integration=segment", editorJS + `.querySelector(".cm-line")`, "16-narrow-add-endpoint"},
		{"/apps/default/messages", `document.querySelector("[data-message]")`, "17-narrow-messages"},
	} {
		b.open(t, e, p.path)
		b.waitFor(t, p.path, p.ready)
		if w := eval[int](t, b, "document.documentElement.scrollWidth"); w > 375 {
			t.Errorf("%s is %d px wide on a 375 px screen: it scrolls sideways", p.path, w)
		}
		b.screenshot(t, p.shot)
	}
}

func signOut(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/apps/default/endpoints")
	b.click(t, "[data-action=sign-out]")
	b.waitFor(t, "the sign-in page", `location.pathname === "/login"`)
	b.open(t, e, "/apps/default/messages")
	b.waitFor(t, "sign-in again", `location.pathname === "/login" && document.querySelector("input[name=token]")`)
}

func appScopedToken(t *testing.T, e *env, b *browser) {
	token := e.appToken(t, "acme")
	b.open(t, e, "/login")
	b.fill(t, "input[name=token]", token)
	b.click(t, "button[type=submit]")
	b.waitFor(t, "the app's endpoints", `location.pathname === "/apps/acme/endpoints" && document.body.innerText.includes("No endpoints yet")`)
	apps := eval[[]string](t, b, `[...document.querySelectorAll("#app-picker option")].map((o) => o.value)`)
	if len(apps) != 1 || apps[0] != "acme" {
		t.Errorf("app picker offers %v, want only acme", apps)
	}
	b.open(t, e, "/apps/default/endpoints")
	b.waitFor(t, "the other app refused", `document.querySelector("h1").innerText === "App not available"`)
}

func sendSignedWebhook(t *testing.T, ingestURL, secret string, body []byte) {
	t.Helper()
	id := fmt.Sprintf("msg_e2e_%d", time.Now().UnixNano())
	now := time.Now()
	sig, err := signing.Sign(secret, id, now, body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, ingestURL, strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(signing.HeaderID, id)
	req.Header.Set(signing.HeaderTimestamp, signing.FormatTimestamp(now))
	req.Header.Set(signing.HeaderSignature, sig)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("signed webhook answered %d", res.StatusCode)
	}
}
