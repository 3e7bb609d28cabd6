package browser_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestTransformationHistory walks the History tab of an endpoint: its
// versions, the changes a version made, and restoring an older one,
// which the list then shows as the live version saved from the
// dashboard.
func TestTransformationHistory(t *testing.T) {
	b := startBrowser(t)
	e := startHookbridge(t)
	var ep struct {
		ID string `json:"id"`
	}
	first := "function handler(webhook) {\n  webhook.payload = { v: 1 };\n  return webhook\n}\n"
	second := strings.Replace(first, "{ v: 1 }", "{ v: 2, extra: true }", 1)

	walk(t, e, b, []step{
		{"SignIn", signIn},
		{"SaveTwoVersions", func(t *testing.T, e *env, b *browser) {
			e.api(t, http.MethodPost, "/api/v1/apps/default/endpoints", map[string]any{
				"url": e.receiver.URL, "transformation": map[string]any{"code": first}}, &ep)
			e.api(t, http.MethodPatch, "/api/v1/apps/default/endpoints/"+ep.ID, map[string]any{
				"transformation": map[string]any{"code": second}}, nil)
		}},
		{"HistoryListsVersions", func(t *testing.T, e *env, b *browser) {
			b.open(t, e, "/apps/default/endpoints/"+ep.ID+"?tab=history")
			b.waitFor(t, "two versions", `document.querySelectorAll("table.versions [data-version]").length === 2`)
			row := b.text(t, `[data-version="2"]`)
			if !strings.Contains(row, "Live") || !strings.Contains(row, "admin") {
				t.Errorf("version 2 row %q, want it live and saved by the admin token", row)
			}
			b.screenshot(t, "history-versions")
		}},
		{"ChangesOfAVersion", func(t *testing.T, e *env, b *browser) {
			b.click(t, `[data-version="2"] [data-action=diff]`)
			b.waitFor(t, "the diff", `document.querySelector("pre.diff .diff-add")`)
			lines := func(class string) string {
				return eval[string](t, b, `[...document.querySelectorAll("pre.diff .`+class+`")].map((l) => l.textContent).join("")`)
			}
			if added := lines("diff-add"); !strings.Contains(added, "+  webhook.payload = { v: 2, extra: true };") || strings.Count(added, "\n") != 1 {
				t.Errorf("added lines %q, want the second version's payload alone", added)
			}
			if removed := lines("diff-del"); !strings.Contains(removed, "-  webhook.payload = { v: 1 };") || strings.Count(removed, "\n") != 1 {
				t.Errorf("removed lines %q, want the first version's payload alone", removed)
			}
			b.screenshot(t, "history-diff")
		}},
		{"RestoreAnOlderVersion", func(t *testing.T, e *env, b *browser) {
			b.click(t, `[data-version="1"] [data-action=restore]`)
			b.waitFor(t, "the restored version", `document.querySelectorAll("table.versions [data-version]").length === 3`)
			row := b.text(t, `[data-version="3"]`)
			if !strings.Contains(row, "Live") || !strings.Contains(row, "restored from 1") || !strings.Contains(row, "(dashboard)") {
				t.Errorf("version 3 row %q, want it live, restored from 1, saved from the dashboard", row)
			}
			var got struct {
				Transformation struct {
					Code    string `json:"code"`
					Version int    `json:"version"`
				} `json:"transformation"`
			}
			e.api(t, http.MethodGet, "/api/v1/apps/default/endpoints/"+ep.ID, nil, &got)
			if got.Transformation.Code != first || got.Transformation.Version != 3 {
				t.Errorf("endpoint transformation %+v, want the first code as version 3", got.Transformation)
			}
			b.assertNoPageProblems(t)
		}},
	})
}
