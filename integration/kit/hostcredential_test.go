package kit_test

import (
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

func hostCredentialSpec() kit.Spec {
	return kit.Spec{
		ID: "tool", Name: "Tool", Group: hookbridge.GroupAutomation,
		Credentials: []hookbridge.CredentialField{
			{Name: "key", Label: "Key", Secret: true, Required: true},
			{Name: "host", Label: "Host"},
		},
		Hosts:          []string{"api.tool.example"},
		HostCredential: "host",
		Auth:           kit.Bearer("key"),
	}
}

func TestHostCredentialIsTheToolsHost(t *testing.T) {
	in := kit.New(hostCredentialSpec())
	creds := hookbridge.Credentials{"key": "k1", "host": "tool.acme.internal"}
	for url, wantAuth := range map[string]bool{
		"https://api.tool.example/e":    true,
		"https://tool.acme.internal/e":  true,
		"https://TOOL.acme.internal/e":  true,
		"https://elsewhere.example/e":   false,
		"https://acme.internal/e":       false,
		"https://tool.acme.internal.x/": false,
	} {
		req := &hookbridge.OutboundRequest{Method: "POST", URL: url}
		if err := in.Prepare(req, creds, hookbridge.SendContext{}); err != nil {
			t.Fatal(err)
		}
		if got := req.Header("Authorization") != ""; got != wantAuth {
			t.Errorf("%s: authenticated %v, want %v", url, got, wantAuth)
		}
	}
	noHost := &hookbridge.OutboundRequest{Method: "POST", URL: "https://tool.acme.internal/e"}
	_ = in.Prepare(noHost, hookbridge.Credentials{"key": "k1"}, hookbridge.SendContext{})
	if noHost.Header("Authorization") != "" {
		t.Error("without the host credential another host got the key")
	}
	// Validate does not know the credentials: it checks the request as the
	// tool's rather than warning of a foreign host.
	if ps := in.Validate(&hookbridge.OutboundRequest{Method: "POST", URL: "https://tool.acme.internal/e"}, time.Now()); len(ps) != 0 {
		t.Errorf("validate: %+v", ps)
	}
}

func TestHostCredentialMustBeDeclared(t *testing.T) {
	spec := hostCredentialSpec()
	spec.HostCredential = "missing"
	defer func() {
		if recover() == nil {
			t.Error("an undeclared host credential is taken")
		}
	}()
	kit.New(spec)
}
