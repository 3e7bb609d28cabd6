package kit_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

func TestTheForeignHostWarningNamesEachHostOnce(t *testing.T) {
	hosts := []string{"hooks.example.com", "*.hooks.example.com"}
	in := kit.New(kit.Spec{
		ID: "tool", Name: "Tool", Group: hookbridge.GroupTeamNotifications,
		Credentials:   []hookbridge.CredentialField{kit.URLField("webhook_url", "Webhook URL", "", hosts, "")},
		URLCredential: "webhook_url", Hosts: hosts, URLHosts: hosts,
	})
	ps := in.Validate(&hookbridge.OutboundRequest{Method: "POST", URL: "https://elsewhere.example.org/x"}, time.Now())
	if len(ps) != 1 || !ps[0].Warning {
		t.Fatalf("problems %+v, want one warning", ps)
	}
	if n := strings.Count(ps[0].Message, "*.hooks.example.com"); n != 1 {
		t.Errorf("warning %q names *.hooks.example.com %d times, want once", ps[0].Message, n)
	}
}
