package catalog

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
)

var update = flag.Bool("update", false, "rewrite docs/event-types.md from the catalogue")

// eventTypesDoc is the generated reference, relative to this package.
var eventTypesDoc = filepath.Join("..", "docs", "event-types.md")

const refreshCommand = "go test ./catalog -run TestEventTypesDoc -update"

// TestEventTypesDoc keeps docs/event-types.md in step with the catalogue:
// with -update it rewrites the file, otherwise it fails when the file is
// out of date.
func TestEventTypesDoc(t *testing.T) {
	want := renderEventTypesDoc(t, All())
	if *update {
		if err := os.WriteFile(eventTypesDoc, want, 0o644); err != nil {
			t.Fatalf("write %s: %v", eventTypesDoc, err)
		}
		return
	}
	got, err := os.ReadFile(eventTypesDoc)
	if err != nil {
		t.Fatalf("read %s: %v (generate it with: %s)", eventTypesDoc, err, refreshCommand)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("docs/event-types.md is out of date with the catalogue; refresh it with:\n\t%s\n%s",
			refreshCommand, firstDifference(got, want))
	}
}

// designedCategories carry objects whose shape is our best model.
var designedCategories = map[string]bool{
	"payout": true, "credit": true, "abandoned_checkout": true, "dunning": true, "entitlement_grant": true,
}

func renderEventTypesDoc(t *testing.T, types []hookbridge.EventType) []byte {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "# Event types\n\n")
	fmt.Fprintf(&b, "<!-- Generated from package catalog by `%s`. Do not edit by hand. -->\n\n", refreshCommand)
	fmt.Fprintf(&b, "%s", docIntroduction(len(types)))

	fmt.Fprintf(&b, "## Contents\n\n| Event type | Data | Sent when |\n|---|---|---|\n")
	for _, et := range types {
		fmt.Fprintf(&b, "| [`%s`](#%s) | `%s` | %s |\n", et.Name, anchor(et.Name), dataModelName(et.Name), et.Description)
	}

	category := ""
	for _, et := range types {
		if et.Category != category {
			category = et.Category
			fmt.Fprintf(&b, "\n## %s\n", category)
			if designedCategories[category] {
				fmt.Fprintf(&b, "\nThe platform's reference does not detail the data of these events: its shape below is our best model, not the platform's documented one.\n")
			}
		}
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, et.Sample, "", "  "); err != nil {
			t.Fatalf("%s: indent sample: %v", et.Name, err)
		}
		fmt.Fprintf(&b, "\n### `%s`\n\n%s\n\nCategory `%s`, data `%s`.\n\n```json\n%s\n```\n",
			et.Name, et.Description, et.Category, dataModelName(et.Name), pretty.String())
	}
	return []byte(b.String())
}

func docIntroduction(count int) string {
	return fmt.Sprintf(`The payments platform sends %d event types, listed here in the order of its
reference with a realistic sample payload each. These are the samples that the
"test with sample payloads" step offers, and what `+"`GET /api/v1/event-types`"+` returns.

Every webhook body is an envelope of exactly four fields:
`+"`business_id`, `type` (the event type), `timestamp`"+` (RFC 3339 in UTC with
microseconds) and `+"`data`"+`, the object's state at delivery time. There is no event
id in the body: the `+"`webhook-id`"+` header is the idempotency key, and delivery
order is not guaranteed.

Conventions of the data:

- Amounts are integers in the currency's minor unit: 3265 USD is 32.65 USD, but
  4980 JPY is 4,980 yen (no minor unit) and 12500 KWD is 12.500 dinars (three
  decimals). Dividing by 100 is only right for two-decimal currencies. A dispute's
  `+"`amount`"+` is the one amount written as a string.
- Currencies are upper-case ISO 4217 codes; countries are ISO 3166-1 alpha-2.
- Fields the platform marks nullable are always present, as `+"`null`"+` when they
  have no value.
- Older payloads also carry `+"`data.payload_type`"+`; newer ones do not, so do not
  rely on it.

The Go models of these payloads are in package `+"`catalog`"+` (%s).

`, count, "`catalog.Envelope`, `catalog.Payment`, `catalog.Subscription`, …")
}

// dataModelName names the Go model an event's data decodes into.
func dataModelName(name string) string {
	return reflect.TypeOf(newData(name)).Elem().Name()
}

var notInAnchor = regexp.MustCompile(`[^a-z0-9_-]`)

// anchor is the fragment GitHub gives a heading such as `payment.succeeded`.
func anchor(heading string) string {
	return notInAnchor.ReplaceAllString(strings.ToLower(heading), "")
}

// firstDifference shows the first line where got and want differ.
func firstDifference(got, want []byte) string {
	gotLines, wantLines := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gotLines) || i < len(wantLines); i++ {
		var g, w string
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w {
			return fmt.Sprintf("first difference at line %d:\n  file:      %q\n  catalogue: %q", i+1, g, w)
		}
	}
	return ""
}
