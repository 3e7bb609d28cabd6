package js

import (
	"strings"
	"testing"
)

// evalJS runs expr in a handler and returns the payload it produced.
func evalJS(t *testing.T, sb *Sandbox, expr string) (string, error) {
	t.Helper()
	out, err := transform(t, sb, "", "function handler(w) { w.payload = "+expr+"; return w }")
	if err != nil {
		return "", err
	}
	return string(out.Payload), nil
}

func TestFormatAmount(t *testing.T) {
	sb := New(Options{})
	cases := []struct{ args, want string }{
		{`2999, "USD"`, `"29.99"`},
		{`5, "USD"`, `"0.05"`},
		{`0, "EUR"`, `"0.00"`},
		{`-2999, "USD"`, `"-29.99"`},
		{`400, "JPY"`, `"400"`},
		{`400, "jpy"`, `"400"`},
		{`1234, "KWD"`, `"1.234"`},
		{`5, "BHD"`, `"0.005"`},
		{`5, "CLF"`, `"0.0005"`},
		{`1234567, "KRW"`, `"1234567"`},
		{`2999, "XYZ"`, `"29.99"`},
		{`2999`, `"29.99"`},
		{`2999, null`, `"29.99"`},
		{`"2999", "USD"`, `"29.99"`},
		{`"-0007", "USD"`, `"-0.07"`},
		{`"-0", "USD"`, `"0.00"`},
		{`9007199254740993, "USD"`, `"90071992547409.92"`},
	}
	for _, tc := range cases {
		t.Run(tc.args, func(t *testing.T) {
			got, err := evalJS(t, sb, "hb.formatAmount("+tc.args+")")
			if err != nil || got != tc.want {
				t.Errorf("hb.formatAmount(%s) = %s, %v; want %s", tc.args, got, err, tc.want)
			}
		})
	}
	for _, bad := range []string{`29.99, "USD"`, `NaN, "USD"`, `Infinity`, `"12.50", "USD"`, `"abc"`, `null`, `undefined`, `{}`} {
		t.Run("rejects "+bad, func(t *testing.T) {
			_, err := evalJS(t, sb, "hb.formatAmount("+bad+")")
			wantCodeError(t, err, kindRuntime, "TypeError: hb.formatAmount: minorUnits must be an integer")
		})
	}
}

func TestToUnixSeconds(t *testing.T) {
	sb := New(Options{})
	cases := []struct{ arg, want string }{
		{`"2025-08-04T05:30:45.182629Z"`, "1754285445"},
		{`"2025-08-04T05:30:45Z"`, "1754285445"},
		{`"2025-08-04T07:30:45.999+02:00"`, "1754285445"},
		{`"1969-12-31T23:59:59.5Z"`, "-1"},
	}
	for _, tc := range cases {
		got, err := evalJS(t, sb, "hb.toUnixSeconds("+tc.arg+")")
		if err != nil || got != tc.want {
			t.Errorf("hb.toUnixSeconds(%s) = %s, %v; want %s", tc.arg, got, err, tc.want)
		}
	}
	for _, bad := range []string{`"2025-08-04"`, `"yesterday"`, `1754285445`, `undefined`} {
		_, err := evalJS(t, sb, "hb.toUnixSeconds("+bad+")")
		wantCodeError(t, err, kindRuntime, "is not an RFC 3339 timestamp")
	}
}

func TestHelpersAreFrozen(t *testing.T) {
	got, err := evalJS(t, New(Options{}), `(function () { hb.formatAmount = () => "x"; hb.extra = 1; return [hb.formatAmount(100, "USD"), typeof hb.extra, Object.isFrozen(hb)] })()`)
	if err != nil || got != `["1.00","undefined",true]` {
		t.Errorf("got %s, %v", got, err)
	}
}

// TestToFixedFollowsTheSpecification pins Number.prototype.toFixed, which
// the spec handlers rely on. ECMA-262 defines it exactly (pick n with
// n / 10^f - x closest to zero, the larger n on a tie, computed on the
// exact binary value), and V8 implements that definition, so these are the
// browser's results: 1.005 is stored as 1.00499999999999989… and gives
// "1.00"; 8.345 is 8.34500000000000063… and gives "8.35"; 100.5, 0.125
// and 2.5 are exact ties and round up.
func TestToFixedFollowsTheSpecification(t *testing.T) {
	got, err := evalJS(t, New(Options{}), `[
		(2999 / 100).toFixed(2), (5 / 100).toFixed(2), (1999 / 100).toFixed(2), (1005 / 100).toFixed(2),
		(1.005).toFixed(2), (8.345).toFixed(2), (1.45).toFixed(1), (100.5).toFixed(0), (0.125).toFixed(2),
		(2.5).toFixed(0), (-1.5).toFixed(0), (-0.0001).toFixed(2), (1e21).toFixed(2), (0).toFixed(2)]`)
	want := `["29.99","0.05","19.99","10.05","1.00","8.35","1.4","101","0.13","3","-2","-0.00","1e+21","0.00"]`
	if err != nil || got != want {
		t.Errorf("got  %s, %v\nwant %s", got, err, want)
	}
}

// TestToFixedOfWholeMinorUnits checks (n / 100).toFixed(2) against the
// decimal written with integer arithmetic, for every amount up to 10^5
// minor units and a spread of larger ones.
func TestToFixedOfWholeMinorUnits(t *testing.T) {
	code := `function handler(w) {
		const bad = [];
		const check = (n) => {
			const want = String(Math.floor(n / 100)) + "." + String(n % 100).padStart(2, "0");
			if ((n / 100).toFixed(2) !== want) bad.push(n);
		};
		for (let n = 0; n <= 100000; n++) check(n);
		for (let n = 100000; n < 9e15; n = n * 3 + 7) check(n);
		w.payload = bad.slice(0, 10);
		return w;
	}`
	sb := New(Options{Timeout: MaxTimeout})
	out, err := transform(t, sb, "", code)
	if err != nil {
		t.Fatal(err)
	}
	if string(out.Payload) != "[]" {
		t.Errorf("amounts that format wrongly: %s", out.Payload)
	}
}

func TestCurrencyExponentTable(t *testing.T) {
	for code, exp := range currencyExponents {
		if len(code) != 3 || strings.ToUpper(code) != code || exp == defaultExponent {
			t.Errorf("entry %s: %d", code, exp)
		}
	}
}
