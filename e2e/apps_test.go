package e2e

import (
	"net/http"
	"testing"
)

func TestAppsAreTenants(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	var app struct{ ID, Name string }
	h.mustCall("POST", "/api/v1/apps", map[string]any{"id": "merchant-42", "name": "Merchant 42"}, http.StatusCreated, &app)
	if app.ID != "merchant-42" || app.Name != "Merchant 42" {
		t.Fatalf("created %+v", app)
	}
	if status := h.call("POST", "/api/v1/apps", map[string]any{"id": "merchant-42"}, nil); status != http.StatusConflict {
		t.Fatalf("duplicate app id answered %d, want 409", status)
	}
	var e apiErr
	if status := h.call("POST", "/api/v1/apps", map[string]any{"id": "Not OK!"}, &e); status != http.StatusUnprocessableEntity || e.Error.Fields[0].Field != "id" {
		t.Fatalf("bad app id answered %d %+v", status, e)
	}
	h.mustCall("GET", "/api/v1/apps/merchant-42", nil, http.StatusOK, &app)
	if status := h.call("GET", "/api/v1/apps/nobody", nil, nil); status != http.StatusNotFound {
		t.Fatalf("unknown app answered %d", status)
	}
	// Endpoints and messages of one app are invisible from another.
	ep := segmentEndpoint(h, seg.Credentials())
	if status := h.call("GET", "/api/v1/apps/merchant-42/endpoints/"+ep.ID, nil, nil); status != http.StatusNotFound {
		t.Fatalf("another app's endpoint answered %d", status)
	}
	var list struct {
		Data []any `json:"data"`
	}
	h.mustCall("GET", "/api/v1/apps/merchant-42/endpoints", nil, http.StatusOK, &list)
	if len(list.Data) != 0 {
		t.Fatalf("new app lists %d endpoints", len(list.Data))
	}
}
