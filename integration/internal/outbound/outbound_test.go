package outbound

import (
	"testing"

	"github.com/hookbridge/hookbridge"
)

func TestOnHost(t *testing.T) {
	hosts := []string{"api.segment.io", "events.eu1.segmentapis.com"}
	tests := map[string]bool{
		"https://api.segment.io/v1/track":                 true,
		"https://API.Segment.IO:443/v1/track":             true,
		"https://events.eu1.segmentapis.com/v1/x":         true,
		"https://api.segment.io.evil.example/v1":          false,
		"https://evil.example/?u=https://api.segment.io/": false,
		"https://user@evil.example/api.segment.io":        false,
		"::not a url": false,
	}
	for u, want := range tests {
		if got := OnHost(&hookbridge.OutboundRequest{URL: u}, hosts); got != want {
			t.Errorf("OnHost(%s) = %v, want %v", u, got, want)
		}
	}
}

func TestMoveHost(t *testing.T) {
	tests := map[string]string{
		"https://track.customer.io/api/v2/entity?x=1": "https://track-eu.customer.io/api/v2/entity?x=1",
		"http://track.customer.io:8080/api/v1/events": "http://track-eu.customer.io:8080/api/v1/events",
	}
	for in, want := range tests {
		req := &hookbridge.OutboundRequest{URL: in}
		if err := MoveHost(req, "track-eu.customer.io"); err != nil || req.URL != want {
			t.Errorf("MoveHost(%s) = %s, %v; want %s", in, req.URL, err, want)
		}
	}
}

func TestBasicAuth(t *testing.T) {
	// The example of Segment's documentation: write key abc123, no password.
	if got := BasicAuth("abc123", ""); got != "Basic YWJjMTIzOg==" {
		t.Errorf("BasicAuth = %s", got)
	}
}

func TestDefaults(t *testing.T) {
	req := &hookbridge.OutboundRequest{Headers: map[string]string{"content-type": "text/plain"}}
	DefaultMethod(req)
	SetDefaultHeader(req, "Content-Type", "application/json")
	SetDefaultHeader(req, "X-New", "1")
	if req.Method != "POST" || req.Header("Content-Type") != "text/plain" || req.Header("x-new") != "1" {
		t.Errorf("got %+v", req)
	}
}

func TestParseOnHostAgreesWithOnHost(t *testing.T) {
	hosts := []string{"api.segment.io"}
	for _, raw := range []string{"https://API.Segment.IO:443/v1/track?x=1", "https://evil.example/v1", "::not a url", "/relative"} {
		req := &hookbridge.OutboundRequest{URL: raw}
		u, ok := ParseOnHost(req, hosts)
		if ok != OnHost(req, hosts) {
			t.Errorf("ParseOnHost(%s) = %v, OnHost says otherwise", raw, ok)
		}
		if u != nil && (u.String() != raw || Host(u) != req.Host()) {
			t.Errorf("ParseOnHost(%s) parsed %s, host %q; request host %q", raw, u, Host(u), req.Host())
		}
	}
}

func TestRegionHost(t *testing.T) {
	hosts := map[string]string{"us": "api.example.com", "eu": "eu.api.example.com"}
	for region, want := range map[string]string{"": "api.example.com", "us": "api.example.com", "eu": "eu.api.example.com"} {
		if got, err := RegionHost("example", hosts, "us", region); err != nil || got != want {
			t.Errorf("region %q: %q, %v; want %q", region, got, err, want)
		}
	}
	_, err := RegionHost("example", hosts, "us", "ap")
	if err == nil || err.Error() != `example region "ap" is not one of eu, us` {
		t.Errorf("unknown region: %v", err)
	}
}

func TestHasSeparator(t *testing.T) {
	for v, want := range map[string]bool{"abc123": false, "a:b": true, "a b": true, "a\tb": true, "a\r": true, "\nb": true, "": false} {
		if got := HasSeparator(v); got != want {
			t.Errorf("HasSeparator(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestTrimmedPath(t *testing.T) {
	for url, want := range map[string]string{
		"https://api.resend.com/emails/": "/emails", "https://api.resend.com/emails": "/emails",
		"https://api.resend.com": "", "://bad": "",
	} {
		if got := TrimmedPath(&hookbridge.OutboundRequest{URL: url}); got != want {
			t.Errorf("%s: %q, want %q", url, got, want)
		}
	}
}
