package browser_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/hookbridge/hookbridge/integration/segment/segmenttest"
)

// TestReplayADraftOnRealEvents: on an endpoint's settings, "Try on the
// last 100 real events" runs the code in the editor beside the saved code
// over the events the endpoint received, and shows the summary first, then
// each event whose request would change, with the fields that differ.
func TestReplayADraftOnRealEvents(t *testing.T) {
	b := startBrowser(t)
	e := startHookbridge(t)
	walk(t, e, b, []step{
		{"SignIn", signIn},
		{"ReplayShowsWhatTheDraftChanges", replayShowsWhatTheDraftChanges},
	})
}

func replayShowsWhatTheDraftChanges(t *testing.T, e *env, b *browser) {
	var ep struct {
		ID string `json:"id"`
	}
	e.api(t, http.MethodPost, "/api/v1/apps/default/endpoints", map[string]any{
		"name": "Segment", "integration": "segment", "template": "payment-events",
		"credentials": map[string]string{"write_key": segmenttest.WriteKey},
		"event_types": []string{"payment.succeeded"},
	}, &ep)
	for range 3 {
		e.postEvent(t, "payment.succeeded")
	}
	b.open(t, e, "/apps/default/endpoints/"+ep.ID+"?tab=settings")
	b.waitFor(t, "the replay button", `document.querySelector("[data-action=replay]")`)

	// Unchanged code first: every event is the same.
	b.activate(t, "[data-action=replay]")
	b.waitFor(t, "the summary", `document.querySelector("[data-replay-summary] [data-change=unchanged]")`)
	if got := b.text(t, "[data-replay-summary]"); !strings.Contains(got, "3 unchanged") {
		t.Errorf("the saved code replayed over itself: summary %q, want 3 unchanged", got)
	}

	// The handler, wrapped: it renames the event.
	b.waitFor(t, "the editor", `document.querySelector("[data-editor=codemirror]") && `+editorJS+`.querySelector(".cm-content")`)
	b.do(t,
		chromedp.Evaluate[chromedp.Void](editorJS+`.querySelector(".cm-content").focus()`),
		chromedp.KeyEvent(kb.End, chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.KeyEvent("\nconst live = handler;\nhandler = function (w) { w = live(w); w.payload.event = \"Order Completed\"; return w };\n"))
	b.activate(t, "[data-action=replay]")
	b.waitFor(t, "the changed events", `document.querySelector("[data-replay-summary] [data-change=changed]")`)
	if got := b.text(t, "[data-replay-summary]"); !strings.Contains(got, "3 changed") {
		t.Errorf("summary %q, want 3 changed", got)
	}
	b.activate(t, "[data-replay-result] details[data-change=changed] > summary")
	row := b.text(t, `[data-replay-result] details[data-change=changed] tr[data-path="body.event"]`)
	if !strings.Contains(row, "Payment Completed") || !strings.Contains(row, "Order Completed") {
		t.Errorf("the diff row for body.event reads %q, want the live and the draft's event names", row)
	}
	b.screenshot(t, "replay-draft-on-real-events")
}
