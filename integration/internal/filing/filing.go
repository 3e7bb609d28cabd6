package filing

import (
	"regexp"
	"strings"
	"time"
)

// dateSuffixes end the names of attributes that hold a point in time, in
// snake_case (paid_at, customer_since, last_payment_date) or camelCase
// (createdAt, memberSince, renewalDate).
var dateSuffixes = []string{"_at", "_since", "_date", "At", "Since", "Date"}

// IsDateName reports whether an attribute's name says it holds a point in
// time.
func IsDateName(name string) bool {
	for _, suffix := range dateSuffixes {
		if rest, ok := strings.CutSuffix(name, suffix); ok && rest != "" {
			if suffix[0] == '_' || isLowerOrDigit(rest[len(rest)-1]) {
				return true
			}
		}
	}
	return false
}

func isLowerOrDigit(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') }

// isoLayouts are the ISO 8601 forms recognised as date text.
var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02",
}

// IsISODate reports whether s is a date or date-time in ISO 8601 form.
func IsISODate(s string) bool {
	for _, layout := range isoLayouts {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

// decimalText is a number written with a decimal point, as
// Number.prototype.toFixed writes amounts ("32.65", "-0.500").
var decimalText = regexp.MustCompile(`^-?[0-9]+\.[0-9]+$`)

// integerText is a whole number written as text.
var integerText = regexp.MustCompile(`^-?[0-9]+$`)

// quantityWords in a name mark an attribute that holds an amount or a
// count, so that "400" there is a number and not a code or an id.
var quantityWords = []string{"amount", "total", "spent", "price", "revenue", "value", "count", "quantity", "balance", "ltv"}

// IsNumericString reports whether the string value of the attribute name
// is a number sent as text: any decimal ("29.99"), or a whole number
// ("400") where the name speaks of an amount or a count. Codes written
// with digits (a postal code, a card's last four digits) are not numbers
// by this rule unless their name says so.
func IsNumericString(name, value string) bool {
	if decimalText.MatchString(value) {
		return true
	}
	if !integerText.MatchString(value) {
		return false
	}
	lower := strings.ToLower(name)
	for _, w := range quantityWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}
