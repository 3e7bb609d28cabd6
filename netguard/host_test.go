package netguard

import (
	"context"
	"errors"
	"net/netip"
	"net/url"
	"testing"
)

func TestCheckHost(t *testing.T) {
	tests := []struct {
		host    string
		invalid bool
	}{
		{"hooks.example", false},
		{"api.segment.io", false},
		{"203.0.113.10", false},
		{"2001:db8::10", false},
		{"localhost", false},
		{"123.example", false},
		{"0x.example", false},
		{"hooks.example.", false},
		{"0x7f000001", true},
		{"0X7F000001", true},
		{"2130706433", true},
		{"0177.0.0.1", true},
		{"127.1", true},
		{"127.0.0.1.", false},
		{"1.2.3.4.5", true},
		{"hooks.0x", true},
		{"example.123", true},
	}
	for _, tt := range tests {
		err := CheckHost(tt.host)
		if tt.invalid != errors.Is(err, ErrInvalidHost) {
			t.Errorf("CheckHost(%q) = %v, want invalid %v", tt.host, err, tt.invalid)
		}
	}
}

func TestNumericHostsFailWithoutDNS(t *testing.T) {
	asked := 0
	c, d := newTestClient(t, Config{AllowPrivate: true, Resolver: countingResolver{&asked}})
	for _, raw := range []string{"http://0x7f000001/hook", "http://2130706433:8080/hook", "http://0177.0.0.1/hook"} {
		u, _ := url.Parse(raw)
		if err := c.CheckDestination(context.Background(), u); !errors.Is(err, ErrInvalidHost) {
			t.Errorf("CheckDestination(%s): %v, want ErrInvalidHost", raw, err)
		}
		if _, err := get(t, c, raw, nil); !errors.Is(err, ErrInvalidHost) {
			t.Errorf("GET %s: %v, want ErrInvalidHost", raw, err)
		}
	}
	if asked != 0 || len(d.dials()) != 0 {
		t.Errorf("asked DNS %d times and dialed %v, want neither", asked, d.dials())
	}
}

// countingResolver counts lookups and finds nothing.
type countingResolver struct{ n *int }

func (r countingResolver) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	*r.n++
	return fakeResolver{}.LookupNetIP(ctx, network, host)
}
