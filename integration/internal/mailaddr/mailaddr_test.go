package mailaddr

import "testing"

func TestValid(t *testing.T) {
	good := []string{"jane@example.com", "a.b+tag@mail.example.co.uk", "x@xn--bcher-kva.de"}
	bad := []string{"", "jane", "jane@", "@example.com", "jane@localhost", "jane doe@example.com",
		"jane@@example.com", "jane@example..com", ".jane@example.com", "jane@-example.com", "jane@example.123",
		"Jane <jane@example.com>", "a,b@example.com"}
	for _, s := range good {
		if !Valid(s) {
			t.Errorf("Valid(%q) = false, want true", s)
		}
	}
	for _, s := range bad {
		if Valid(s) {
			t.Errorf("Valid(%q) = true, want false", s)
		}
	}
}

func TestSplit(t *testing.T) {
	cases := []struct {
		in, name, addr string
		ok             bool
	}{
		{"Billing <billing@example.com>", "Billing", "billing@example.com", true},
		{`"Acme, Inc." <a@example.com>`, "Acme, Inc.", "a@example.com", true},
		{"billing@example.com", "", "billing@example.com", true},
		{"Billing <billing@example.com", "", "", false},
		{"Billing <nobody>", "Billing", "nobody", false},
	}
	for _, c := range cases {
		name, addr, ok := Split(c.in)
		if name != c.name || addr != c.addr || ok != c.ok {
			t.Errorf("Split(%q) = %q, %q, %v; want %q, %q, %v", c.in, name, addr, ok, c.name, c.addr, c.ok)
		}
	}
	if d := Domain("Billing <billing@Example.COM>"); d != "example.com" {
		t.Errorf("Domain = %q", d)
	}
}
