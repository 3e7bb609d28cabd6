package hubspottest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge/integration/hubspot/hubspottest"
)

func post(t *testing.T, fake *hubspottest.Server, path, token, contentType, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "https://api.hubapi.com"+path, bytes.NewBufferString(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := fake.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

func TestTheFakeAnswersAsHubSpotDoes(t *testing.T) {
	fake := hubspottest.New(t)
	const (
		upsert = "/crm/v3/objects/contacts/batch/upsert"
		events = "/events/v3/send"
		tasks  = "/crm/v3/objects/tasks"
		json   = "application/json"
	)
	input := func(idProperty, id, props string) string {
		return `{"inputs":[{"idProperty":"` + idProperty + `","id":"` + id + `","properties":` + props + `}]}`
	}
	cases := []struct {
		name, path, token, contentType, body string
		status                               int
		category                             string
	}{
		{"upsert", upsert, hubspottest.Token, json, input("email", "a@example.com", `{"last_payment_status":"failed"}`), 200, ""},
		{"no token", upsert, "", json, input("email", "a@example.com", `{}`), 401, "INVALID_AUTHENTICATION"},
		{"wrong token", upsert, "pat-na1-other", json, input("email", "a@example.com", `{}`), 401, "INVALID_AUTHENTICATION"},
		{"not JSON", upsert, hubspottest.Token, "text/plain", `x`, 415, "VALIDATION_ERROR"},
		{"unknown path", "/crm/v3/objects/widgets", hubspottest.Token, json, `{}`, 404, "OBJECT_NOT_FOUND"},
		{"idProperty not email", upsert, hubspottest.Token, json, input("customer_ref", "c1", `{}`), 400, "VALIDATION_ERROR"},
		{"invalid email", upsert, hubspottest.Token, json, input("email", "not-an-email", `{}`), 400, "VALIDATION_ERROR"},
		{"unknown property", upsert, hubspottest.Token, json, input("email", "a@example.com", `{"ltv":1}`), 400, "VALIDATION_ERROR"},
		{"invalid option", upsert, hubspottest.Token, json, input("email", "a@example.com", `{"subscription_status":"trial"}`), 400, "VALIDATION_ERROR"},
		{"read-only", upsert, hubspottest.Token, json, input("email", "a@example.com", `{"hs_object_id":"1"}`), 400, "VALIDATION_ERROR"},
		{"not a number", upsert, hubspottest.Token, json, input("email", "a@example.com", `{"last_payment_amount":"lots"}`), 400, "VALIDATION_ERROR"},
		{"duplicate ids", upsert, hubspottest.Token, json,
			`{"inputs":[{"idProperty":"email","id":"a@example.com","properties":{}},{"idProperty":"email","id":"A@example.com","properties":{}}]}`, 400, "VALIDATION_ERROR"},
		{"event", events, hubspottest.Token, json, `{"eventName":"pe1234567_payment_failed","email":"a@example.com","properties":{"payment_id":"p"}}`, 204, ""},
		{"undefined event", events, hubspottest.Token, json, `{"eventName":"pe1234567_signup","email":"a@example.com"}`, 400, "VALIDATION_ERROR"},
		{"undefined event property", events, hubspottest.Token, json, `{"eventName":"pe1234567_payment_failed","email":"a@example.com","properties":{"plan":"pro"}}`, 400, "VALIDATION_ERROR"},
		{"event without contact", events, hubspottest.Token, json, `{"eventName":"pe1234567_payment_failed"}`, 400, "VALIDATION_ERROR"},
		{"event value over 50", events, hubspottest.Token, json, `{"eventName":"pe1234567_refund_failed","email":"a@example.com","properties":{"reason":"` + strings.Repeat("r", 51) + `"}}`, 400, "VALIDATION_ERROR"},
		{"task", tasks, hubspottest.Token, json, `{"properties":{"hs_timestamp":"2025-08-20T02:11:47Z","hs_task_subject":"x"}}`, 201, ""},
		{"task without timestamp", tasks, hubspottest.Token, json, `{"properties":{"hs_task_subject":"x"}}`, 400, "VALIDATION_ERROR"},
	}
	for _, tc := range cases {
		status, body := post(t, fake, tc.path, tc.token, tc.contentType, tc.body)
		if status != tc.status || (tc.category != "" && body["category"] != tc.category) {
			t.Errorf("%s: answered %d %v, want %d %s", tc.name, status, body, tc.status, tc.category)
		}
	}
}

func TestTheFakeNamesTheMissingScope(t *testing.T) {
	fake := hubspottest.New(t, hubspottest.WithScopes(hubspottest.ScopeEventsSend))
	status, body := post(t, fake, "/crm/v3/objects/tasks", hubspottest.Token, "application/json", `{"properties":{"hs_timestamp":"2025-08-20T02:11:47Z"}}`)
	raw, _ := json.Marshal(body)
	if status != 403 || body["category"] != "MISSING_SCOPES" || !strings.Contains(string(raw), hubspottest.ScopeContactsWrite) {
		t.Errorf("answered %d %s", status, raw)
	}
}

func TestTheFakeRateLimitsWithHubSpotsBody(t *testing.T) {
	fake := hubspottest.New(t)
	fake.RateLimitNextWithPolicy(1, "DAILY")
	status, body := post(t, fake, "/crm/v3/objects/tasks", hubspottest.Token, "application/json", `{}`)
	if status != 429 || body["errorType"] != "RATE_LIMIT" || body["policyName"] != "DAILY" {
		t.Errorf("answered %d %v", status, body)
	}
}
