package js

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"
)

// currencyExponents lists the ISO 4217 currencies whose minor unit is not
// a hundredth: how many decimals an amount in minor units has.
var currencyExponents = map[string]int{
	// No minor unit.
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
	"PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	// Thousandths.
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	// Ten-thousandths.
	"CLF": 4, "UYW": 4,
}

// defaultExponent is used for every other currency, known or not.
const defaultExponent = 2

var minorUnitsPattern = regexp.MustCompile(`^-?[0-9]+$`)

// newHelpers builds the global hb object: small, deterministic helpers for
// payment events (see doc.go).
func newHelpers(inst *instance) *goja.Object {
	hb := inst.vm.NewObject()
	_ = hb.Set("formatAmount", inst.nativeFunc("formatAmount", 2, inst.formatAmount))
	_ = hb.Set("toUnixSeconds", inst.nativeFunc("toUnixSeconds", 1, inst.toUnixSeconds))
	return hb
}

// formatAmount is hb.formatAmount(minorUnits, currency).
func (inst *instance) formatAmount(call goja.FunctionCall) goja.Value {
	digits, negative, ok := minorUnitDigits(call.Argument(0))
	if !ok {
		panic(inst.vm.NewTypeError("hb.formatAmount: minorUnits must be an integer (or a string of digits), got %s",
			inst.console.formatValue(call.Argument(0))))
	}
	currency := ""
	if c, ok := call.Argument(1).(goja.String); ok {
		currency = c.String()
	}
	return inst.vm.ToValue(formatMinorUnits(digits, negative, currencyExponent(currency)))
}

// toUnixSeconds is hb.toUnixSeconds(rfc3339).
func (inst *instance) toUnixSeconds(call goja.FunctionCall) goja.Value {
	text, isString := call.Argument(0).(goja.String)
	if isString {
		if t, err := time.Parse(time.RFC3339Nano, text.String()); err == nil {
			return inst.vm.ToValue(t.Unix())
		}
	}
	panic(inst.vm.NewTypeError("hb.toUnixSeconds: %s is not an RFC 3339 timestamp",
		inst.console.formatValue(call.Argument(0))))
}

// currencyExponent returns the number of decimals of a currency's minor
// unit by its ISO 4217 code, in any letter case.
func currencyExponent(code string) int {
	if exp, ok := currencyExponents[strings.ToUpper(strings.TrimSpace(code))]; ok {
		return exp
	}
	return defaultExponent
}

// minorUnitDigits reads an amount in minor units: an integral number or a
// string of digits, as some events carry amounts as strings.
func minorUnitDigits(v goja.Value) (digits string, negative, ok bool) {
	switch {
	case goja.IsNumber(v):
		f := v.ToFloat()
		if math.IsNaN(f) || math.IsInf(f, 0) || f != math.Trunc(f) {
			return "", false, false
		}
		return strconv.FormatFloat(math.Abs(f), 'f', 0, 64), f < 0, true
	case goja.IsString(v):
		s := strings.TrimSpace(v.String())
		if !minorUnitsPattern.MatchString(s) {
			return "", false, false
		}
		negative = strings.HasPrefix(s, "-")
		s = strings.TrimLeft(strings.TrimPrefix(s, "-"), "0")
		if s == "" {
			s, negative = "0", false
		}
		return s, negative, true
	}
	return "", false, false
}

// formatMinorUnits places the decimal point exponent digits from the right.
func formatMinorUnits(digits string, negative bool, exponent int) string {
	if digits == "0" {
		negative = false
	}
	if exponent > 0 {
		if len(digits) <= exponent {
			digits = strings.Repeat("0", exponent-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-exponent] + "." + digits[len(digits)-exponent:]
	}
	if negative {
		return "-" + digits
	}
	return digits
}
