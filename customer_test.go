package hookbridge_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
)

// TestCustomerKeysOfEveryEventType checks where each event family of the
// catalogue names its customer: data.customer for payments, refunds,
// subscriptions, abandoned checkouts and dunning; data.customer_id for
// credits, license keys and entitlement grants; nowhere for disputes and
// payouts.
func TestCustomerKeysOfEveryEventType(t *testing.T) {
	noCustomer := []string{"dispute.", "payout."}
	idOnly := []string{"credit.", "license_key.", "entitlement_grant."}
	for _, name := range catalog.Names() {
		et, _ := catalog.Lookup(name)
		keys := hookbridge.CustomerKeys(et.Sample)
		switch {
		case hasAnyPrefix(name, noCustomer):
			if len(keys) != 0 {
				t.Errorf("%s: keys %q, want none (its payload names no customer)", name, keys)
			}
		case hasAnyPrefix(name, idOnly):
			if len(keys) != 1 || !strings.HasPrefix(keys[0], "cus_") {
				t.Errorf("%s: keys %q, want the customer id alone", name, keys)
			}
		default:
			if len(keys) != 2 || !strings.HasPrefix(keys[0], "cus_") || !strings.Contains(keys[1], "@") {
				t.Errorf("%s: keys %q, want the customer id and e-mail address", name, keys)
			}
		}
	}
}

func hasAnyPrefix(s string, prefixes []string) bool {
	return slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(s, p) })
}

func TestCustomerKeys(t *testing.T) {
	long := strings.Repeat("x", 300)
	tests := []struct {
		name, payload string
		want          []string
	}{
		{"id and e-mail, e-mail in lower case", `{"data":{"customer":{"customer_id":"Cus_1","email":" Jane@Example.COM "}}}`, []string{"Cus_1", "jane@example.com"}},
		{"id only at data.customer_id", `{"data":{"customer_id":"cus_2"}}`, []string{"cus_2"}},
		{"data.customer wins over data.customer_id", `{"data":{"customer_id":"cus_x","customer":{"customer_id":"cus_3"}}}`, []string{"cus_3"}},
		{"e-mail only", `{"data":{"customer":{"email":"a@b.c"}}}`, []string{"a@b.c"}},
		{"null and numbers are not keys", `{"data":{"customer":{"customer_id":null,"email":42}}}`, nil},
		{"a field of another type is skipped", `{"data":{"customer":"cus_4","customer_id":"cus_5"}}`, []string{"cus_5"}},
		{"not JSON", `{"data":`, nil},
		{"not an object", `[1,2]`, nil},
		{"no data", `{}`, nil},
		{"empty strings", `{"data":{"customer":{"customer_id":"  ","email":""}}}`, nil},
		{"long id hashed", `{"data":{"customer_id":"` + long + `"}}`, hookbridge.CustomerLookupKeys(long)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hookbridge.CustomerKeys([]byte(tt.payload)); !slices.Equal(got, tt.want) {
				t.Errorf("CustomerKeys(%s) = %q, want %q", tt.payload, got, tt.want)
			}
		})
	}
}

func TestCustomerLookupKeys(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"cus_1", []string{"cus_1"}},
		{" Cus_1 ", []string{"Cus_1"}},
		{"Jane@Example.com", []string{"Jane@Example.com", "jane@example.com"}},
		{"jane@example.com", []string{"jane@example.com"}},
		{"", nil},
		{"  ", nil},
	}
	for _, tt := range tests {
		if got := hookbridge.CustomerLookupKeys(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("CustomerLookupKeys(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := strings.Repeat("y", 300)
	if got := hookbridge.CustomerLookupKeys(long); len(got) != 1 || !strings.HasPrefix(got[0], "sha256:") || len(got[0]) > 200 {
		t.Errorf("a long id looks up %q, want its hash", got)
	}
}

func TestNewestIDs(t *testing.T) {
	got := hookbridge.NewestIDs(3, []string{"m5", "m3", "m1"}, []string{"m4", "m3", "m2"})
	if want := []string{"m5", "m4", "m3"}; !slices.Equal(got, want) {
		t.Errorf("NewestIDs = %v, want %v", got, want)
	}
	if got := hookbridge.NewestIDs(0, []string{"m1"}, []string{"m2", "m1"}); !slices.Equal(got, []string{"m2", "m1"}) {
		t.Errorf("NewestIDs without a limit = %v", got)
	}
}

// BenchmarkCustomerKeys reads the keys of the catalogue's payment sample,
// as ingest does for every message.
func BenchmarkCustomerKeys(b *testing.B) {
	et, _ := catalog.Lookup("payment.succeeded")
	b.SetBytes(int64(len(et.Sample)))
	for b.Loop() {
		hookbridge.CustomerKeys(et.Sample)
	}
}
