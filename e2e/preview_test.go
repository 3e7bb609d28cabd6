package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge/catalog"
)

// previewAnswer is the answer to POST …/transformation/preview.
type previewAnswer struct {
	Summary struct {
		Unchanged    int `json:"unchanged"`
		Changed      int `json:"changed"`
		NewlyInvalid int `json:"newly_invalid"`
		NewlySkipped int `json:"newly_skipped"`
		Errors       int `json:"errors"`
		NotRun       int `json:"not_run"`
	} `json:"summary"`
	Items []struct {
		MessageID string `json:"message_id"`
		EventType string `json:"event_type"`
		Change    string `json:"change"`
		Live      struct {
			Outcome string `json:"outcome"`
			Request struct {
				URL     string            `json:"url"`
				Headers map[string]string `json:"headers"`
				Body    string            `json:"body"`
			} `json:"request"`
		} `json:"live"`
		Draft *struct {
			Outcome  string `json:"outcome"`
			Error    string `json:"error"`
			Problems []struct {
				Field string `json:"field"`
			} `json:"problems"`
		} `json:"draft"`
		Diff []struct {
			Path  string          `json:"path"`
			Live  json.RawMessage `json:"live"`
			Draft json.RawMessage `json:"draft"`
		} `json:"diff"`
	} `json:"items"`
	NextBefore string `json:"next_before"`
}

// previewRig is a Segment endpoint with its built-in template that has
// received three payments and a subscription, newest last.
func previewRig(t *testing.T) (*harness, string, string) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	ep := h.createEndpoint(map[string]any{"integration": "segment", "template": "payment-events",
		"credentials": seg.Credentials(), "event_types": []string{"payment.succeeded", "payment.failed"}})
	var live struct {
		Transformation struct {
			Code string `json:"code"`
		} `json:"transformation"`
	}
	h.mustCall("GET", endpointsPath+"/"+ep.ID, nil, http.StatusOK, &live)
	for _, et := range []string{"payment.succeeded", "payment.failed", "subscription.active", "payment.succeeded"} {
		payload, _ := sample(t, et)
		msg := h.postMessage(et, payload, "")
		if et != "subscription.active" { // the endpoint does not take it: no delivery
			h.waitDeliveries(msg.ID)
		}
	}
	return h, ep.ID, live.Transformation.Code
}

func (h *harness) preview(epID string, body map[string]any) previewAnswer {
	h.t.Helper()
	var ans previewAnswer
	h.mustCall("POST", endpointsPath+"/"+epID+"/transformation/preview", body, http.StatusOK, &ans)
	return ans
}

func TestPreviewReplaysADraftBesideTheLiveTransformation(t *testing.T) {
	h, epID, code := previewRig(t)

	same := h.preview(epID, map[string]any{"code": code})
	if len(same.Items) != 3 || same.Summary.Unchanged != 3 {
		t.Fatalf("the live code as a draft: %+v over %d messages, want the endpoint's 3 payments unchanged", same.Summary, len(same.Items))
	}
	for _, it := range same.Items {
		if it.EventType == "subscription.active" {
			t.Errorf("replayed %s, which the endpoint does not accept", it.EventType)
		}
		if auth := it.Live.Request.Headers["Authorization"]; auth != "Basic ********" {
			t.Errorf("the live request's authorization is %q, want it masked", auth)
		}
	}

	renamed := strings.Replace(code, `"payment.succeeded": "Payment Completed"`, `"payment.succeeded": "Order Completed"`, 1)
	changed := h.preview(epID, map[string]any{"code": renamed})
	if changed.Summary.Changed != 2 || changed.Summary.Unchanged != 1 {
		t.Fatalf("renaming the succeeded event: %+v, want 2 changed, 1 unchanged", changed.Summary)
	}
	for _, it := range changed.Items {
		if it.Change != "changed" {
			continue
		}
		if len(it.Diff) != 1 || it.Diff[0].Path != "body.event" || string(it.Diff[0].Live) != `"Payment Completed"` || string(it.Diff[0].Draft) != `"Order Completed"` {
			t.Errorf("diff %+v, want only body.event from \"Payment Completed\" to \"Order Completed\"", it.Diff)
		}
	}

	skipping := strings.Replace(code, `"payment.failed": "Payment Failed"`, `"payment.failed_never": "Payment Failed"`, 1)
	if got := h.preview(epID, map[string]any{"code": skipping}).Summary; got.NewlySkipped != 1 || got.Unchanged != 2 {
		t.Errorf("a draft that no longer handles payment.failed: %+v, want 1 newly skipped", got)
	}

	invalid := strings.Replace(code, `event: name,`, `event: "",`, 1)
	ans := h.preview(epID, map[string]any{"code": invalid})
	if ans.Summary.NewlyInvalid != 3 {
		t.Errorf("a draft with an empty event name: %+v, want 3 newly invalid", ans.Summary)
	}
	if d := ans.Items[0].Draft; d == nil || d.Outcome != "invalid" || len(d.Problems) == 0 {
		t.Errorf("draft %+v, want invalid with the validator's problems", d)
	}
}

func TestPreviewStopsRunningADraftThatHitsTheSandboxsLimits(t *testing.T) {
	h, epID, _ := previewRig(t)
	ans := h.preview(epID, map[string]any{"code": `function handler(webhook) { for (;;) {} }`})
	if ans.Summary.Errors != 1 || ans.Summary.NotRun != 2 {
		t.Fatalf("a looping draft: %+v, want 1 error and the rest not run", ans.Summary)
	}
	if d := ans.Items[0].Draft; d == nil || d.Outcome != "error" || d.Error == "" {
		t.Errorf("the first item's draft %+v, want an error that says why", d)
	}
	throwing := h.preview(epID, map[string]any{"code": throwingCode})
	if throwing.Summary.Errors != 3 {
		t.Errorf("a throwing draft: %+v, want 3 errors (a throw is no reason to stop)", throwing.Summary)
	}
}

func TestPreviewPagesAndFilters(t *testing.T) {
	h, epID, code := previewRig(t)
	first := h.preview(epID, map[string]any{"code": code, "limit": 2})
	if len(first.Items) != 2 || first.NextBefore == "" {
		t.Fatalf("limit 2: %d items, next_before %q; want 2 and a cursor", len(first.Items), first.NextBefore)
	}
	rest := h.preview(epID, map[string]any{"code": code, "limit": 2, "before": first.NextBefore})
	if len(rest.Items) != 1 || rest.NextBefore != "" || rest.Items[0].MessageID == first.Items[1].MessageID {
		t.Errorf("the next page: %+v, want the one older message and no cursor", rest.Items)
	}
	failed := h.preview(epID, map[string]any{"code": code, "event_types": []string{"payment.failed"}})
	if len(failed.Items) != 1 || failed.Items[0].EventType != "payment.failed" {
		t.Errorf("filtered to payment.failed: %+v", failed.Items)
	}
}

func TestPreviewRefusesWhatItCannotRun(t *testing.T) {
	h, epID, code := previewRig(t)
	path := endpointsPath + "/" + epID + "/transformation/preview"
	for name, tc := range map[string]struct {
		path   string
		body   map[string]any
		status int
	}{
		"a limit of 10,000":        {path, map[string]any{"code": code, "limit": 10000}, http.StatusUnprocessableEntity},
		"code that does not parse": {path, map[string]any{"code": "function handler(webhook) {"}, http.StatusUnprocessableEntity},
		"no code":                  {path, map[string]any{}, http.StatusUnprocessableEntity},
		"an unknown event type":    {path, map[string]any{"code": code, "event_types": []string{"payment.nope"}}, http.StatusUnprocessableEntity},
		"an unknown endpoint":      {endpointsPath + "/ep_nope/transformation/preview", map[string]any{"code": code}, http.StatusNotFound},
	} {
		if got := h.call("POST", tc.path, tc.body, nil); got != tc.status {
			t.Errorf("%s: %d, want %d", name, got, tc.status)
		}
	}
	if _, ok := catalog.Lookup("payment.nope"); ok {
		t.Fatal("the catalogue knows payment.nope")
	}
}
