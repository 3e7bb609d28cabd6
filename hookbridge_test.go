package hookbridge

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
)

func TestIdempotencyKeyIsStableAndDistinct(t *testing.T) {
	created := time.Date(2025, 8, 4, 5, 30, 45, 0, time.UTC)
	k := IdempotencyKey("msg_1", "ep_1", created)
	if k != IdempotencyKey("msg_1", "ep_1", created) {
		t.Fatal("the same message and endpoint gave two keys")
	}
	for _, other := range []string{IdempotencyKey("msg_2", "ep_1", created), IdempotencyKey("msg_1", "ep_2", created)} {
		if other == k {
			t.Fatal("different messages or endpoints share a key")
		}
	}
	id, err := ulid.ParseStrict(k)
	if err != nil {
		t.Fatalf("key %q is not a ULID (Customer.io dedupes on ULIDs): %v", k, err)
	}
	if got := ulid.Time(id.Time()); !got.Equal(created) {
		t.Fatalf("key time %v, want the message's creation time %v", got, created)
	}
}

func TestRecordMasksSecretsEverywhere(t *testing.T) {
	req := &OutboundRequest{
		Method:  "POST",
		URL:     "https://api.example.com/hook?key=sk_live_abcdef",
		Headers: map[string]string{"Authorization": "Basic dXNlcjpwYXNz", "X-Api-Key": "sk_live_abcdef"},
		Body:    []byte(`{"writeKey":"sk_live_abcdef","n":1}`),
	}
	rec := req.Record([]string{"sk_live_abcdef"})
	all := rec.URL + rec.Body + rec.Headers["X-Api-Key"] + rec.Headers["Authorization"]
	if strings.Contains(all, "sk_live_abcdef") || strings.Contains(all, "dXNlcjpwYXNz") {
		t.Fatalf("a secret survived recording: %+v", rec)
	}
	if rec.Headers["Authorization"] != "Basic ********" || !strings.Contains(rec.Body, `"n":1`) {
		t.Fatalf("recording mangled the request: %+v", rec)
	}
	if string(req.Body) != `{"writeKey":"sk_live_abcdef","n":1}` {
		t.Fatal("recording changed the request itself")
	}
}

func TestCheckCredentials(t *testing.T) {
	info := IntegrationInfo{Name: "Tool", Credentials: []CredentialField{
		{Name: "api_key", Label: "API key", Secret: true, Required: true},
		{Name: "region", Label: "Region", Choices: []string{"us", "eu"}, Default: "us"},
		{Name: "signing_secret", Label: "Signing secret", Secret: true, Generate: func() (string, error) { return "whsec_generated", nil }},
	}}
	got, err := CheckCredentials(info, Credentials{"api_key": " k "})
	if err != nil || got["api_key"] != "k" || got["region"] != "us" || got["signing_secret"] != "whsec_generated" {
		t.Fatalf("defaults and generation: %+v, %v", got, err)
	}
	_, err = CheckCredentials(info, Credentials{"region": "mars", "colour": "red"})
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("err = %v, want a ValidationError", err)
	}
	fields := map[string]bool{}
	for _, f := range verr.Fields {
		fields[f.Field] = true
	}
	for _, want := range []string{"credentials.api_key", "credentials.region", "credentials.colour"} {
		if !fields[want] {
			t.Errorf("no error for %s in %+v", want, verr.Fields)
		}
	}
}

func TestEndpointAcceptsAndTokenRules(t *testing.T) {
	all := &Endpoint{}
	some := &Endpoint{EventTypes: []string{"payment.succeeded"}}
	if !all.Accepts("refund.failed") || !some.Accepts("payment.succeeded") || some.Accepts("payment.failed") {
		t.Fatal("event type subscription rules broken")
	}
	now := time.Now()
	past := now.Add(-time.Minute)
	if (&Token{ExpiresAt: &past}).Usable(now) || (&Token{RevokedAt: &past}).Usable(now) || !(&Token{}).Usable(now) {
		t.Fatal("token usability rules broken")
	}
	if !(&Token{}).CanAccess("any") || (&Token{AppID: "a"}).CanAccess("b") || !(&Token{AppID: "a"}).CanAccess("a") {
		t.Fatal("token scope rules broken")
	}
	if Mask("short") != "********" || Mask("whsec_abcdefgh") != "whse********" {
		t.Fatalf("Mask: %q %q", Mask("short"), Mask("whsec_abcdefgh"))
	}
	if got := Blocking([]Problem{{Field: "a"}, {Field: "b", Warning: true}}); len(got) != 1 || got[0].Field != "a" {
		t.Fatalf("Blocking = %+v", got)
	}
}
