package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/customerio/customeriotest"
	"github.com/hookbridge/hookbridge/integration/loops/loopstest"
	"github.com/hookbridge/hookbridge/integration/segment/segmenttest"
)

type verifyView struct {
	Integration string            `json:"integration"`
	EndpointID  string            `json:"endpoint_id"`
	Result      string            `json:"result"`
	Message     string            `json:"message"`
	Fix         string            `json:"fix"`
	Region      string            `json:"region"`
	Switch      map[string]string `json:"switch"`
	Call        string            `json:"call"`
	Status      int               `json:"status"`
}

// verifyAudit returns the outcomes the audit log kept for verify calls,
// newest first.
func (h *harness) verifyAudit() []string {
	h.t.Helper()
	var page struct {
		Data []struct {
			Route   string `json:"route"`
			Outcome string `json:"outcome"`
		} `json:"data"`
	}
	h.mustCall("GET", "/api/v1/apps/default/audit-log", nil, http.StatusOK, &page)
	var out []string
	for _, e := range page.Data {
		if strings.HasSuffix(e.Route, "/verify") {
			out = append(out, e.Outcome)
		}
	}
	return out
}

// A saved Customer.io endpoint is checked with the account-region call
// alone: right credentials are valid, an EU account set to us is a wrong
// region with the switch offered, a wrong key is a wrong key that is
// never shown or logged; each result is in the audit log, and nothing
// reaches the Track API's event routes.
func TestVerifyCustomerIOEndpoint(t *testing.T) {
	secretKey := "cio-verify-key-" + randomText(t)
	cio := customeriotest.New(t, customeriotest.WithCredentials(customeriotest.SiteID, secretKey), customeriotest.WithRegion("eu"))
	var logs logBuffer
	h := start(t, segmenttest.New(t), cio, withDebugLog(&logs))
	good := h.createEndpoint(map[string]any{"integration": "customerio", "template": cioTemplateID(t),
		"credentials": map[string]string{"site_id": customeriotest.SiteID, "api_key": secretKey, "region": "eu"}})
	var v verifyView
	v = verifyView{}
	h.mustCall("POST", "/api/v1/apps/default/endpoints/"+good.ID+"/verify", nil, http.StatusOK, &v)
	if v.Result != "valid" || v.Region != "eu" || v.EndpointID != good.ID || !strings.Contains(v.Call, "/api/v1/accounts/region") {
		t.Fatalf("good EU credentials: %+v", v)
	}

	wrongRegion := h.createEndpoint(map[string]any{"integration": "customerio", "template": cioTemplateID(t),
		"credentials": map[string]string{"site_id": customeriotest.SiteID, "api_key": secretKey, "region": "us"}})
	v = verifyView{}
	h.mustCall("POST", "/api/v1/apps/default/endpoints/"+wrongRegion.ID+"/verify", nil, http.StatusOK, &v)
	if v.Result != "wrong_region" || v.Region != "eu" || v.Switch["region"] != "eu" {
		t.Fatalf("an EU account set to us: %+v", v)
	}

	wrongKey := "cio-wrong-key-" + randomText(t)
	bad := h.createEndpoint(map[string]any{"integration": "customerio", "template": cioTemplateID(t),
		"credentials": map[string]string{"site_id": customeriotest.SiteID, "api_key": wrongKey, "region": "eu"}})
	var raw json.RawMessage
	h.mustCall("POST", "/api/v1/apps/default/endpoints/"+bad.ID+"/verify", nil, http.StatusOK, &raw)
	if err := json.Unmarshal(raw, &v); err != nil || v.Result != "wrong_key" || v.Status != 401 {
		t.Fatalf("a wrong key: %s", raw)
	}
	for _, secret := range []string{secretKey, wrongKey} {
		if strings.Contains(string(raw), secret) || strings.Contains(logs.String(), secret) {
			t.Errorf("a key is in the answer or the log")
		}
	}

	if got := h.verifyAudit(); strings.Join(got, ",") != "wrong_key,wrong_region,valid" {
		t.Errorf("audit log outcomes of the checks: %v", got)
	}
	for _, r := range cio.Requests() {
		if r.Method != "GET" || r.Path != "/api/v1/accounts/region" {
			t.Errorf("a check sent %s %s to Customer.io", r.Method, r.Path)
		}
	}
	if len(cio.Accepted()) != 0 {
		t.Errorf("a check sent operations: %+v", cio.Accepted())
	}
}

// The add-endpoint form checks credentials before Create; fields are
// checked first. Unknown endpoints and integrations are 404.
func TestVerifyBeforeCreate(t *testing.T) {
	seg, cio := newFakes(t)
	loops := loopstest.New(t)
	h := start(t, seg, cio, withHostOverride("app.loops.so", loops.URL))

	var v verifyView
	v = verifyView{}
	h.mustCall("POST", "/api/v1/apps/default/integrations/customerio/verify",
		map[string]any{"credentials": map[string]string{"site_id": customeriotest.SiteID, "api_key": customeriotest.APIKey}}, http.StatusOK, &v)
	if v.Result != "valid" || v.Region != "us" || v.EndpointID != "" {
		t.Fatalf("good credentials before create: %+v", v)
	}
	h.mustCall("POST", "/api/v1/apps/default/integrations/customerio/verify",
		map[string]any{"credentials": map[string]string{"site_id": customeriotest.SiteID}}, http.StatusUnprocessableEntity, nil)

	v = verifyView{}
	h.mustCall("POST", "/api/v1/apps/default/integrations/loops/verify",
		map[string]any{"credentials": loops.Credentials()}, http.StatusOK, &v)
	if v.Result != "valid" || !strings.Contains(v.Message, loopstest.TeamName) {
		t.Fatalf("Loops through the host override: %+v", v)
	}
	if n := len(loops.Emails()) + len(loops.Events()); n != 0 {
		t.Errorf("the check sent %d things to Loops", n)
	}

	v = verifyView{}
	h.mustCall("POST", "/api/v1/apps/default/integrations/segment/verify",
		map[string]any{"credentials": seg.Credentials()}, http.StatusOK, &v)
	if v.Result != "cannot_check" || !strings.Contains(v.Message, "write key") || v.Call != "" {
		t.Fatalf("Segment: %+v", v)
	}
	if n := len(seg.Requests()); n != 0 {
		t.Errorf("Segment's check sent %d requests", n)
	}

	v = verifyView{}
	h.mustCall("POST", "/api/v1/apps/default/integrations/slack/verify",
		map[string]any{"credentials": map[string]string{"webhook_url": "https://hooks.slack.com/services/T000/B000/secretpart123"}}, http.StatusOK, &v)
	if v.Result != "cannot_check" || !strings.Contains(v.Message, "Slack webhook URL") || strings.Contains(v.Message+v.Fix, "secretpart123") {
		t.Fatalf("Slack: %+v", v)
	}

	v = verifyView{}
	h.mustCall("POST", "/api/v1/apps/default/integrations/webhook/verify", map[string]any{"credentials": map[string]string{}}, http.StatusOK, &v)
	if v.Result != "cannot_check" || !strings.Contains(v.Message, "no tool credentials") {
		t.Fatalf("a plain webhook: %+v", v)
	}

	h.mustCall("POST", "/api/v1/apps/default/endpoints/ep_missing/verify", nil, http.StatusNotFound, nil)
	h.mustCall("POST", "/api/v1/apps/default/integrations/nosuchtool/verify", map[string]any{}, http.StatusNotFound, nil)

	if got := h.verifyAudit(); strings.Join(got, ",") != "cannot_check,cannot_check,cannot_check,valid,valid" {
		t.Errorf("audit log outcomes: %v", got)
	}
}

// A settings form checks a change of region before saving, with the
// saved endpoint's secret standing in for the empty field.
func TestVerifySettingsFormUsesSavedSecret(t *testing.T) {
	seg := segmenttest.New(t)
	cio := customeriotest.New(t, customeriotest.WithRegion("eu"))
	h := start(t, seg, cio)
	ep := h.createEndpoint(map[string]any{"integration": "customerio", "template": cioTemplateID(t), "credentials": map[string]string{
		"site_id": customeriotest.SiteID, "api_key": customeriotest.APIKey, "region": "us"}})
	var v verifyView
	v = verifyView{}
	h.mustCall("POST", "/api/v1/apps/default/integrations/customerio/verify", map[string]any{"endpoint_id": ep.ID,
		"credentials": map[string]string{"site_id": customeriotest.SiteID, "api_key": "", "region": "eu"}}, http.StatusOK, &v)
	if v.Result != "valid" {
		t.Fatalf("the saved key with the region switched: %+v", v)
	}
}

// cioTemplateID is a Customer.io template that the API accepts.
func cioTemplateID(t *testing.T) string {
	return template(t, "customerio", func(tpl hookbridge.Template) bool { return !tpl.FromDocs }).ID
}

// A tool that never answers is given up on within the check's 10 seconds
// and reported as cannot be checked.
func TestVerifyTimesOut(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	cio.HangNext(1)
	began := time.Now()
	var v verifyView
	h.mustCall("POST", "/api/v1/apps/default/integrations/customerio/verify",
		map[string]any{"credentials": cio.Credentials()}, http.StatusOK, &v)
	if took := time.Since(began); took > 13*time.Second {
		t.Errorf("the check took %s", took)
	}
	if v.Result != "cannot_check" || !strings.Contains(v.Message, "could not be reached") {
		t.Fatalf("a tool that never answers: %+v", v)
	}
}
