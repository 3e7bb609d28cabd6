package browser_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/hookbridge/hookbridge/integration/customerio/customeriotest"
	"github.com/hookbridge/hookbridge/integration/segment/segmenttest"
)

// TestDashboardForms walks the Add Endpoint form where a new user met
// trouble: a session that ends mid-form, errors far from their fields,
// event types left as the template had them, the keyboard path from the
// editor to Run test, a phone-sized screen, times that did not move on,
// and a portal link opened twice. The steps share one hookbridge and one
// browser and build on each other.
func TestDashboardForms(t *testing.T) {
	b := startBrowser(t)
	e := startHookbridge(t)
	walk(t, e, b, []step{
		{"SignIn", signIn},
		{"CreateErrorAtItsField", createErrorAtItsField},
		{"SendForRealNamesTheRegionsHost", sendForRealNamesTheRegionsHost},
		{"SessionEndsMidForm", sessionEndsMidForm},
		{"SyntaxErrorHasNoRunTime", syntaxErrorHasNoRunTime},
		{"CardDescriptionsWrap", cardDescriptionsWrap},
		{"GroupedEventTypePicker", groupedEventTypePicker},
		{"KeyboardFromEditorToRunTest", keyboardFromEditorToRunTest},
		{"EventTypesSuggestedFromPastedCode", eventTypesSuggestedFromPastedCode},
		{"SkippedDeliveryIsNeutral", skippedDeliveryIsNeutral},
		{"SaveAsksBeforeSavingWhatTheCheckRefuses", saveAsksBeforeSavingWhatTheCheckRefuses},
		{"StoppedRequestIsNotSentAndFailing", stoppedRequestIsNotSentAndFailing},
		{"RefusedCredentialsAreNamed", refusedCredentialsAreNamed},
		{"RelativeTimesMoveOn", relativeTimesMoveOn},
		{"AddEndpointOn390PixelScreen", addEndpointOnPhone},
		{"PortalLinkOpenedTwice", portalLinkOpenedTwice},
	})
}

// openCustomerIOForm opens Add endpoint with the Customer.io card chosen.
func openCustomerIOForm(t *testing.T, e *env, b *browser) {
	t.Helper()
	b.open(t, e, "/apps/default/endpoints/new?integration=customerio")
	b.waitFor(t, "the Customer.io form", `document.querySelector("form[data-integration=customerio] input[name=site_id]")`)
}

func createErrorAtItsField(t *testing.T, e *env, b *browser) {
	openCustomerIOForm(t, e, b)
	b.fill(t, "input[name=api_key]", customeriotest.APIKey)
	// The Site ID stays empty: the server refuses the endpoint.
	b.activate(t, "[data-action=create-endpoint]")
	b.waitFor(t, "the Site ID input focused", `document.activeElement && document.activeElement.name === "site_id"`)
	siteError := eval[string](t, b, `document.getElementById(document.querySelector("input[name=site_id]").id + "-error").innerText`)
	if !strings.Contains(siteError, "Site ID") {
		t.Errorf("the error at the Site ID input says %q, want it to name the field in words", siteError)
	}
	if invalid := eval[string](t, b, `document.querySelector("input[name=site_id]").getAttribute("aria-invalid") || ""`); invalid != "true" {
		t.Errorf("the Site ID input's aria-invalid is %q, want true", invalid)
	}
	page := b.text(t, "main")
	if strings.Contains(page, "credentials.site_id") {
		t.Errorf("the page shows the internal path credentials.site_id:\n%s", page)
	}
	if n := strings.Count(page, siteError); n != 1 {
		t.Errorf("the page says %q %d times, want once", siteError, n)
	}
	inView := eval[bool](t, b, `(() => { const r = document.querySelector("input[name=site_id]").getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()`)
	if !inView {
		t.Error("the page did not scroll to the Site ID input")
	}
	b.screenshot(t, "20-create-error-at-field")
}

func sendForRealNamesTheRegionsHost(t *testing.T, e *env, b *browser) {
	hosts := func() string { return b.text(t, "[data-send-hosts]") }
	if got := hosts(); got != "track.customer.io" {
		t.Errorf("with region us, Send for real names %q, want track.customer.io", got)
	}
	b.do(t, setSelect("select[name=region]", "eu"))
	b.waitFor(t, "the EU host", `document.querySelector("[data-send-hosts]").innerText === "track-eu.customer.io"`)
	b.do(t, setSelect("select[name=region]", "us"))
	b.waitFor(t, "the US host", `document.querySelector("[data-send-hosts]").innerText === "track.customer.io"`)
}

// sessionEndsMidForm: the session ends while the form is full; Run test
// asks to sign in again in place and then runs, and the form, reloaded,
// comes back without its secret.
func sessionEndsMidForm(t *testing.T, e *env, b *browser) {
	b.fill(t, "input[name=site_id]", customeriotest.SiteID)
	if eval[bool](t, b, `document.querySelector("input[name=site_id]").hasAttribute("aria-invalid")`) {
		t.Error("the Site ID input stays marked invalid once filled in")
	}
	b.fill(t, "form[data-integration=customerio] input[name=name]", "Customer.io (draft)")
	b.do(t,
		chromedp.Evaluate[chromedp.Void](editorJS+`.querySelector(".cm-content").focus()`),
		chromedp.KeyEvent(kb.End, chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.KeyEvent("\n// draft marker\n"))
	b.do(t, setSelect("select[name=test_event_type]", "subscription.cancelled"))

	// The session ends: the browser no longer has its cookie.
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	b.click(t, "[data-action=run-test]")
	b.waitFor(t, "the sign-in dialog", `document.querySelector("dialog[data-dialog=sign-in-again]").open`)
	if p := b.path(t); p != "/apps/default/endpoints/new" {
		t.Fatalf("the page went to %s, want it to stay on the form", p)
	}
	b.screenshot(t, "21-sign-in-again")
	b.fill(t, "dialog input[name=token]", adminToken)
	b.click(t, "[data-action=sign-in-again]")
	b.waitFor(t, "the test run after signing in", `!document.querySelector("dialog[data-dialog=sign-in-again]") && document.querySelector("[data-test-result] .result-banner")`)
	if got := eval[string](t, b, `document.querySelector("input[name=api_key]").value`); got != customeriotest.APIKey {
		t.Errorf("the API key input holds %q after signing in again, want what was typed", got)
	}

	// A reload (or a sign-in on the sign-in page) finds the draft.
	stored := eval[string](t, b, `JSON.stringify(Object.fromEntries(Object.entries(sessionStorage)))`)
	if strings.Contains(stored, customeriotest.APIKey) {
		t.Errorf("sessionStorage holds the API key: %s", stored)
	}
	b.open(t, e, "/apps/default/endpoints/new")
	b.waitFor(t, "the draft restored", `document.querySelector("[data-draft-restored]") && document.querySelector("form[data-integration=customerio] input[name=site_id]")`)
	if !strings.Contains(stored, "draft marker") {
		t.Errorf("the draft in sessionStorage lacks the edited code: %s", stored)
	}
	// The editor draws only the lines in view: once it is loaded, go to
	// the end of the code, where the marker was typed.
	b.waitFor(t, "the editor", `document.querySelector("[data-editor=codemirror]")`)
	b.do(t,
		chromedp.Evaluate[chromedp.Void](editorJS+`.querySelector(".cm-content").focus()`),
		chromedp.KeyEvent(kb.End, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	b.waitFor(t, "the edited code", editorJS+`.querySelector(".cm-content").innerText.includes("draft marker")`)
	for sel, want := range map[string]string{
		"input[name=site_id]":                                customeriotest.SiteID,
		"form[data-integration=customerio] input[name=name]": "Customer.io (draft)",
		"input[name=api_key]":                                "",
	} {
		if got := eval[string](t, b, fmt.Sprintf("document.querySelector(%q).value", sel)); got != want {
			t.Errorf("after reload %s holds %q, want %q", sel, got, want)
		}
	}
	b.fill(t, "input[name=api_key]", customeriotest.APIKey)
}

func syntaxErrorHasNoRunTime(t *testing.T, e *env, b *browser) {
	b.do(t,
		chromedp.Evaluate[chromedp.Void](editorJS+`.querySelector(".cm-content").focus()`),
		chromedp.KeyEvent(kb.End, chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.KeyEvent("\nreturn return"))
	b.click(t, "[data-action=run-test]")
	b.waitFor(t, "the syntax error", `document.querySelector("[data-test-result] .result-banner[data-status=error]")`)
	if panel := b.text(t, "[data-test-result]"); strings.Contains(panel, "ran in") {
		t.Errorf("code that did not compile shows a run time:\n%s", panel)
	}
	b.activate(t, "[data-action=discard-draft]")
}

func cardDescriptionsWrap(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/apps/default/endpoints/new")
	b.waitFor(t, "the cards", `document.querySelector(".integration-card .desc")`)
	for _, width := range []int64{1280, 390} {
		b.viewport(t, width, 900)
		cut := eval[[]string](t, b, `[...document.querySelectorAll(".integration-card .desc")].filter((d) => {
			const s = getComputedStyle(d);
			return d.scrollHeight > d.clientHeight + 1 || s.webkitLineClamp !== "none" || s.textOverflow === "ellipsis";
		}).map((d) => d.innerText)`)
		if len(cut) > 0 {
			t.Errorf("at %d px, card descriptions are cut off: %q", width, cut)
		}
	}
	b.viewport(t, 1280, 900)
}

func groupedEventTypePicker(t *testing.T, e *env, b *browser) {
	b.click(t, "button[data-integration=segment]")
	b.waitFor(t, "the event groups", `document.querySelector("details[data-event-group=payment]")`)
	if open := eval[int](t, b, `document.querySelectorAll("details[data-event-group][open]").length`); open != 0 {
		t.Errorf("%d event groups start open, want all folded", open)
	}
	total := eval[int](t, b, `document.querySelectorAll("details[data-event-group=payment] input[name=event_type]").length`)
	checked := eval[int](t, b, `document.querySelectorAll("details[data-event-group=payment] input[name=event_type]:checked").length`)
	count := b.text(t, "details[data-event-group=payment] [data-group-count]")
	if want := fmt.Sprintf("%d of %d selected", checked, total); count != want {
		t.Errorf("the payment group says %q, want %q", count, want)
	}
	b.click(t, "details[data-event-group=payment] > summary")
	b.click(t, "details[data-event-group=payment] input[data-group-all]")
	b.waitFor(t, "every payment type selected", fmt.Sprintf(`document.querySelector("details[data-event-group=payment] [data-group-count]").innerText === "%d of %d selected"`, total, total))
	if n := eval[int](t, b, `document.querySelectorAll("details[data-event-group=payment] input[name=event_type]:checked").length`); n != total {
		t.Errorf("%d payment types checked after Select all, want %d", n, total)
	}
	b.click(t, "details[data-event-group=payment] input[data-group-all]")
	b.waitFor(t, "no payment type selected", `document.querySelectorAll("details[data-event-group=payment] input[name=event_type]:checked").length === 0`)
	b.click(t, "details[data-event-group=payment] input[data-group-all]")
	b.click(t, "details[data-event-group=payment] > summary")
}

// keyboardFromEditorToRunTest counts the Tab presses from the code editor
// to Run test.
func keyboardFromEditorToRunTest(t *testing.T, e *env, b *browser) {
	const most = 8
	// CodeMirror loads after the form: wait for it, as a person would.
	b.waitFor(t, "the code editor", editorJS+`.querySelector(".cm-content")`)
	b.do(t, chromedp.Evaluate[chromedp.Void](editorJS+`.querySelector(".cm-content").focus()`))
	for presses := 1; presses <= most; presses++ {
		b.do(t, chromedp.KeyEvent(kb.Tab))
		if eval[bool](t, b, `document.activeElement && document.activeElement.dataset.action === "run-test"`) {
			t.Logf("Run test is %d Tab presses from the editor", presses)
			return
		}
	}
	t.Errorf("Run test is more than %d Tab presses from the editor; focus is on %s", most,
		eval[string](t, b, `document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : ""`))
}

// pasteCode replaces the editor's code as a paste from the clipboard does.
func pasteCode(t *testing.T, b *browser, code string) {
	t.Helper()
	quoted, err := json.Marshal(code)
	if err != nil {
		t.Fatal(err)
	}
	b.do(t,
		chromedp.Evaluate[chromedp.Void](editorJS+`.querySelector(".cm-content").focus()`),
		chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const data = new DataTransfer();
			data.setData("text/plain", %s);
			%s.querySelector(".cm-content").dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
		})()`, quoted, editorJS)))
}

const pastedHandler = `function handler(webhook) {
  switch (webhook.eventType) {
    case "payment.succeeded":
      webhook.payload = { event: "Order Completed", userId: webhook.payload.data.customer.customer_id, properties: {} };
      return webhook;
    case "refund.succeeded":
      webhook.payload = { event: "Order Refunded", userId: webhook.payload.data.customer.customer_id, properties: {} };
      return webhook;
  }
  webhook.cancel = true;
  return webhook;
}
`

func eventTypesSuggestedFromPastedCode(t *testing.T, e *env, b *browser) {
	b.fill(t, "input[name=write_key]", segmenttest.WriteKey)
	pasteCode(t, b, pastedHandler)
	b.waitFor(t, "the pasted code", editorJS+`.querySelector(".cm-content").innerText.includes("Order Refunded") && !`+editorJS+`.querySelector(".cm-content").innerText.includes("Subscription")`)
	b.waitFor(t, "the offer", `!document.querySelector("[data-event-type-suggestion]").hidden`)
	if offer := b.text(t, "[data-action=use-code-event-types]"); offer != "Use the 2 event types this code handles" {
		t.Errorf("the offer says %q", offer)
	}
	// Offered, not forced: the template's choice stands until accepted.
	before := eval[[]string](t, b, `[...document.querySelectorAll("input[name=event_type]:checked")].map((b) => b.value)`)
	if len(before) == 0 || strings.Join(before, ",") == "payment.succeeded,refund.succeeded" {
		t.Errorf("before the offer is taken the event types are %v, want the template's", before)
	}
	b.click(t, "[data-action=use-code-event-types]")
	got := eval[[]string](t, b, `[...document.querySelectorAll("input[name=event_type]:checked")].map((b) => b.value)`)
	if strings.Join(got, ",") != "payment.succeeded,refund.succeeded" {
		t.Errorf("after the offer the event types are %v, want payment.succeeded and refund.succeeded", got)
	}
	if !eval[bool](t, b, `document.querySelector("[data-event-type-suggestion]").hidden`) {
		t.Error("the offer stays after it was taken")
	}
	if c := b.text(t, "details[data-event-group=payment] [data-group-count]"); !strings.HasPrefix(c, "1 of ") {
		t.Errorf("the payment group says %q, want 1 selected", c)
	}
	b.click(t, "[data-action=run-test]")
	b.waitFor(t, "the test of payment.succeeded", `document.querySelector("[data-test-result] .result-banner")`)
	b.activate(t, "[data-action=create-endpoint]")
	b.waitFor(t, "the new endpoint", `location.pathname.startsWith("/apps/default/endpoints/ep_")`)
}

// skippedDeliveryIsNeutral: an endpoint whose handler returns null for an
// event shows that delivery as skipped, in grey, not as an error.
func skippedDeliveryIsNeutral(t *testing.T, e *env, b *browser) {
	var ep struct {
		ID string `json:"id"`
	}
	e.api(t, http.MethodPost, "/api/v1/apps/default/endpoints", map[string]any{
		"name": "Segment (all events)", "integration": "segment",
		"credentials":    map[string]string{"write_key": segmenttest.WriteKey},
		"transformation": map[string]any{"code": pastedHandler, "enabled": true},
	}, &ep)
	e.postEvent(t, "subscription.cancelled")
	b.open(t, e, "/apps/default/endpoints/"+ep.ID)
	b.waitFor(t, "the skipped delivery", `document.querySelector("[data-delivery][data-status=skipped] [data-skip-reason]")`)
	colours := eval[[]string](t, b, `(() => {
		const bad = getComputedStyle(document.documentElement).getPropertyValue("--bad").trim();
		const probe = document.createElement("span");
		probe.style.color = bad;
		document.body.append(probe);
		const badColour = getComputedStyle(probe).color;
		probe.remove();
		const row = document.querySelector("[data-delivery][data-status=skipped]");
		return [badColour, ...[...row.querySelectorAll("summary *")].map((el) => getComputedStyle(el).color)];
	})()`)
	for _, c := range colours[1:] {
		if c == colours[0] {
			t.Errorf("the skipped delivery's row shows text in the error colour %s", c)
			break
		}
	}
	b.activate(t, "[data-delivery][data-status=skipped] > summary")
	b.waitFor(t, "the skip reason, open", `document.querySelector("[data-delivery][data-status=skipped] .detail [data-skip-reason]")`)
	if n := eval[int](t, b, `document.querySelectorAll("[data-delivery][data-status=skipped] .form-error, [data-delivery][data-status=skipped] .badge-bad").length`); n != 0 {
		t.Errorf("the skipped delivery shows %d error marks", n)
	}
	b.screenshot(t, "22-skipped-delivery")
}

// stoppedRequestIsNotSentAndFailing: the documentation's Customer.io
// handler, saved anyway, sends an action Customer.io refuses, so the
// validator stops each request. The attempt says "Not sent", with no
// run time and no "Request sent"; the endpoint, whose every delivery now
// fails, is "Failing" beside 0 %, not "Healthy".
func stoppedRequestIsNotSentAndFailing(t *testing.T, e *env, b *browser) {
	var ep struct {
		ID string `json:"id"`
	}
	e.api(t, http.MethodPost, "/api/v1/apps/default/endpoints", map[string]any{
		"name": "Customer.io (documentation's handler)", "integration": "customerio",
		"credentials": e.customer.Credentials(), "template": "docs-payment-tracking", "force": true,
		"event_types": []string{"payment.succeeded"},
	}, &ep)
	e.postEvent(t, "payment.succeeded")
	b.open(t, e, "/apps/default/endpoints/"+ep.ID)
	b.waitFor(t, "the failed delivery", `document.querySelector("[data-delivery][data-status=failed]")`)
	b.activate(t, "[data-delivery][data-status=failed] > summary")
	b.waitFor(t, "its attempt", `document.querySelector("[data-delivery][data-status=failed] [data-attempt]")`)
	attempt := b.text(t, "[data-delivery][data-status=failed] [data-attempt]")
	if !strings.Contains(attempt, "Not sent") || strings.Contains(attempt, "Request sent") || strings.Contains(attempt, "No response") {
		t.Errorf("the stopped attempt reads %q: want \"Not sent\", without \"Request sent\" or \"No response\"", attempt)
	}
	b.waitFor(t, "the endpoint marked failing", `document.querySelector("[data-endpoint-status] [data-status=failing]")`)
	b.screenshot(t, "25-not-sent")
}

// refusedCredentialsAreNamed: Segment answers 401 to a wrong write key;
// the attempt says which credential to check and where to find it, the
// source documents' first troubleshooting step.
func refusedCredentialsAreNamed(t *testing.T, e *env, b *browser) {
	var ep struct {
		ID string `json:"id"`
	}
	e.api(t, http.MethodPost, "/api/v1/apps/default/endpoints", map[string]any{
		"name": "Segment (wrong key)", "integration": "segment", "template": "payment-events",
		"credentials": map[string]string{"write_key": "not-the-write-key"}, "event_types": []string{"payment.succeeded"},
	}, &ep)
	e.postEvent(t, "payment.succeeded")
	b.open(t, e, "/apps/default/endpoints/"+ep.ID)
	b.waitFor(t, "the failed delivery", `document.querySelector("[data-delivery][data-status=failed]")`)
	b.activate(t, "[data-delivery][data-status=failed] > summary")
	b.waitFor(t, "its attempt", `document.querySelector("[data-delivery][data-status=failed] [data-attempt]")`)
	attempt := b.text(t, "[data-delivery][data-status=failed] [data-attempt]")
	for _, want := range []string{"401", "write_key", "API Keys"} {
		if !strings.Contains(attempt, want) {
			t.Errorf("the refused attempt does not say %q:\n%s", want, attempt)
		}
	}
}

// saveAsksBeforeSavingWhatTheCheckRefuses: on a Customer.io endpoint's
// settings, replacing the code with the documents' handler (whose action
// Customer.io refuses) and saving lists what the save check found and
// saves nothing; "Save anyway" saves it.
func saveAsksBeforeSavingWhatTheCheckRefuses(t *testing.T, e *env, b *browser) {
	var ep struct {
		ID             string `json:"id"`
		Transformation struct {
			Code string `json:"code"`
		} `json:"transformation"`
	}
	e.api(t, http.MethodPost, "/api/v1/apps/default/endpoints", map[string]any{
		"name": "Customer.io (to be edited)", "integration": "customerio",
		"credentials": e.customer.Credentials(), "template": "payment-completed", "event_types": []string{"payment.succeeded"},
	}, &ep)
	saved := ep.Transformation.Code
	b.open(t, e, "/apps/default/endpoints/"+ep.ID+"?tab=settings")
	b.waitFor(t, "the template picker", `document.querySelector("details.disclosure > summary")`)
	b.click(t, "details.disclosure > summary")
	b.click(t, "input[data-template=docs-payment-tracking]")
	b.waitFor(t, "the documents' handler in the editor", editorJS+`.querySelector(".cm-content").innerText.includes('action: "payment_completed"')`)
	b.activate(t, "[data-action=save-endpoint]")
	b.waitFor(t, "the save check's findings", `document.querySelector("[data-save-check] [data-event-type='payment.succeeded']")`)
	e.api(t, http.MethodGet, "/api/v1/apps/default/endpoints/"+ep.ID, nil, &ep)
	if ep.Transformation.Code != saved {
		t.Fatal("the refused save changed the endpoint's code")
	}
	b.activate(t, "[data-action=save-anyway]")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		e.api(t, http.MethodGet, "/api/v1/apps/default/endpoints/"+ep.ID, nil, &ep)
		if strings.Contains(ep.Transformation.Code, `action: "payment_completed"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("after Save anyway the endpoint's code is still the old one")
		}
	}
}

func relativeTimesMoveOn(t *testing.T, e *env, b *browser) {
	b.waitFor(t, "a relative time", `document.querySelector("[data-delivery] time")`)
	before := b.text(t, "[data-delivery] time")
	// Five minutes pass; the tab comes back into view.
	b.do(t, chromedp.Evaluate[chromedp.Void](`(() => {
		const real = Date.now.bind(Date);
		Date.now = () => real() + 5 * 60 * 1000;
		document.dispatchEvent(new Event("visibilitychange"));
	})()`))
	b.waitFor(t, "the time to move on", `document.querySelector("[data-delivery] time").innerText.includes("5 minutes")`)
	t.Logf("the delivery's time read %q, then %q", before, b.text(t, "[data-delivery] time"))
}

func addEndpointOnPhone(t *testing.T, e *env, b *browser) {
	b.viewport(t, 390, 844)
	defer b.viewport(t, 1280, 900)
	b.open(t, e, "/apps/default/endpoints/new?integration=customerio")
	b.waitFor(t, "the form and its editor", editorJS+`.querySelector(".cm-line") && document.querySelector("details[data-event-group]")`)
	b.click(t, "details[data-event-group=subscription] > summary")
	b.waitFor(t, "the subscription group open", `document.querySelector("details[data-event-group=subscription]").open`)
	if w := eval[int](t, b, "document.documentElement.scrollWidth"); w > 390 {
		t.Errorf("Add endpoint is %d px wide on a 390 px screen: it scrolls sideways", w)
	}
	b.activate(t, "[data-action=create-endpoint]")
	b.waitFor(t, "a field error focused", `document.activeElement && document.activeElement.getAttribute("aria-invalid") === "true"`)
	if w := eval[int](t, b, "document.documentElement.scrollWidth"); w > 390 {
		t.Errorf("with its errors, Add endpoint is %d px wide on a 390 px screen", w)
	}
	b.screenshot(t, "23-narrow-add-endpoint-errors")
}

func portalLinkOpenedTwice(t *testing.T, e *env, b *browser) {
	var link struct {
		URL string `json:"url"`
	}
	e.api(t, http.MethodPost, "/api/v1/apps/default/portal-link", nil, &link)
	b.assertNoPageProblems(t)
	b.do(t, chromedp.Navigate(link.URL))
	b.waitFor(t, "the dashboard through the link", `location.pathname === "/apps/default/endpoints" && document.querySelector("[data-action=sign-out]")`)
	b.do(t, chromedp.Navigate(link.URL))
	b.waitFor(t, "the refusal page", `document.querySelector("h1")`)
	if ct := eval[string](t, b, "document.contentType"); ct != "text/html" {
		t.Errorf("a used link answers %s, want an HTML page", ct)
	}
	if h1 := b.text(t, "h1"); !strings.Contains(h1, "no longer works") {
		t.Errorf("the page's heading is %q", h1)
	}
	if href := eval[string](t, b, `document.querySelector("a[href='/login']") ? document.querySelector("a[href='/login']").innerText : ""`); href == "" {
		t.Error("the page has no link to sign in")
	}
	b.screenshot(t, "24-portal-link-used")
}
