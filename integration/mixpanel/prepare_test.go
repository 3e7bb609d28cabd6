package mixpanel_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
	"github.com/hookbridge/hookbridge/integration/mixpanel"
	"github.com/hookbridge/hookbridge/integration/mixpanel/mixpaneltest"
)

func send(t *testing.T, fake *mixpaneltest.Server, req *hookbridge.OutboundRequest) delivery.Response {
	t.Helper()
	sender := &delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}
	return sender.Send(context.Background(), req)
}

func TestPrepareAddsProjectStrictModeAndRegion(t *testing.T) {
	fake := mixpaneltest.New(t, mixpaneltest.WithRegion("in"))
	req := &hookbridge.OutboundRequest{URL: "https://api.mixpanel.com/import", Body: []byte(validEvent(map[string]string{"$insert_id": "-"}))}
	sc := hookbridge.SendContext{IdempotencyKey: "01K1SRXQY05N6H6NPMB87ZM6HG"}
	if err := mixpanel.New().Prepare(req, fake.Credentials(), sc); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(req.URL)
	if u.Host != mixpanel.HostIndia || u.Query().Get("project_id") != mixpaneltest.ProjectID || u.Query().Get("strict") != "1" {
		t.Errorf("URL %s: want the India host, project_id and strict=1", req.URL)
	}
	if req.Method != "POST" || !strings.HasPrefix(req.Header("Authorization"), "Basic ") {
		t.Errorf("method %q, headers %v: want POST with Basic credentials", req.Method, req.Headers)
	}
	events := eventsOf(t, req)
	if len(events) != 1 || events[0].Properties["$insert_id"] != sc.IdempotencyKey {
		t.Fatalf("body %s: want the one event in an array, its $insert_id the idempotency key", req.Body)
	}
	if resp := send(t, fake, req); resp.Status != 200 || len(fake.Events()) != 1 {
		t.Errorf("the fake answered %d %s", resp.Status, resp.Body)
	}
}

func TestCredentialsGoNowhereElse(t *testing.T) {
	fake := mixpaneltest.New(t)
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://example.com/import", Body: []byte("[]")}
	if err := mixpanel.New().Prepare(req, fake.Credentials(), hookbridge.SendContext{}); err != nil {
		t.Fatal(err)
	}
	if req.Header("Authorization") != "" || strings.Contains(req.URL, "project_id") {
		t.Errorf("request to example.com carries credentials: %+v", req)
	}
	if ps := mixpanel.New().Validate(req, now); len(ps) != 1 || !ps[0].Warning {
		t.Errorf("problems %+v, want one warning of the foreign host", ps)
	}
}

func TestInsertIDIsStableAndFitsMixpanel(t *testing.T) {
	for _, key := range []string{"01K1SRXQY05N6H6NPMB87ZM6HG", "msg_01K1SRXQY05N6H6NPMB87ZM6HG", strings.Repeat("k", 80)} {
		for _, n := range []int{1, 3} {
			id := mixpanel.InsertID(key, n-1, n)
			if id != mixpanel.InsertID(key, n-1, n) || len(id) > 36 || strings.Trim(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
				t.Errorf("InsertID(%q, %d, %d) = %q: want the same each time, at most 36 letters, digits and dashes", key, n-1, n, id)
			}
		}
	}
	if mixpanel.InsertID("a", 0, 2) == mixpanel.InsertID("a", 1, 2) || mixpanel.InsertID("a", 0, 1) == mixpanel.InsertID("b", 0, 1) {
		t.Error("different events share an $insert_id")
	}
}

func TestARetriedDeliveryIsImportedOnce(t *testing.T) {
	fake := mixpaneltest.New(t)
	integ := mixpanel.New()
	sc := hookbridge.SendContext{IdempotencyKey: hookbridge.NewID("msg")}
	var ids []any
	for range 2 {
		req := &hookbridge.OutboundRequest{URL: mixpanel.DefaultURL, Body: []byte("[" + validEvent(map[string]string{"$insert_id": "-"}) + "]")}
		if err := integ.Prepare(req, fake.Credentials(), sc); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, eventsOf(t, req)[0].Properties["$insert_id"])
		if resp := send(t, fake, req); delivery.Judge(integ, req, resp).Outcome != "accepted" {
			t.Fatalf("answer %d %s", resp.Status, resp.Body)
		}
	}
	if ids[0] != ids[1] || len(fake.Events()) != 1 || len(fake.Duplicates()) != 1 {
		t.Errorf("$insert_ids %v; %d imported, %d duplicates: want the same id, imported once", ids, len(fake.Events()), len(fake.Duplicates()))
	}
}

func TestTheRecordedRequestMasksTheSecret(t *testing.T) {
	fake := mixpaneltest.New(t)
	req := prepared(t, mixpanel.DefaultURL, "["+validEvent(nil)+"]")
	kittest.SecretsMasked(t, mixpanel.New(), fake.Credentials(), req)
	if rec := req.Record(hookbridge.SecretValues(mixpanel.New().Info(), fake.Credentials())); rec.Headers["Authorization"] != "Basic ********" {
		t.Errorf("recorded Authorization %q", rec.Headers["Authorization"])
	}
}

func TestCredentialChecks(t *testing.T) {
	info := mixpanel.New().Info()
	good := mixpaneltest.New(t).Credentials()
	if _, err := hookbridge.CheckCredentials(info, good); err != nil {
		t.Fatalf("the fake's credentials: %v", err)
	}
	for field, bad := range map[string]string{"project_id": "my-project", "service_account_secret": "has space", "region": "apac"} {
		creds := hookbridge.Credentials{}
		for k, v := range good {
			creds[k] = v
		}
		creds[field] = bad
		if _, err := hookbridge.CheckCredentials(info, creds); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s = %q: error %v, want it refused", field, bad, err)
		}
	}
}

type event struct {
	Event      string         `json:"event"`
	Properties map[string]any `json:"properties"`
}

func eventsOf(t *testing.T, req *hookbridge.OutboundRequest) []event {
	t.Helper()
	var events []event
	if err := json.Unmarshal(req.Body, &events); err != nil {
		t.Fatalf("body %s: %v", req.Body, err)
	}
	return events
}
