package filing

import "testing"

func TestIsDateName(t *testing.T) {
	for name, want := range map[string]bool{
		"paid_at": true, "customer_since": true, "last_payment_date": true, "createdAt": true, "memberSince": true,
		"renewalDate": true, "at": false, "_at": false, "format": false, "update": false, "candidate": false,
		"CHAT": false, "status": false, "next_billing": false,
	} {
		if got := IsDateName(name); got != want {
			t.Errorf("IsDateName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestIsISODate(t *testing.T) {
	for s, want := range map[string]bool{
		"2025-08-04T05:30:45.182629Z": true, "2025-08-04T05:30:45+02:00": true, "2025-08-04": true,
		"1754285445": false, "04/08/2025": false, "": false, "Mon, 04 Aug 2025 05:30:45 GMT": false,
	} {
		if got := IsISODate(s); got != want {
			t.Errorf("IsISODate(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestIsNumericString(t *testing.T) {
	tests := []struct {
		name, value string
		want        bool
	}{
		{"total_spent", "29.99", true}, {"payment_amount", "400", true}, {"anything", "1.234", true},
		{"amount", "-2.50", true}, {"zipcode", "78701", false}, {"card_last_four", "4242", false},
		{"amount", "29.99 USD", false}, {"amount", "", false}, {"payment_id", "pay_1", false},
	}
	for _, tt := range tests {
		if got := IsNumericString(tt.name, tt.value); got != tt.want {
			t.Errorf("IsNumericString(%q, %q) = %v, want %v", tt.name, tt.value, got, tt.want)
		}
	}
}
