package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// TestATestOfASavedEndpointUsesItsSecrets: the settings page shows an
// endpoint's secrets masked, so its test names the endpoint and the
// secrets left empty come from it — here a Slack webhook URL, without
// which the test would have nowhere to go. Another app's endpoint is not
// found.
func TestATestOfASavedEndpointUsesItsSecrets(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	const hook = "https://hooks.slack.com/services/T0001/B0001/secrettoken123"
	ep := h.createEndpoint(map[string]any{"integration": "slack", "template": "payments",
		"credentials": map[string]string{"webhook_url": hook}})
	var code struct {
		Transformation struct {
			Code string `json:"code"`
		} `json:"transformation"`
	}
	h.mustCall("GET", endpointsPath+"/"+ep.ID, nil, http.StatusOK, &code)

	body := map[string]any{"integration": "slack", "code": code.Transformation.Code, "event_type": "payment.succeeded"}
	var without struct {
		Warnings []string `json:"warnings"`
	}
	h.mustCall("POST", "/api/v1/apps/default/transformations/test", body, http.StatusOK, &without)
	if len(without.Warnings) == 0 {
		t.Fatal("a test without the webhook URL has no warning: the test would prove nothing")
	}

	body["endpoint_id"] = ep.ID
	var with struct {
		Status   string   `json:"status"`
		Warnings []string `json:"warnings"`
		Request  struct {
			URL string `json:"url"`
		} `json:"request"`
	}
	h.mustCall("POST", "/api/v1/apps/default/transformations/test", body, http.StatusOK, &with)
	if with.Status != "ready" || len(with.Warnings) != 0 {
		t.Errorf("with the endpoint named: %s, warnings %v; want ready with none", with.Status, with.Warnings)
	}
	if !strings.HasPrefix(with.Request.URL, "https://hooks.slack.com/") || strings.Contains(with.Request.URL, "secrettoken123") {
		t.Errorf("request URL %q: want the saved webhook's host, its token masked", with.Request.URL)
	}

	h.mustCall("POST", "/api/v1/apps", map[string]any{"id": "other"}, http.StatusCreated, nil)
	body["endpoint_id"] = ep.ID
	if got := h.call("POST", "/api/v1/apps/other/transformations/test", body, nil); got != http.StatusNotFound {
		t.Errorf("another app naming the endpoint: %d, want 404", got)
	}
}
