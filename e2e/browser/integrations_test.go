package browser_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/hookbridge/hookbridge/integration/customerio/customeriotest"
	"github.com/hookbridge/hookbridge/integration/discord/discordtest"
	"github.com/hookbridge/hookbridge/integration/resend/resendtest"
	"github.com/hookbridge/hookbridge/integration/slack/slacktest"
)

// groupOrder is the picker's order of catalogue groups (dashboard
// catalog.js GROUP_ORDER).
var groupOrder = []string{"Plain URL", "Analytics", "Customer messaging", "Team notifications", "Automation", "Email", "CRM"}

// TestIntegrationCatalogue walks the Add Endpoint picker (groups, search,
// keyboard), the previews of messages and emails, and the add flow of
// integration cards, up to a test sent to a fake and the endpoint created.
func TestIntegrationCatalogue(t *testing.T) {
	b := startBrowser(t)
	e := startHookbridge(t)
	walk(t, e, b, []step{
		{"SignIn", signIn},
		{"PickerGroupsCards", pickerGroupsCards},
		{"PickerSearch", pickerSearch},
		{"PickerKeyboard", pickerKeyboard},
		{"SlackPreview", slackPreview},
		{"DiscordPreview", discordPreview},
		{"TeamsPreview", teamsPreview},
		{"EmailPreviews", emailPreviews},
		{"AddCustomerIOCardWithJudgement", addCustomerIOCard},
		{"AddDiscordCardWithPreview", addDiscordCard},
		{"AddSlackCard", addCard(slackFlow)},
		{"AddToSlack", addToSlack},
		{"AddZapierCard", addCard(zapierFlow)},
		{"AddResendCard", addCard(resendFlow)},
	})
}

// visibleCards is a script listing the ids of the cards shown.
const visibleCards = `[...document.querySelectorAll("button.integration-card")].filter((c) => c.offsetParent !== null).map((c) => c.dataset.integration)`

// catalogue returns the integrations the API lists: id and group.
func catalogue(t *testing.T, e *env) []struct{ ID, Group string } {
	t.Helper()
	var list struct {
		Data []struct {
			ID    string `json:"id"`
			Group string `json:"group"`
		} `json:"data"`
	}
	e.api(t, http.MethodGet, "/api/v1/integrations", nil, &list)
	out := make([]struct{ ID, Group string }, len(list.Data))
	for i, d := range list.Data {
		out[i].ID, out[i].Group = d.ID, d.Group
	}
	return out
}

func pickerGroupsCards(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/apps/default/endpoints/new")
	b.waitFor(t, "the picker", `document.querySelector("[data-integration-search]") && document.querySelector("[data-group] button.integration-card")`)
	var want []string
	integrations := catalogue(t, e)
	for _, g := range groupOrder {
		if slices.ContainsFunc(integrations, func(i struct{ ID, Group string }) bool { return i.Group == g }) {
			want = append(want, g)
		}
	}
	got := eval[[]string](t, b, `[...document.querySelectorAll("section[data-group]")].map((g) => g.dataset.group)`)
	if !slices.Equal(got, want) {
		t.Errorf("groups shown %v, want %v", got, want)
	}
	for _, in := range integrations {
		group := eval[string](t, b, fmt.Sprintf(`document.querySelector("button[data-integration='%s']").closest("[data-group]").dataset.group`, in.ID))
		if group != in.Group {
			t.Errorf("card %s is under %q, want %q", in.ID, group, in.Group)
		}
	}
	if n := eval[int](t, b, visibleCards+`.length`); n != len(integrations) {
		t.Errorf("%d cards shown, want all %d", n, len(integrations))
	}
	if label := b.text(t, "label[for="+eval[string](t, b, `document.querySelector("[data-integration-search]").id`)+"]"); !strings.Contains(label, "Search") {
		t.Errorf("the search box's label is %q", label)
	}
	b.screenshot(t, "30-picker-groups")
}

func pickerSearch(t *testing.T, e *env, b *browser) {
	total := len(catalogue(t, e))
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"segment", []string{"segment"}},      // by name
		{"journeys", []string{"customerio"}},  // by description
		{"MESSAGING", []string{"customerio"}}, // by group, any case
		{"analytics segment", []string{"segment"}},
		{"plain", []string{"webhook"}},
	} {
		b.fill(t, "[data-integration-search]", c.query)
		got := eval[[]string](t, b, visibleCards)
		if !slices.Equal(got, c.want) {
			t.Errorf("search %q shows %v, want %v", c.query, got, c.want)
		}
		if count := b.text(t, "[data-integration-count]"); !strings.Contains(count, fmt.Sprintf("%d of %d", len(c.want), total)) {
			t.Errorf("search %q: the count says %q", c.query, count)
		}
		if hidden := eval[bool](t, b, `document.querySelector("[data-integration-empty]").hidden`); !hidden {
			t.Errorf("search %q: the no-match notice is shown", c.query)
		}
		// A group without a match is hidden, heading and all.
		shownGroups := eval[int](t, b, `[...document.querySelectorAll("section[data-group]")].filter((g) => !g.hidden).length`)
		if shownGroups != 1 {
			t.Errorf("search %q: %d groups shown, want 1", c.query, shownGroups)
		}
	}

	b.fill(t, "[data-integration-search]", "no-such-tool")
	b.waitFor(t, "the no-match notice", `!document.querySelector("[data-integration-empty]").hidden`)
	if n := eval[int](t, b, visibleCards+`.length`); n != 0 {
		t.Errorf("%d cards shown for no match", n)
	}
	if notice := b.text(t, "[data-integration-empty]"); !strings.Contains(notice, "No integration matches “no-such-tool”") {
		t.Errorf("the no-match notice says %q", notice)
	}
	b.screenshot(t, "31-picker-no-match")
	b.click(t, "[data-action=clear-integration-search]")
	b.waitFor(t, "every card back", fmt.Sprintf(`%s.length === %d && document.querySelector("[data-integration-empty]").hidden`, visibleCards, total))
	if focused := eval[bool](t, b, `document.activeElement === document.querySelector("[data-integration-search]")`); !focused {
		t.Error("clearing the search should leave the focus in the search box")
	}
}

func pickerKeyboard(t *testing.T, e *env, b *browser) {
	// Arrow Down goes from the search box to the first card shown, the
	// arrows move among the cards, Arrow Up from the first goes back.
	b.fill(t, "[data-integration-search]", "e") // matches several
	first := eval[[]string](t, b, visibleCards)
	if len(first) < 2 {
		t.Fatalf("search e shows %v: want several cards", first)
	}
	b.do(t, chromedp.KeyEvent(kb.ArrowDown))
	if got := eval[string](t, b, `document.activeElement.dataset.integration || ""`); got != first[0] {
		t.Fatalf("Arrow Down from the search box focused %q, want the card %s", got, first[0])
	}
	b.do(t, chromedp.KeyEvent(kb.ArrowRight))
	if got := eval[string](t, b, `document.activeElement.dataset.integration || ""`); got != first[1] {
		t.Errorf("Arrow Right focused %q, want %s", got, first[1])
	}
	b.do(t, chromedp.KeyEvent(kb.ArrowLeft), chromedp.KeyEvent(kb.ArrowUp))
	if focused := eval[bool](t, b, `document.activeElement === document.querySelector("[data-integration-search]")`); !focused {
		t.Error("Arrow Up from the first card should go back to the search box")
	}
	// Escape clears the search.
	b.do(t, chromedp.KeyEvent(kb.Escape))
	if v := eval[string](t, b, `document.querySelector("[data-integration-search]").value`); v != "" {
		t.Errorf("Escape left %q in the search box", v)
	}
	// Enter chooses the one card left, and the focus moves to its form.
	b.fill(t, "[data-integration-search]", "journeys")
	b.do(t, chromedp.KeyEvent(kb.Enter))
	b.waitFor(t, "the Customer.io form", `document.querySelector("form[data-integration=customerio] input[name=site_id]")`)
	if pressed := eval[string](t, b, `document.querySelector("button[data-integration=customerio]").getAttribute("aria-pressed")`); pressed != "true" {
		t.Errorf("the chosen card is aria-pressed=%q", pressed)
	}
	if focus := eval[string](t, b, `document.activeElement.id`); focus != "step-connect" {
		t.Errorf("the focus is on #%s after choosing, want the form's first step", focus)
	}
}

// renderPreview loads previews.js in the page, renders the preview of
// body for the integration into a fresh container #preview-under-test,
// and waits for it.
func renderPreview(t *testing.T, b *browser, integration string, body any) {
	t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	b.do(t, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		document.getElementById("preview-under-test")?.remove();
		const box = document.createElement("div");
		box.id = "preview-under-test";
		document.querySelector("main").prepend(box);
		const href = document.querySelector('link[rel=modulepreload][href$="/js/previews.js"]').href;
		import(href).then((m) => {
			const el = m.previewFor(%q, %s);
			box.append(el || document.createTextNode("no preview"));
			box.dataset.done = "";
		}, (err) => { box.textContent = "import failed: " + err; box.dataset.done = ""; });
	})()`, integration, data)))
	b.waitFor(t, "the preview", `document.querySelector("#preview-under-test[data-done]")`)
	if got := b.text(t, "#preview-under-test"); strings.HasPrefix(got, "import failed") || got == "no preview" {
		t.Fatalf("%s preview: %s", integration, got)
	}
}

// hostile is payload text that must stay text.
const hostile = `<img src=x onerror="window.__pwned=1"><b>bold?</b>`

func assertNoMarkupInjected(t *testing.T, b *browser) {
	t.Helper()
	if n := eval[int](t, b, `document.querySelectorAll("#preview-under-test img, #preview-under-test b").length`); n != 0 {
		t.Errorf("payload text became %d elements in the preview", n)
	}
	if pwned := eval[bool](t, b, `window.__pwned === 1`); pwned {
		t.Error("payload text ran as script")
	}
}

func slackPreview(t *testing.T, e *env, b *browser) {
	renderPreview(t, b, "slack", map[string]any{
		"text": "Payment failed",
		"blocks": []any{
			map[string]any{"type": "header", "text": map[string]any{"type": "plain_text", "text": ":x: Payment failed: 12.50 EUR " + hostile, "emoji": true}},
			map[string]any{"type": "section",
				"text":   map[string]any{"type": "mrkdwn", "text": "*Ada Lovelace* paid _late_ &amp; <https://pay.example.com/inv/1|See the invoice>"},
				"fields": []any{map[string]any{"type": "mrkdwn", "text": "*Amount*\n12.50 EUR"}, map[string]any{"type": "mrkdwn", "text": "*Card*\nVisa 4242"}}},
			map[string]any{"type": "divider"},
			map[string]any{"type": "context", "elements": []any{map[string]any{"type": "mrkdwn", "text": "evt_123 · <!here> · <!date^1754285445^{date_short}|Aug 4, 2025>"}}},
		},
	})
	root := "#preview-under-test [data-preview=slack]"
	if got := b.text(t, root+" [data-block=header]"); got != "❌ Payment failed: 12.50 EUR "+hostile {
		t.Errorf("Slack header %q", got)
	}
	assertNoMarkupInjected(t, b)
	if got := eval[string](t, b, `document.querySelector("`+root+` [data-block=section] strong").textContent`); got != "Ada Lovelace" {
		t.Errorf("*bold* rendered as %q", got)
	}
	if got := eval[string](t, b, `document.querySelector("`+root+` [data-block=section] em").textContent`); got != "late" {
		t.Errorf("_italic_ rendered as %q", got)
	}
	link := eval[[]string](t, b, `(() => { const a = document.querySelector("`+root+` [data-block=section] a"); return [a.getAttribute("href"), a.textContent, a.rel]; })()`)
	if link[0] != "https://pay.example.com/inv/1" || link[1] != "See the invoice" || !strings.Contains(link[2], "noopener") {
		t.Errorf("<url|text> rendered as %v", link)
	}
	if section := b.text(t, root+" [data-block=section] p"); !strings.Contains(section, "late & See the invoice") {
		t.Errorf("the section text %q: want &amp; shown as &", section)
	}
	if fields := eval[[]string](t, b, `[...document.querySelectorAll("`+root+` [data-block=section] [data-field]")].map((f) => f.innerText)`); len(fields) != 2 || !strings.Contains(fields[0], "Amount") || !strings.Contains(fields[0], "12.50 EUR") {
		t.Errorf("section fields %q", fields)
	}
	if n := eval[int](t, b, `document.querySelectorAll("`+root+` hr[data-block=divider]").length`); n != 1 {
		t.Errorf("%d dividers, want 1", n)
	}
	if ctx := b.text(t, root+" [data-block=context]"); !strings.Contains(ctx, "evt_123") || !strings.Contains(ctx, "@here") || !strings.Contains(ctx, "Aug 4, 2025") {
		t.Errorf("context %q", ctx)
	}
	b.screenshot(t, "32-preview-slack")

	// Legacy attachments keep their colour bar.
	renderPreview(t, b, "slack", map[string]any{"attachments": []any{map[string]any{
		"color": "good", "blocks": []any{map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": "*Paid*"}}},
	}}})
	if colour := eval[string](t, b, `document.querySelector("#preview-under-test [data-attachment]").dataset.colour`); colour != "#2eb67d" {
		t.Errorf("attachment colour good shown as %q", colour)
	}

	// A message of text only.
	renderPreview(t, b, "slack", map[string]any{"text": "Refund of *5.00 USD* for " + hostile})
	if got := eval[string](t, b, `document.querySelector("#preview-under-test .pv-slack-text strong").textContent`); got != "5.00 USD" {
		t.Errorf("text message bold %q", got)
	}
	assertNoMarkupInjected(t, b)
}

func discordPreview(t *testing.T, e *env, b *browser) {
	renderPreview(t, b, "discord", map[string]any{
		"content": "New **refund** " + hostile,
		"embeds": []any{map[string]any{
			"title":       "Refund of 12.50 EUR",
			"url":         "https://pay.example.com/re/1",
			"description": "For *Ada Lovelace*",
			"color":       0x5865F2,
			"fields":      []any{map[string]any{"name": "Amount", "value": "12.50 EUR", "inline": true}, map[string]any{"name": "Reason", "value": "requested_by_customer", "inline": true}},
			"footer":      map[string]any{"text": "hookbridge"},
		}},
	})
	root := "#preview-under-test [data-preview=discord]"
	if got := b.text(t, root+" [data-embed-title]"); got != "Refund of 12.50 EUR" {
		t.Errorf("embed title %q", got)
	}
	colour := eval[[]string](t, b, `(() => { const e = document.querySelector("`+root+` [data-embed]"); return [e.dataset.colour, getComputedStyle(e).borderLeftColor]; })()`)
	if colour[0] != "#5865f2" || colour[1] != "rgb(88, 101, 242)" {
		t.Errorf("embed colour %v, want #5865f2 shown as rgb(88, 101, 242)", colour)
	}
	if got := eval[string](t, b, `document.querySelector("`+root+` .pv-discord-content strong").textContent`); got != "refund" {
		t.Errorf("content **bold** %q", got)
	}
	assertNoMarkupInjected(t, b)
	fields := eval[[]string](t, b, `[...document.querySelectorAll("`+root+` [data-embed-field]")].map((f) => f.innerText.replace(/\s+/g, " "))`)
	if len(fields) != 2 || fields[0] != "Amount 12.50 EUR" {
		t.Errorf("embed fields %q", fields)
	}
	if got := b.text(t, root+" .pv-embed-footer"); got != "hookbridge" {
		t.Errorf("embed footer %q", got)
	}
	b.screenshot(t, "33-preview-discord")
}

func teamsPreview(t *testing.T, e *env, b *browser) {
	renderPreview(t, b, "teams", map[string]any{
		"type": "message",
		"attachments": []any{map[string]any{
			"contentType": "application/vnd.microsoft.card.adaptive",
			"content": map[string]any{
				"type": "AdaptiveCard", "version": "1.4",
				"body": []any{
					map[string]any{"type": "TextBlock", "text": "Dispute opened", "weight": "Bolder", "size": "Medium"},
					map[string]any{"type": "FactSet", "facts": []any{
						map[string]any{"title": "Amount", "value": "12.50 EUR"},
						map[string]any{"title": "Customer", "value": hostile},
					}},
					map[string]any{"type": "ColumnSet", "columns": []any{
						map[string]any{"type": "Column", "items": []any{map[string]any{"type": "TextBlock", "text": "Reason"}}},
						map[string]any{"type": "Column", "items": []any{map[string]any{"type": "TextBlock", "text": "fraudulent"}}},
					}},
				},
				"actions": []any{map[string]any{"type": "Action.OpenUrl", "title": "Open the dispute", "url": "https://pay.example.com/dp/1"}},
			},
		}},
	})
	root := "#preview-under-test [data-preview=teams]"
	heading := eval[[]string](t, b, `(() => { const t = document.querySelector("`+root+` [data-card=TextBlock]"); return [t.textContent, t.className]; })()`)
	if heading[0] != "Dispute opened" || !strings.Contains(heading[1], "pv-bolder") {
		t.Errorf("the first TextBlock %v, want bolder Dispute opened", heading)
	}
	facts := eval[[]string](t, b, `[...document.querySelectorAll("`+root+` [data-card=FactSet] dt, `+root+` [data-card=FactSet] dd")].map((f) => f.textContent)`)
	if want := []string{"Amount", "12.50 EUR", "Customer", hostile}; !slices.Equal(facts, want) {
		t.Errorf("facts %q, want %q", facts, want)
	}
	assertNoMarkupInjected(t, b)
	columns := eval[[]string](t, b, `[...document.querySelectorAll("`+root+` [data-card=ColumnSet] .pv-column")].map((c) => c.textContent)`)
	if !slices.Equal(columns, []string{"Reason", "fraudulent"}) {
		t.Errorf("columns %q", columns)
	}
	if got := b.text(t, root+" .pv-button"); got != "Open the dispute" {
		t.Errorf("action %q", got)
	}

	// A legacy connector's MessageCard.
	renderPreview(t, b, "teams", map[string]any{"@type": "MessageCard", "themeColor": "E74C3C", "title": "Payment failed",
		"sections": []any{map[string]any{"facts": []any{map[string]any{"name": "Amount", "value": "4980 JPY"}}}}})
	card := eval[[]string](t, b, `(() => { const c = document.querySelector("#preview-under-test [data-card=MessageCard]"); return [c.dataset.colour, c.querySelector("dt").textContent, c.querySelector("dd").textContent]; })()`)
	if !slices.Equal(card, []string{"#e74c3c", "Amount", "4980 JPY"}) {
		t.Errorf("MessageCard shown as %q", card)
	}
	b.screenshot(t, "34-preview-teams")
}

func emailPreviews(t *testing.T, e *env, b *browser) {
	html := `<h1>Thanks, Ada</h1><p>Your receipt: 12.50 EUR</p><script>parent.__pwned = 1</script>`
	renderPreview(t, b, "resend", map[string]any{
		"from": "Billing <billing@example.com>", "to": []string{"ada@example.com"}, "subject": "Your receipt " + hostile, "html": html,
	})
	root := "#preview-under-test [data-preview=resend]"
	frame := eval[map[string]any](t, b, `(() => { const f = document.querySelector("`+root+` iframe[data-email-html]"); return {sandbox: f.getAttribute("sandbox"), srcdoc: f.srcdoc, src: f.getAttribute("src"), reachable: (() => { try { return !!f.contentDocument; } catch { return false; } })()}; })()`)
	if frame["sandbox"] != "" {
		t.Errorf("the email iframe's sandbox is %v, want sandbox=\"\" (nothing allowed)", frame["sandbox"])
	}
	if frame["srcdoc"] != html || frame["src"] != nil {
		t.Errorf("the email iframe holds srcdoc %v and src %v, want the HTML as srcdoc", frame["srcdoc"], frame["src"])
	}
	if frame["reachable"] != false {
		t.Error("the email iframe's document is reachable from the dashboard: it must be of another origin")
	}
	if got := b.text(t, root+` [data-email=subject]`); got != "Your receipt "+hostile {
		t.Errorf("subject %q", got)
	}
	if got := b.text(t, root+` [data-email=to]`); got != "ada@example.com" {
		t.Errorf("to %q", got)
	}
	assertNoMarkupInjected(t, b)
	if n := eval[int](t, b, `document.querySelectorAll("`+root+` [data-email-unstyled]").length`); n != 0 {
		t.Error("an email without styles is said to lose its styles")
	}
	b.screenshot(t, "35-preview-email")

	renderPreview(t, b, "sendgrid", map[string]any{
		"personalizations": []any{map[string]any{"to": []any{map[string]any{"email": "ada@example.com", "name": "Ada"}}, "subject": "Receipt"}},
		"from":             map[string]any{"email": "billing@example.com"},
		"content":          []any{map[string]any{"type": "text/plain", "value": "Hi"}, map[string]any{"type": "text/html", "value": `<p style="color: red">Hi Ada</p>`}},
	})
	root = "#preview-under-test [data-preview=sendgrid]"
	if got := b.text(t, root+` [data-email=to]`); got != "Ada <ada@example.com>" {
		t.Errorf("SendGrid to %q", got)
	}
	if got := eval[string](t, b, `document.querySelector("`+root+` iframe[sandbox='']").srcdoc`); got != `<p style="color: red">Hi Ada</p>` {
		t.Errorf("SendGrid HTML %q", got)
	}
	// The inherited policy drops inline styles: the preview says so.
	if note := b.text(t, root+" [data-email-unstyled]"); !strings.Contains(note, "without the email's own styles") {
		t.Errorf("the note on styles says %q", note)
	}

	renderPreview(t, b, "loops", map[string]any{"transactionalId": "clx0receipt", "email": "ada@example.com", "dataVariables": map[string]any{"amount": "12.50 EUR"}})
	root = "#preview-under-test [data-preview=loops]"
	if got := b.text(t, root+` [data-email=template]`); got != "clx0receipt" {
		t.Errorf("Loops template %q", got)
	}
	if got := b.text(t, root+` [data-email-data]`); !strings.Contains(got, "amount") || !strings.Contains(got, "12.50 EUR") {
		t.Errorf("Loops data variables %q", got)
	}
	if pwned := eval[bool](t, b, `window.__pwned === 1`); pwned {
		t.Error("the email's script ran")
	}
	b.do(t, chromedp.Evaluate[chromedp.Void](`document.getElementById("preview-under-test").remove()`))
}

// addCustomerIOCard is the add flow through a card found by search: the
// credentials, a template, a test against the fake with the judgement of
// its answer (accepted, then retried on a 500), and Create.
func addCustomerIOCard(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/apps/default/endpoints/new")
	b.fill(t, "[data-integration-search]", "customer messaging")
	b.click(t, "button[data-integration=customerio]")
	b.waitFor(t, "the Customer.io form", `document.querySelector("form[data-integration=customerio] input[name=site_id]")`)
	for _, name := range []string{"site_id", "api_key"} {
		if help := eval[string](t, b, fmt.Sprintf(`(document.getElementById(document.querySelector("input[name=%s]").getAttribute("aria-describedby")) || {}).textContent || ""`, name)); help == "" {
			t.Errorf("the %s field has no help saying where to find it", name)
		}
	}
	b.fill(t, "input[name=site_id]", customeriotest.SiteID)
	b.fill(t, "input[name=api_key]", customeriotest.APIKey)
	b.click(t, "input[data-template=payment-completed]")
	b.do(t, setSelect("select[name=test_event_type]", "payment.succeeded"))
	b.click(t, "[data-action=run-test]")
	b.waitFor(t, "the ready result", `document.querySelector("[data-test-result] .result-banner[data-status=ready]")`)

	b.click(t, "[data-action=send-test]")
	b.waitFor(t, "the accepted judgement", `document.querySelector("[data-test-result] [data-judgement=accepted]")`)

	e.customer.FailNext(1, http.StatusInternalServerError)
	b.click(t, "[data-action=send-test]")
	b.waitFor(t, "the retried judgement", `document.querySelector("[data-test-result] [data-judgement=retried]")`)
	if reason := b.text(t, "[data-judgement-reason]"); !strings.Contains(reason, "500") {
		t.Errorf("the retried judgement's reason %q should name the 500", reason)
	}
	b.screenshot(t, "36-customerio-judgement")

	b.click(t, "[data-action=create-endpoint]")
	b.waitFor(t, "the new endpoint's page", `location.pathname.startsWith("/apps/default/endpoints/ep_") && document.body.innerText.includes("Endpoint created")`)
}

// addDiscordCard is the add flow of a messaging card whose URL is a
// secret credential: the URL entered as a password, the preview of the
// template's message, a test sent to the fake Discord with its judgement,
// Create with Discord's default rate limit, and a delivery.
func addDiscordCard(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/apps/default/endpoints/new")
	b.fill(t, "[data-integration-search]", "discord")
	b.do(t, chromedp.KeyEvent(kb.Enter))
	b.waitFor(t, "the Discord form", `document.querySelector("form[data-integration=discord] input[name=webhook_url]")`)
	field := eval[map[string]any](t, b, `(() => {
		const i = document.querySelector("input[name=webhook_url]");
		return {type: i.type, help: document.getElementById(i.getAttribute("aria-describedby")).textContent,
			reveal: !!i.parentElement.querySelector("button"), urlOverride: !!document.querySelector("form[data-integration=discord] input[name=url]")};
	})()`)
	if field["type"] != "password" || field["reveal"] != true {
		t.Errorf("the webhook URL input is %v: want a password input with a Show button", field)
	}
	if help, _ := field["help"].(string); !strings.Contains(help, "Copy Webhook URL") || !strings.Contains(help, "token") {
		t.Errorf("the webhook URL's help %q should say where to find it and that it is a secret", help)
	}
	if field["urlOverride"] != false {
		t.Error("a Discord form offers a URL override: its URL is the credential")
	}
	if rate := eval[[]string](t, b, `(() => { const i = document.querySelector("input[name=rate_limit]"); return [i.value, i.placeholder, document.getElementById(i.getAttribute("aria-describedby")).textContent]; })()`); rate[0] != "" || rate[1] != "5" || !strings.Contains(rate[2], "5 requests per 2s") {
		t.Errorf("rate limit input %q: want empty, with Discord's default (5 per 2s) said", rate)
	}
	b.fill(t, "input[name=webhook_url]", discordtest.WebhookURL())
	b.click(t, "input[data-template=payments]")
	b.do(t, setSelect("select[name=test_event_type]", "payment.succeeded"))
	b.click(t, "[data-action=run-test]")
	b.waitFor(t, "the ready result", `document.querySelector("[data-test-result] .result-banner[data-status=ready]")`)
	b.waitFor(t, "the Discord preview", `document.querySelector("[data-test-result] [data-preview=discord] [data-embed-title]")`)
	if title := b.text(t, "[data-test-result] [data-preview=discord] [data-embed-title]"); !strings.HasPrefix(title, "Payment received: ") {
		t.Errorf("the preview's embed title %q", title)
	}
	if colour := eval[string](t, b, `document.querySelector("[data-test-result] [data-embed]").dataset.colour`); colour != "#2ecc71" {
		t.Errorf("the preview's embed colour %q, want the template's green #2ecc71", colour)
	}
	if hosts := b.text(t, "[data-send-hosts]"); hosts != "discord.com" {
		t.Errorf("Send for real says it posts to %q, want discord.com", hosts)
	}
	if panel := b.text(t, "[data-test-result]"); strings.Contains(panel, discordtest.WebhookToken) {
		t.Error("the test panel shows the webhook URL's token")
	}
	b.screenshot(t, "37-discord-tested")

	before := len(e.discord.Messages())
	b.click(t, "[data-action=send-test]")
	b.waitFor(t, "the accepted judgement", `document.querySelector("[data-test-result] [data-judgement=accepted]")`)
	if got := len(e.discord.Messages()); got != before+1 {
		t.Errorf("the fake Discord has %d messages after Send for real, want %d", got, before+1)
	}
	e.discord.RateLimitNext(1, 2*time.Second)
	b.click(t, "[data-action=send-test]")
	b.waitFor(t, "the retried judgement", `document.querySelector("[data-test-result] [data-judgement=retried]")`)
	if panel := b.text(t, "[data-test-result]"); strings.Contains(panel, discordtest.WebhookToken) {
		t.Error("the answer shows the webhook URL's token")
	}

	b.click(t, "[data-action=create-endpoint]")
	b.waitFor(t, "the new endpoint's page", `location.pathname.startsWith("/apps/default/endpoints/ep_") && document.body.innerText.includes("Endpoint created")`)
	id := strings.TrimPrefix(b.path(t), "/apps/default/endpoints/")
	var ep struct {
		URL             string            `json:"url"`
		RateLimit       int               `json:"rate_limit"`
		RateLimitPeriod string            `json:"rate_limit_period"`
		Credentials     map[string]string `json:"credentials"`
	}
	e.api(t, http.MethodGet, "/api/v1/apps/default/endpoints/"+id, nil, &ep)
	if ep.URL != "" || ep.RateLimit != 5 || ep.RateLimitPeriod != "2s" || strings.Contains(ep.Credentials["webhook_url"], discordtest.WebhookToken) {
		t.Errorf("created %+v: want no url, Discord's 5 per 2s, the webhook URL masked", ep)
	}

	before = len(e.discord.Messages())
	e.postEvent(t, "payment.succeeded")
	b.waitFor(t, "a succeeded delivery", `document.querySelector("[data-delivery][data-status=succeeded]")`)
	if got := len(e.discord.Messages()); got != before+1 {
		t.Errorf("the fake Discord has %d messages after the delivery, want %d", got, before+1)
	}
	b.activate(t, "[data-delivery][data-status=succeeded] > summary")
	b.waitFor(t, "the attempt", `document.querySelector("[data-attempt]")`)
	if page := b.text(t, "main"); strings.Contains(page, discordtest.WebhookToken) {
		t.Error("the endpoint page shows the webhook URL's token")
	}
}

// cardFlow is the add flow of one integration card, from the picker's
// search to a delivery.
type cardFlow struct {
	id, search string
	// credentials are the values to type, by input name.
	credentials func(e *env) map[string]string
	// secret is a value that must never be shown (a token), "" if none.
	secret          string
	template, event string
	// preview, if set, checks the test panel's preview of the request.
	preview func(t *testing.T, b *browser)
	// sent counts what the fake accepted.
	sent func(e *env) int
}

// addCard runs a cardFlow: choose the card through the search, fill the
// credentials, pick the template, test against the fake (the preview,
// then Send for real and its judgement), Create, and see an event
// delivered.
func addCard(f cardFlow) func(t *testing.T, e *env, b *browser) {
	return func(t *testing.T, e *env, b *browser) {
		b.open(t, e, "/apps/default/endpoints/new")
		b.fill(t, "[data-integration-search]", f.search)
		b.click(t, fmt.Sprintf("button[data-integration='%s']", f.id))
		form := fmt.Sprintf("form[data-integration='%s']", f.id)
		b.waitFor(t, "the form", `document.querySelector("`+form+`")`)
		for name, value := range f.credentials(e) {
			input := fmt.Sprintf("%s input[name=%s]", form, name)
			b.fill(t, input, value)
			help := eval[string](t, b, fmt.Sprintf(`(document.getElementById(document.querySelector(%q).getAttribute("aria-describedby") || "") || {}).textContent || ""`, input))
			if help == "" {
				t.Errorf("the %s field has no help saying where to find it", name)
			}
		}
		b.click(t, fmt.Sprintf("input[data-template='%s']", f.template))
		b.do(t, setSelect("select[name=test_event_type]", f.event))
		b.click(t, "[data-action=run-test]")
		b.waitFor(t, "the ready result", `document.querySelector("[data-test-result] .result-banner[data-status=ready]")`)
		if f.preview != nil {
			f.preview(t, b)
		}
		b.screenshot(t, "40-"+f.id+"-tested")

		before := f.sent(e)
		b.click(t, "[data-action=send-test]")
		b.waitFor(t, "the accepted judgement", `document.querySelector("[data-test-result] [data-judgement=accepted]")`)
		if got := f.sent(e); got != before+1 {
			t.Errorf("the fake accepted %d after Send for real, want %d", got, before+1)
		}
		if f.secret != "" && strings.Contains(b.text(t, "[data-test-result]"), f.secret) {
			t.Error("the test panel shows the secret")
		}

		b.click(t, "[data-action=create-endpoint]")
		b.waitFor(t, "the new endpoint's page", `location.pathname.startsWith("/apps/default/endpoints/ep_") && document.body.innerText.includes("Endpoint created")`)
		before = f.sent(e)
		e.postEvent(t, f.event)
		b.waitFor(t, "a succeeded delivery", `document.querySelector("[data-delivery][data-status=succeeded]")`)
		if got := f.sent(e); got != before+1 {
			t.Errorf("the fake accepted %d after the delivery, want %d", got, before+1)
		}
		if f.secret != "" && strings.Contains(b.text(t, "main"), f.secret) {
			t.Error("the endpoint page shows the secret")
		}
	}
}

// slackFlow is a messaging card whose URL is a credential.
var slackFlow = cardFlow{
	id: "slack", search: "slack",
	credentials: func(*env) map[string]string { return map[string]string{"webhook_url": slacktest.WebhookURL()} },
	secret:      slacktest.Token,
	template:    "payments", event: "payment.succeeded",
	preview: func(t *testing.T, b *browser) {
		b.waitFor(t, "the Slack preview", `document.querySelector("[data-test-result] [data-preview=slack] [data-block=header]")`)
		if header := b.text(t, "[data-test-result] [data-preview=slack] [data-block=header]"); !strings.HasPrefix(header, "✅ Payment received: ") {
			t.Errorf("the preview's header %q", header)
		}
	},
	sent: func(e *env) int { return len(e.slack.Messages()) },
}

// zapierFlow is an automation card: no preview, a flat JSON body.
var zapierFlow = cardFlow{
	id: "zapier", search: "automation zap",
	credentials: func(e *env) map[string]string { return map[string]string{"webhook_url": e.zapierHook()} },
	template:    "payments", event: "payment.succeeded",
	preview: func(t *testing.T, b *browser) {
		if n := eval[int](t, b, `document.querySelectorAll("[data-test-result] [data-preview]").length`); n != 0 {
			t.Errorf("a Zapier request has %d previews, want none (its body is data, not a message)", n)
		}
		if body := b.text(t, "[data-request-body]"); !strings.Contains(body, `"event_type": "payment.succeeded"`) {
			t.Errorf("the Zapier body lacks the flat event_type:\n%s", body)
		}
	},
	sent: func(e *env) int { return len(e.zapier.Accepted()) },
}

// resendFlow is an email card with an API key.
var resendFlow = cardFlow{
	id: "resend", search: "email resend",
	credentials: func(*env) map[string]string { return map[string]string{"api_key": resendtest.APIKey} },
	secret:      resendtest.APIKey,
	template:    "resend-payment-receipt", event: "payment.succeeded",
	preview: func(t *testing.T, b *browser) {
		root := "[data-test-result] [data-preview=resend]"
		b.waitFor(t, "the email preview", `document.querySelector("`+root+` iframe[data-email-html]")`)
		frame := eval[[]string](t, b, `(() => { const f = document.querySelector("`+root+` iframe[data-email-html]"); return [f.getAttribute("sandbox"), f.srcdoc]; })()`)
		if frame[0] != "" || !strings.Contains(frame[1], "Thank you for your payment") {
			t.Errorf("the email iframe: sandbox %q, srcdoc %.80q", frame[0], frame[1])
		}
		if subject := b.text(t, root+" [data-email=subject]"); subject == "" {
			t.Error("the email preview shows no subject")
		}
	},
	sent: func(e *env) int { return len(e.resend.Sent()) },
}

// addToSlack is "Add to Slack": the button opens Slack's consent in a
// window, and the webhook Slack makes fills the form. Slack's consent page
// is out of reach of the test, so the page's start answer is pointed at
// the callback, with the state the server made and the code the fake
// Slack trades: what Slack's redirect does once the user allows the app.
func addToSlack(t *testing.T, e *env, b *browser) {
	b.open(t, e, "/apps/default/endpoints/new?integration=slack")
	b.waitFor(t, "the Add to Slack button", `document.querySelector("[data-slack-connect]") && !document.querySelector("[data-slack-connect]").hidden`)
	b.do(t, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const realFetch = window.fetch;
		window.fetch = async (input, init) => {
			const res = await realFetch(input, init);
			if (!(init && init.method === "POST" && String(input).endsWith("/integrations/slack/oauth"))) return res;
			const start = await res.json();
			const consent = new URL(start.authorize_url);
			if (consent.host !== "slack.com" || consent.searchParams.get("scope") !== "incoming-webhook") throw new Error("unexpected consent URL " + consent);
			start.authorize_url = location.origin + "/api/v1/integrations/slack/oauth/callback?code=%s&state=" + encodeURIComponent(consent.searchParams.get("state"));
			return new Response(JSON.stringify(start), { status: res.status, headers: { "Content-Type": "application/json" } });
		};
	})()`, slackOAuthCode)))
	b.click(t, "[data-action=add-to-slack]")
	b.waitFor(t, "the webhook filled in", `document.querySelector("[data-slack-connect-status]").innerText.startsWith("Connected")`)
	if got := eval[string](t, b, `document.querySelector("input[name=webhook_url]").value`); got != e.slackOAuthWebhook {
		t.Fatalf("Add to Slack filled %q, want the webhook Slack made", got)
	}
	if status := b.text(t, "[data-slack-connect-status]"); !strings.Contains(status, "#alerts") || strings.Contains(status, e.slackOAuthWebhook) {
		t.Errorf("the status says %q: want the channel, never the URL", status)
	}
	b.do(t, setSelect("select[name=test_event_type]", "payment.succeeded"))
	b.click(t, "[data-action=run-test]")
	b.waitFor(t, "the ready result", `document.querySelector("[data-test-result] .result-banner[data-status=ready]")`)
	b.screenshot(t, "41-add-to-slack")
}
