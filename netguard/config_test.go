package netguard

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestParseHostOverrides(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]string
	}{
		{"", map[string]string{}},
		{" , ", map[string]string{}},
		{
			"track.customer.io=http://127.0.0.1:9001,api.segment.io=http://127.0.0.1:9002",
			map[string]string{"track.customer.io": "http://127.0.0.1:9001", "api.segment.io": "http://127.0.0.1:9002"},
		},
		{" Track.Customer.IO = HTTPS://Mock.Local:8443/ ,", map[string]string{"track.customer.io": "https://mock.local:8443"}},
		{"api.example.com.=http://[::1]:9000", map[string]string{"api.example.com": "http://[::1]:9000"}},
		{"10.0.0.1=http://mock", map[string]string{"10.0.0.1": "http://mock"}},
		{"my_service.internal=http://[fd00::1]", map[string]string{"my_service.internal": "http://[fd00::1]"}},
	}
	for _, tt := range tests {
		got, err := ParseHostOverrides(tt.in)
		if err != nil {
			t.Errorf("ParseHostOverrides(%q): %v", tt.in, err)
			continue
		}
		gotStrings := map[string]string{}
		for host, u := range got {
			gotStrings[host] = u.String()
		}
		if !maps.Equal(gotStrings, tt.want) {
			t.Errorf("ParseHostOverrides(%q) = %v, want %v", tt.in, gotStrings, tt.want)
		}
	}
}

func TestParseHostOverridesErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"track.customer.io", "host override 1: want host=URL"},
		{"a=http://x,b", "host override 2: want host=URL"},
		{"=http://x", "host is empty"},
		{"https://track.customer.io=http://x", "must be a bare host name"},
		{"track.customer.io:443=http://x", "must be a bare host name"},
		{"a b=http://x", "must be a bare host name"},
		{"bad..name=http://x", "not a valid host name"},
		{"bücher.example=http://x", "not a valid host name"},
		{"a=", "a: target URL is empty"},
		{"a=127.0.0.1:9001", "must start with http:// or https://"},
		{"a=ftp://x", `must start with http:// or https://, not "ftp:"`},
		{"a=http://", "target URL has no host"},
		{"a=http://x/v1", "must not have a path"},
		{"a=http://x?q=1", "must not have a query"},
		{"a=http://x#f", "must not have a query or fragment"},
		{"a=http://x:0", "port"},
		{"a=http://x:65536", "port"},
		{"a=http://x%zz", "does not parse"},
		{"a=http://[fe80::1%25eth0]:1", "not a host name or IP address"},
		{"a=http://bad_%C3%A9", "not a host name or IP address"},
		{"a=http://x,A=http://y", `host "a" is given twice`},
	}
	for _, tt := range tests {
		_, err := ParseHostOverrides(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseHostOverrides(%q) error = %v, want one containing %q", tt.in, err, tt.want)
		}
	}
}

func TestParseHostOverridesKeepsCredentialsOutOfErrors(t *testing.T) {
	for _, in := range []string{"a=http://user:hunter2@x", "a=http://user:hunter2@x%zz", "a=ftp://user:hunter2@x"} {
		_, err := ParseHostOverrides(in)
		if err == nil {
			t.Fatalf("ParseHostOverrides(%q) accepted credentials", in)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("ParseHostOverrides(%q) error shows the password: %v", in, err)
		}
	}
}

func FuzzParseHostOverrides(f *testing.F) {
	for _, seed := range []string{
		"track.customer.io=http://127.0.0.1:9001,api.segment.io=http://127.0.0.1:9002",
		"a=https://[::1]:8443/", "a.=http://x,b=http://y:1", "=", ",,", "a=http://x/y",
		"a=http://u:p@x", "a=http://x:99999", "a=http://[fe80::1%25eth0]:1",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ParseHostOverrides(in)
		if err != nil {
			return
		}
		var entries []string
		for host, u := range got {
			if host == "" || host != normalizeHost(host) || strings.ContainsAny(host, ":/=,") {
				t.Fatalf("key %q is not a normalized host name", host)
			}
			if u.Scheme != "http" && u.Scheme != "https" || u.Hostname() == "" {
				t.Fatalf("target %q of %q has no http(s) scheme or no host", u, host)
			}
			if u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
				t.Fatalf("target %q of %q carries more than scheme and host", u, host)
			}
			entries = append(entries, host+"="+u.String())
		}
		// What was parsed parses again to the same.
		slices.Sort(entries)
		again, err := ParseHostOverrides(strings.Join(entries, ","))
		if err != nil {
			t.Fatalf("re-parsing %v: %v", entries, err)
		}
		if fmt.Sprint(again) != fmt.Sprint(got) {
			t.Fatalf("re-parsed %v, want %v", again, got)
		}
	})
}

func TestParseCIDRs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"10.0.0.0/8,192.168.1.5/32", []string{"10.0.0.0/8", "192.168.1.5/32"}},
		{" 10.1.2.3/8 , ", []string{"10.0.0.0/8"}},
		{"127.0.0.1", []string{"127.0.0.1/32"}},
		{"fd00::/8,::1", []string{"fd00::/8", "::1/128"}},
		{"::ffff:10.0.0.0/104", []string{"10.0.0.0/8"}},
	}
	for _, tt := range tests {
		got, err := ParseCIDRs(tt.in)
		if err != nil {
			t.Errorf("ParseCIDRs(%q): %v", tt.in, err)
			continue
		}
		var gotStrings []string
		for _, p := range got {
			gotStrings = append(gotStrings, p.String())
		}
		if !slices.Equal(gotStrings, tt.want) {
			t.Errorf("ParseCIDRs(%q) = %v, want %v", tt.in, gotStrings, tt.want)
		}
	}
}

func TestParseCIDRsErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"10.0.0.0/33", `CIDR 1 ("10.0.0.0/33")`},
		{"10.0.0.0/8,example.com", `CIDR 2 ("example.com")`},
		{"10.0.0/8", "not an address"},
		{"fe80::1%eth0", "not an address"},
		{"10.0.0.0/-1", "not an address"},
	}
	for _, tt := range tests {
		_, err := ParseCIDRs(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseCIDRs(%q) error = %v, want one containing %q", tt.in, err, tt.want)
		}
	}
}
