package kit_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// selfHostable is a tool with two cloud regions and a self-hosted host.
func selfHostable() hookbridge.Integration {
	return kit.New(kit.Spec{
		ID: "tool", Name: "Tool", Group: hookbridge.GroupAnalytics, Description: "A tool.",
		Credentials: []hookbridge.CredentialField{
			{Name: "key", Label: "Key", Secret: true, Required: true},
			{Name: "region", Label: "Region", Choices: []string{"us", "eu", kit.CustomRegion}, Default: "us"},
			{Name: "host", Label: "Host", Check: kit.CustomHostCheck},
		},
		Hosts:   []string{"us.tool.example", "eu.tool.example"},
		Regions: &kit.Regions{Field: "region", Default: "us", Hosts: map[string]string{"us": "us.tool.example", "eu": "eu.tool.example"}, CustomHostField: "host"},
		Auth:    kit.Bearer("key"),
	})
}

func TestCustomRegionMovesRequestsToTheSelfHostedHost(t *testing.T) {
	in := selfHostable()
	creds := hookbridge.Credentials{"key": "k", "region": kit.CustomRegion, "host": "https://tool.internal.example/"}
	req := &hookbridge.OutboundRequest{URL: "https://us.tool.example/capture/", Body: []byte(`{}`)}
	if err := in.Prepare(req, creds, hookbridge.SendContext{}); err != nil {
		t.Fatal(err)
	}
	if req.URL != "https://tool.internal.example/capture/" || req.Header("Authorization") != "Bearer k" {
		t.Fatalf("prepared %s with %q", req.URL, req.Header("Authorization"))
	}
	// A request written for the self-hosted host directly is the tool's too.
	direct := &hookbridge.OutboundRequest{URL: "https://tool.internal.example/capture/", Body: []byte(`{}`)}
	if err := in.Prepare(direct, creds, hookbridge.SendContext{}); err != nil || direct.Header("Authorization") == "" {
		t.Fatalf("direct request not authenticated (%v)", err)
	}
}

func TestCloudRegionsNeverSendCredentialsToOtherHosts(t *testing.T) {
	in := selfHostable()
	creds := hookbridge.Credentials{"key": "k", "region": "eu", "host": "tool.internal.example"}
	req := &hookbridge.OutboundRequest{URL: "https://tool.internal.example/capture/", Body: []byte(`{}`)}
	if err := in.Prepare(req, creds, hookbridge.SendContext{}); err != nil {
		t.Fatal(err)
	}
	if req.Header("Authorization") != "" {
		t.Fatal("credentials went to the custom host while the region is eu")
	}
	moved := &hookbridge.OutboundRequest{URL: "https://us.tool.example/capture/", Body: []byte(`{}`)}
	if err := in.Prepare(moved, creds, hookbridge.SendContext{}); err != nil || moved.URL != "https://eu.tool.example/capture/" {
		t.Fatalf("eu request went to %s (%v)", moved.URL, err)
	}
}

func TestCustomRegionWithoutHostFails(t *testing.T) {
	in := selfHostable()
	req := &hookbridge.OutboundRequest{URL: "https://us.tool.example/capture/"}
	if err := in.Prepare(req, hookbridge.Credentials{"key": "k", "region": kit.CustomRegion}, hookbridge.SendContext{}); err == nil {
		t.Fatal("a custom region without a host prepared a request")
	}
}

func TestValidateTakesAnyHostOfASelfHostableTool(t *testing.T) {
	in := selfHostable()
	ps := in.Validate(&hookbridge.OutboundRequest{URL: "https://tool.internal.example/capture/"}, time.Now())
	if len(ps) != 0 {
		t.Fatalf("problems: %+v", ps)
	}
}

func TestCustomHostCheck(t *testing.T) {
	for v, ok := range map[string]bool{
		"posthog.example.com":               true,
		"https://posthog.example.com":       true,
		"https://posthog.example.com/":      true,
		"http://posthog.example.com":        false,
		"https://user:pw@posthog.example":   false,
		"https://posthog.example.com/i/v0/": false,
		"https://":                          false,
	} {
		if got := kit.CustomHostCheck(v) == ""; got != ok {
			t.Errorf("CustomHostCheck(%q) = %q", v, kit.CustomHostCheck(v))
		}
	}
}

func TestUUIDFromKey(t *testing.T) {
	a, b := kit.UUIDFromKey("msg_1"), kit.UUIDFromKey("msg_1")
	if a != b {
		t.Fatalf("same key, different UUIDs: %s %s", a, b)
	}
	if a == kit.UUIDFromKey("msg_2") {
		t.Fatal("different keys, same UUID")
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(a) {
		t.Fatalf("%s is not a version 5 UUID", a)
	}
}
