package kit_test

import (
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

func keyed(read func(*hookbridge.OutboundRequest, hookbridge.Answer) hookbridge.AnswerReading) hookbridge.Integration {
	return kit.New(kit.Spec{
		ID: "keyed", Name: "Keyed", Group: hookbridge.GroupEmail, Description: "a test tool",
		Hosts: []string{"api.keyed.example"},
		Credentials: []hookbridge.CredentialField{
			{Name: "api_key", Label: "API key", Secret: true, Required: true},
			{Name: "region", Label: "Region", Choices: []string{"us", "eu"}},
		},
		Auth:       kit.Bearer("api_key"),
		ReadAnswer: read,
	})
}

func TestA401Or403NamesTheCredentialsToCheck(t *testing.T) {
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://api.keyed.example/send"}
	in := keyed(nil)
	for _, status := range []int{401, 403} {
		r := hookbridge.ReadAnswer(in, req, hookbridge.Answer{Status: status})
		if !strings.Contains(r.Reason, "Keyed") || !strings.Contains(r.Fix, "API key") || strings.Contains(r.Fix, "Region") {
			t.Errorf("%d read as %+v: want Keyed named, and the API key (not the region choice) to check", status, r)
		}
	}
	if r := hookbridge.ReadAnswer(in, req, hookbridge.Answer{Status: 500}); r.Reason != "" {
		t.Errorf("a 500 read as %+v, want no credential hint", r)
	}
	elsewhere := &hookbridge.OutboundRequest{Method: "POST", URL: "https://other.example/send"}
	if r := hookbridge.ReadAnswer(in, elsewhere, hookbridge.Answer{Status: 401}); r.Reason != "" {
		t.Errorf("a 401 from another host read as %+v: the credentials were never sent there", r)
	}
}

func TestTheToolsOwnReadingOfA401Wins(t *testing.T) {
	in := keyed(func(*hookbridge.OutboundRequest, hookbridge.Answer) hookbridge.AnswerReading {
		return hookbridge.AnswerReading{Reason: "restricted_api_key", Fix: "give the key the Mail Send permission"}
	})
	r := hookbridge.ReadAnswer(in, &hookbridge.OutboundRequest{URL: "https://api.keyed.example/x"}, hookbridge.Answer{Status: 403})
	if r.Reason != "restricted_api_key" || r.Fix != "give the key the Mail Send permission" {
		t.Errorf("read %+v, want the tool's own reason and fix", r)
	}
}
