package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

type appSettingsView struct {
	ID            string   `json:"id"`
	RetentionDays *int     `json:"retention_days"`
	RetrySchedule []string `json:"retry_schedule"`
}

// TestAppRetentionSetting sets an app's retention period through
// PATCH /api/v1/apps/{app} and reads it back, restores the default, and
// checks what is refused.
func TestAppRetentionSetting(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	const app = "/api/v1/apps/default"

	var got appSettingsView
	h.mustCall("GET", app, nil, http.StatusOK, &got)
	if got.RetentionDays != nil {
		t.Fatalf("a new app has retention_days %d, want null (the default)", *got.RetentionDays)
	}

	h.mustCall("PATCH", app, map[string]any{"retention_days": 30}, http.StatusOK, &got)
	if got.RetentionDays == nil || *got.RetentionDays != 30 || got.ID != "default" {
		t.Fatalf("PATCH retention_days 30 answered %+v", got)
	}
	got = appSettingsView{}
	h.mustCall("GET", app, nil, http.StatusOK, &got)
	if got.RetentionDays == nil || *got.RetentionDays != 30 {
		t.Errorf("GET after PATCH shows retention_days %v, want 30", got.RetentionDays)
	}

	for _, reset := range []any{nil, 0} {
		h.mustCall("PATCH", app, map[string]any{"retention_days": 7}, http.StatusOK, nil)
		got = appSettingsView{}
		h.mustCall("PATCH", app, map[string]any{"retention_days": reset}, http.StatusOK, &got)
		if got.RetentionDays != nil {
			t.Errorf("retention_days %v did not restore the default: %d", reset, *got.RetentionDays)
		}
	}

	for _, bad := range []any{-1, 3651, 1.5, "90"} {
		if status := h.call("PATCH", app, map[string]any{"retention_days": bad}, nil); status != http.StatusUnprocessableEntity {
			t.Errorf("retention_days %v answered %d, want 422", bad, status)
		}
	}
}

// TestAppSettingsRejectedChangesNothing: a PATCH with a valid retry
// schedule and an invalid retention period is refused as a whole.
func TestAppSettingsRejectedChangesNothing(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	const app = "/api/v1/apps/default"
	status := h.call("PATCH", app, map[string]any{"retention_days": 99999, "retry_schedule": []string{"0s", "1m"}}, nil)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("PATCH with an invalid retention_days answered %d, want 422", status)
	}
	var got appSettingsView
	h.mustCall("GET", app, nil, http.StatusOK, &got)
	if len(got.RetrySchedule) != 0 || got.RetentionDays != nil {
		t.Errorf("a refused PATCH changed the app: %+v", got)
	}
}

// TestAppSettingsNeedAdmin: a token of the app may read its settings but
// not change them.
func TestAppSettingsNeedAdmin(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	var tok struct {
		Token string `json:"token"`
	}
	h.mustCall("POST", "/api/v1/apps/default/tokens", map[string]any{"name": "merchant"}, http.StatusCreated, &tok)
	if tok.Token == "" {
		t.Fatal("no token secret in the answer")
	}
	call := func(method string, body any) int {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, h.url+"/api/v1/apps/default", bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+tok.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if status := call("GET", nil); status != http.StatusOK {
		t.Errorf("the app's token reading its app: %d, want 200", status)
	}
	if status := call("PATCH", map[string]any{"retention_days": 3650}); status != http.StatusForbidden {
		t.Errorf("the app's token changing retention: %d, want 403", status)
	}
	if status := h.call("PATCH", "/api/v1/apps/nope", map[string]any{"retention_days": 7}, nil); status != http.StatusNotFound {
		t.Errorf("PATCH of an unknown app: %d, want 404", status)
	}
}
