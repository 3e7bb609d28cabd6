package e2e

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge/catalog"
)

// saveProblem is one entry of a save check's problems or warnings.
type saveProblem struct {
	EventType string `json:"event_type"`
	Kind      string `json:"kind"`
	Field     string `json:"field"`
	Message   string `json:"message"`
	Fix       string `json:"fix"`
}

// savedEndpoint is the answer to a create or update, with what the save
// check found when the save was forced.
type savedEndpoint struct {
	ID             string        `json:"id"`
	Name           string        `json:"name"`
	Warnings       []saveProblem `json:"warnings"`
	NotChecked     []string      `json:"not_checked"`
	Transformation struct {
		Code string `json:"code"`
	} `json:"transformation"`
}

// rejectedSave is a 422 transformation_rejected answer.
type rejectedSave struct {
	Error struct {
		Code       string        `json:"code"`
		Message    string        `json:"message"`
		Problems   []saveProblem `json:"problems"`
		NotChecked []string      `json:"not_checked"`
	} `json:"error"`
}

const (
	endpointsPath = "/api/v1/apps/default/endpoints"
	throwingCode  = `function handler(webhook) { throw new Error("no handler for " + webhook.eventType) }`
)

func eventTypesOf(problems []saveProblem) []string {
	var types []string
	for _, p := range problems {
		if !slices.Contains(types, p.EventType) {
			types = append(types, p.EventType)
		}
	}
	return types
}

// mustReject makes a call that the save check must refuse, and returns
// its answer.
func (h *harness) mustReject(method, path string, body map[string]any) rejectedSave {
	h.t.Helper()
	var ans rejectedSave
	if got := h.call(method, path, body, &ans); got != http.StatusUnprocessableEntity || ans.Error.Code != "transformation_rejected" {
		h.t.Fatalf("%s %s = %d %+v, want 422 transformation_rejected", method, path, got, ans)
	}
	return ans
}

func (h *harness) endpointCount() int {
	h.t.Helper()
	var list struct {
		Data []json.RawMessage `json:"data"`
	}
	h.mustCall("GET", endpointsPath, nil, http.StatusOK, &list)
	return len(list.Data)
}

// TestCreateRefusesTheDocHandlerCustomerIORejects: the documentation's
// Customer.io handler, whose actions Customer.io refuses, is not created
// without a word: the answer names each event type with the validator's
// problem and its fix; with force it is created and the same problems
// come back as warnings.
func TestCreateRefusesTheDocHandlerCustomerIORejects(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	body := map[string]any{"integration": "customerio", "credentials": cio.Credentials(), "template": "docs-subscription-lifecycle"}

	ans := h.mustReject("POST", endpointsPath, body)
	want := []string{"subscription.active", "subscription.cancelled"}
	if got := eventTypesOf(ans.Error.Problems); !slices.Equal(got, want) {
		t.Fatalf("problems for %v, want %v: %+v", got, want, ans.Error.Problems)
	}
	for _, p := range ans.Error.Problems {
		if p.Kind != "invalid" || p.Field != "action" || !strings.Contains(p.Fix, `action: "event"`) {
			t.Errorf("problem %+v, want the invalid action with its fix", p)
		}
	}
	if !strings.Contains(ans.Error.Message, "force") {
		t.Errorf("message %q does not say how to save anyway", ans.Error.Message)
	}
	if n := h.endpointCount(); n != 0 {
		t.Fatalf("%d endpoints after a refused create, want 0", n)
	}

	body["force"] = true
	var saved savedEndpoint
	h.mustCall("POST", endpointsPath, body, http.StatusCreated, &saved)
	if !slices.Equal(saved.Warnings, ans.Error.Problems) {
		t.Fatalf("forced create warnings %+v, want the refused create's problems %+v", saved.Warnings, ans.Error.Problems)
	}
	if n := h.endpointCount(); n != 1 {
		t.Fatalf("%d endpoints after a forced create, want 1", n)
	}
	if n := len(cio.Requests()); n != 0 {
		t.Fatalf("the check sent %d requests to Customer.io, want none", n)
	}
}

// TestCreateWithAValidTemplateSaysNothing: a template the destination
// accepts, and a handler that skips events it does not handle, are
// created with no warnings.
func TestCreateWithAValidTemplateSaysNothing(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	for name, body := range map[string]map[string]any{
		"template": {"integration": "customerio", "credentials": cio.Credentials(), "template": "payment-completed"},
		"skips every event": {"integration": "webhook", "url": "http://127.0.0.1:9/hook",
			"transformation": map[string]any{"code": `function handler(webhook) { webhook.cancel = true; return webhook }`}},
	} {
		t.Run(name, func(t *testing.T) {
			var raw map[string]json.RawMessage
			h.mustCall("POST", endpointsPath, body, http.StatusCreated, &raw)
			for _, key := range []string{"warnings", "not_checked"} {
				if v, ok := raw[key]; ok {
					t.Errorf("answer has %s: %s", key, v)
				}
			}
		})
	}
}

// TestPatchToAThrowingHandler: saving code that throws on every sample is
// refused, listing every event type the endpoint receives, and leaves the
// endpoint as it was; with force it is saved. A later change of the name
// alone runs nothing, so it is not refused.
func TestPatchToAThrowingHandler(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	var ep savedEndpoint
	h.mustCall("POST", endpointsPath, map[string]any{"integration": "webhook", "url": "http://127.0.0.1:9/hook"}, http.StatusCreated, &ep)
	path := endpointsPath + "/" + ep.ID
	patch := map[string]any{"transformation": map[string]any{"code": throwingCode, "enabled": true}}

	start := time.Now()
	ans := h.mustReject("PATCH", path, patch)
	t.Logf("the check of %d samples took %v", len(catalog.All()), time.Since(start))
	if got, want := len(eventTypesOf(ans.Error.Problems)), len(catalog.All()); got != want {
		t.Fatalf("problems for %d event types, want all %d", got, want)
	}
	for _, p := range ans.Error.Problems {
		if p.Kind != "error" || !strings.Contains(p.Message, "no handler for "+p.EventType) {
			t.Fatalf("problem %+v, want the handler's exception for its event type", p)
		}
	}
	var got savedEndpoint
	h.mustCall("GET", path, nil, http.StatusOK, &got)
	if got.Transformation.Code != "" {
		t.Fatalf("a refused update saved the code %q", got.Transformation.Code)
	}

	patch["force"] = true
	h.mustCall("PATCH", path, patch, http.StatusOK, &got)
	if got.Transformation.Code != throwingCode || len(got.Warnings) != len(ans.Error.Problems) {
		t.Fatalf("forced update: code %q, %d warnings; want the code saved with %d warnings", got.Transformation.Code, len(got.Warnings), len(ans.Error.Problems))
	}

	var renamed savedEndpoint
	h.mustCall("PATCH", path, map[string]any{"name": "renamed"}, http.StatusOK, &renamed)
	if renamed.Name != "renamed" || renamed.Warnings != nil {
		t.Fatalf("rename: %+v, want renamed with no check run", renamed)
	}
}

// TestSaveCheckStopsAtATimeout: a handler that never returns costs one
// time limit, not one per event type: the remaining event types are
// listed as not checked.
func TestSaveCheckStopsAtATimeout(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	body := map[string]any{"integration": "webhook", "url": "http://127.0.0.1:9/hook",
		"transformation": map[string]any{"code": `function handler(webhook) { for (;;) {} }`}}
	started := time.Now()
	ans := h.mustReject("POST", endpointsPath, body)
	if elapsed := time.Since(started); elapsed > 5*time.Second {
		t.Errorf("the check took %v; a timeout must stop it", elapsed)
	}
	if len(ans.Error.Problems) != 1 || !strings.Contains(ans.Error.Problems[0].Message, "timeout") {
		t.Fatalf("problems %+v, want the one timeout", ans.Error.Problems)
	}
	if got, want := len(ans.Error.NotChecked), len(catalog.All())-1; got != want {
		t.Fatalf("%d event types not checked, want %d", got, want)
	}
}
