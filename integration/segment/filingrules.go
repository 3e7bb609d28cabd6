package segment

// Rules for calls Segment accepts but that its destinations file
// differently than meant. Each is a warning: the call is sent, and the
// test step and the attempt say what to change.

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/filing"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// checkFiling warns about the values of traits or properties (the object
// at prefix+f) that downstream tools would file as the wrong kind:
//   - a number sent as text ("29.99"): Segment's spec types amounts
//     (revenue, price, value) as numbers, and the tools it forwards to sum
//     and compare numbers, not strings;
//   - a date, by its name (…_at, …_since, …_date, createdAt), sent as a
//     number: Segment's spec writes dates as ISO 8601 strings (the
//     createdAt trait, the timestamp field), and the tools it forwards to
//     read dates from those.
func checkFiling(body map[string]any, f, prefix string) []hookbridge.Problem {
	obj, ok := body[f].(map[string]any)
	if !ok {
		return nil
	}
	var ps []hookbridge.Problem
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		path := prefix + f + "." + name
		switch v := obj[name].(type) {
		case string:
			if filing.IsNumericString(name, v) {
				ps = append(ps, kit.Warning(path,
					fmt.Sprintf("%s is the number %s sent as text: Segment's destinations file it as a string, so sums, averages and numeric filters leave it out", name, v),
					fmt.Sprintf("send a number: %s: Number(hb.formatAmount(minorUnits, currency)), not (minorUnits / 100).toFixed(2)", name)))
			}
		case json.Number:
			if filing.IsDateName(name) {
				ps = append(ps, kit.Warning(path,
					fmt.Sprintf("%s holds the number %s: Segment's spec writes dates as ISO 8601 strings, and its destinations file a number as a number, not a date", name, v),
					fmt.Sprintf("send the ISO 8601 string: %s: webhook.payload.timestamp (or another date of the event, as it comes)", name)))
			}
		}
	}
	return ps
}
