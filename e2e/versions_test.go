package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// versionSummary is an entry of GET …/transformation/versions.
type versionSummary struct {
	Number       int    `json:"number"`
	Enabled      bool   `json:"enabled"`
	Template     string `json:"template"`
	SavedBy      string `json:"saved_by"`
	RestoredFrom int    `json:"restored_from"`
	Lines        int    `json:"lines"`
	Live         bool   `json:"live"`
}

type versionDiff struct {
	From    *versionSummary `json:"from"`
	To      versionSummary  `json:"to"`
	Diff    string          `json:"diff"`
	Added   int             `json:"added"`
	Removed int             `json:"removed"`
}

// savedTransformation is what a save answers about the transformation.
type savedTransformation struct {
	ID             string        `json:"id"`
	Warnings       []saveProblem `json:"warnings"`
	Transformation struct {
		Code     string `json:"code"`
		Enabled  bool   `json:"enabled"`
		Template string `json:"template"`
		Version  int    `json:"version"`
	} `json:"transformation"`
}

const (
	adminTokenName = "admin (HOOKBRIDGE_ADMIN_TOKEN)"
	codeV1         = "function handler(webhook) {\n  webhook.payload = { v: 1 };\n  return webhook\n}\n"
	codeV2         = "function handler(webhook) {\n  webhook.payload = { v: 2, extra: true };\n  return webhook\n}\n"
)

func (h *harness) versions(endpointID string) []versionSummary {
	h.t.Helper()
	var list struct {
		Data []versionSummary `json:"data"`
	}
	h.mustCall("GET", endpointsPath+"/"+endpointID+"/transformation/versions", nil, http.StatusOK, &list)
	return list.Data
}

func numbersOf(vs []versionSummary) []int {
	out := make([]int, len(vs))
	for i, v := range vs {
		out[i] = v.Number
	}
	return out
}

func (h *harness) patchEndpoint(id string, body map[string]any) savedTransformation {
	h.t.Helper()
	var saved savedTransformation
	h.mustCall("PATCH", endpointsPath+"/"+id, body, http.StatusOK, &saved)
	return saved
}

// TestTransformationVersionsRecordEverySave: creating an endpoint and
// each save that changes its transformation's code, enabled flag or
// template make a numbered version naming the token; other changes make
// none; the versions read back with their code and compare as unified
// diffs.
func TestTransformationVersionsRecordEverySave(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	ep := h.createEndpoint(map[string]any{"url": "http://127.0.0.1:9/hook", "transformation": map[string]any{"code": codeV1}})

	if saved := h.patchEndpoint(ep.ID, map[string]any{"transformation": map[string]any{"code": codeV2}}); saved.Transformation.Version != 2 {
		t.Fatalf("after changing the code: transformation version %d, want 2", saved.Transformation.Version)
	}
	h.patchEndpoint(ep.ID, map[string]any{"name": "renamed", "rate_limit": 5})
	if saved := h.patchEndpoint(ep.ID, map[string]any{"transformation": map[string]any{"enabled": false}}); saved.Transformation.Version != 3 {
		t.Fatalf("after disabling the transformation: version %d, want 3", saved.Transformation.Version)
	}

	vs := h.versions(ep.ID)
	jsonEqual(t, "versions", numbersOf(vs), []int{3, 2, 1})
	for _, v := range vs {
		if v.SavedBy != adminTokenName || v.Live != (v.Number == 3) || v.Lines != 4 {
			t.Errorf("version %+v, want saved by %q, 4 lines, live only for 3", v, adminTokenName)
		}
	}
	if vs[0].Enabled || !vs[1].Enabled {
		t.Errorf("enabled flags %v, %v; want version 3 disabled and 2 enabled", vs[0].Enabled, vs[1].Enabled)
	}

	var v1 struct {
		Code string `json:"code"`
		Live bool   `json:"live"`
	}
	h.mustCall("GET", endpointsPath+"/"+ep.ID+"/transformation/versions/1", nil, http.StatusOK, &v1)
	if v1.Code != codeV1 || v1.Live {
		t.Errorf("version 1 = %+v, want the first code, not live", v1)
	}

	var d versionDiff
	h.mustCall("GET", endpointsPath+"/"+ep.ID+"/transformation/diff", nil, http.StatusOK, &d)
	if d.From == nil || d.From.Number != 2 || d.To.Number != 3 || d.Diff != "" || d.To.Enabled {
		t.Errorf("default diff %+v, want version 2 to 3, same code, enabled changed", d)
	}
	h.mustCall("GET", endpointsPath+"/"+ep.ID+"/transformation/diff?from=1&to=2", nil, http.StatusOK, &d)
	want := "--- version 1\n+++ version 2\n@@ -1,4 +1,4 @@\n function handler(webhook) {\n" +
		"-  webhook.payload = { v: 1 };\n+  webhook.payload = { v: 2, extra: true };\n   return webhook\n }\n"
	if d.Diff != want || d.Added != 1 || d.Removed != 1 {
		t.Errorf("diff 1 → 2 (+%d -%d):\n%s\nwant:\n%s", d.Added, d.Removed, d.Diff, want)
	}
	h.mustCall("GET", endpointsPath+"/"+ep.ID+"/transformation/diff?to=1", nil, http.StatusOK, &d)
	if d.From != nil || d.Added != 4 || !strings.HasPrefix(d.Diff, "--- /dev/null\n+++ version 1\n@@ -0,0 +1,4 @@\n") {
		t.Errorf("diff of version 1 %+v, want it from nothing", d)
	}
}

// TestTemplateIsRecordedWithTheVersion: a transformation made from a
// template names it, and an edit of its code keeps it.
func TestTemplateIsRecordedWithTheVersion(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	var ep savedTransformation
	body := map[string]any{"integration": "segment", "credentials": seg.Credentials(), "template": "payment-events"}
	h.mustCall("POST", endpointsPath, body, http.StatusCreated, &ep)
	if ep.Transformation.Template != "payment-events" || ep.Transformation.Version != 1 {
		t.Fatalf("created transformation %+v, want template payment-events, version 1", ep.Transformation)
	}
	id := ep.ID
	saved := h.patchEndpoint(id, map[string]any{"transformation": map[string]any{"code": ep.Transformation.Code + "\n// edited\n"}})
	if saved.Transformation.Template != "payment-events" || saved.Transformation.Version != 2 {
		t.Errorf("edited transformation %+v, want the template kept, version 2", saved.Transformation)
	}
	if vs := h.versions(id); len(vs) != 2 || vs[0].Template != "payment-events" || vs[1].Template != "payment-events" {
		t.Errorf("versions %+v, want both from payment-events", vs)
	}
}

// TestRestoreMakesANewVersion: restoring version n saves its
// transformation as a new version marked restored from n; a version the
// save check refuses is not restored unless forced.
func TestRestoreMakesANewVersion(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	ep := h.createEndpoint(map[string]any{"url": "http://127.0.0.1:9/hook", "transformation": map[string]any{"code": codeV1}})
	h.patchEndpoint(ep.ID, map[string]any{"transformation": map[string]any{"code": throwingCode}, "force": true})
	h.patchEndpoint(ep.ID, map[string]any{"transformation": map[string]any{"code": codeV2}})
	restorePath := func(n string) string {
		return endpointsPath + "/" + ep.ID + "/transformation/versions/" + n + "/restore"
	}

	var saved savedTransformation
	h.mustCall("POST", restorePath("1"), nil, http.StatusOK, &saved)
	if saved.Transformation.Code != codeV1 || saved.Transformation.Version != 4 {
		t.Fatalf("after restoring version 1: %+v, want its code as version 4", saved.Transformation)
	}
	if v := h.versions(ep.ID)[0]; v.Number != 4 || v.RestoredFrom != 1 || !v.Live {
		t.Errorf("newest version %+v, want 4, live, restored from 1", v)
	}

	ans := h.mustReject("POST", restorePath("2"), map[string]any{})
	if len(ans.Error.Problems) == 0 || ans.Error.Problems[0].Kind != "error" {
		t.Errorf("refused restore problems %+v, want the handler's error", ans.Error.Problems)
	}
	if n := len(h.versions(ep.ID)); n != 4 {
		t.Errorf("%d versions after a refused restore, want 4", n)
	}
	h.mustCall("POST", restorePath("2"), map[string]any{"force": true}, http.StatusOK, &saved)
	if saved.Transformation.Code != throwingCode || saved.Transformation.Version != 5 || len(saved.Warnings) == 0 {
		t.Errorf("forced restore %+v, want version 5 with the throwing code and warnings", saved)
	}
}

// TestVersionsRefuseBadInput: unknown versions and endpoints are 404,
// numbers that are no version numbers and unknown body fields 422.
func TestVersionsRefuseBadInput(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	ep := h.createEndpoint(map[string]any{"url": "http://127.0.0.1:9/hook", "transformation": map[string]any{"code": codeV1}})
	base := endpointsPath + "/" + ep.ID + "/transformation"
	for _, c := range []struct {
		method, path string
		body         any
		want         int
	}{
		{"GET", base + "/versions/2", nil, http.StatusNotFound},
		{"GET", base + "/versions/999999", nil, http.StatusNotFound},
		{"GET", base + "/versions/0", nil, http.StatusUnprocessableEntity},
		{"GET", base + "/versions/-1", nil, http.StatusUnprocessableEntity},
		{"GET", base + "/versions/one", nil, http.StatusUnprocessableEntity},
		{"GET", base + "/diff?from=7", nil, http.StatusNotFound},
		{"GET", base + "/diff?to=7", nil, http.StatusNotFound},
		{"GET", base + "/diff?from=0", nil, http.StatusUnprocessableEntity},
		{"GET", base + "/diff?to=x", nil, http.StatusUnprocessableEntity},
		{"POST", base + "/versions/2/restore", nil, http.StatusNotFound},
		{"POST", base + "/versions/0/restore", nil, http.StatusUnprocessableEntity},
		{"POST", base + "/versions/1/restore", map[string]any{"forse": true}, http.StatusUnprocessableEntity},
		{"GET", endpointsPath + "/ep_unknown/transformation/versions", nil, http.StatusNotFound},
		{"GET", endpointsPath + "/ep_unknown/transformation/versions/1", nil, http.StatusNotFound},
		{"GET", endpointsPath + "/ep_unknown/transformation/diff", nil, http.StatusNotFound},
		{"POST", endpointsPath + "/ep_unknown/transformation/versions/1/restore", nil, http.StatusNotFound},
	} {
		var raw json.RawMessage
		if got := h.call(c.method, c.path, c.body, &raw); got != c.want {
			t.Errorf("%s %s = %d, want %d: %s", c.method, c.path, got, c.want, raw)
		}
	}
	if n := len(h.versions(ep.ID)); n != 1 {
		t.Errorf("%d versions after refused calls, want 1", n)
	}
}

// TestAttemptsNameTheTransformationVersion: each attempt records the
// version of the transformation that produced its request.
func TestAttemptsNameTheTransformationVersion(t *testing.T) {
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	t.Cleanup(receiver.Close)
	seg, cio := newFakes(t)
	h := start(t, seg, cio, withAllowPrivate())
	ep := h.createEndpoint(map[string]any{"url": receiver.URL, "event_types": []string{"payment.succeeded"},
		"transformation": map[string]any{"code": codeV1}})
	payload, _ := sample(t, "payment.succeeded")

	checkAttemptVersion(t, h, payload, "evt_versions_1", 1)
	h.patchEndpoint(ep.ID, map[string]any{"transformation": map[string]any{"code": codeV2}})
	checkAttemptVersion(t, h, payload, "evt_versions_2", 2)
}

func checkAttemptVersion(t *testing.T, h *harness, payload json.RawMessage, eventID string, want int) {
	t.Helper()
	msg := h.postMessage("payment.succeeded", payload, eventID)
	ds := h.waitDeliveries(msg.ID)
	if len(ds) != 1 {
		t.Fatalf("%d deliveries, want 1", len(ds))
	}
	atts := h.attempts(ds[0].ID)
	if len(atts) == 0 || atts[len(atts)-1].TransformationVersion != want {
		t.Fatalf("attempts %+v, want the last made by transformation version %d", atts, want)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(atts[len(atts)-1].Request.Body), &body); err != nil || body["v"] != float64(want) {
		t.Errorf("request body %s, want the payload of version %d", atts[len(atts)-1].Request.Body, want)
	}
}
