package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
)

func TestNamesAreTheReferenceList(t *testing.T) {
	names := Names()
	if !slices.Equal(names, referenceEventTypes) {
		t.Fatalf("Names() differs from the reference list\n got: %q\nwant: %q", names, referenceEventTypes)
	}
	seen := make(map[string]bool)
	for _, name := range names {
		if seen[name] {
			t.Errorf("event type %q listed twice", name)
		}
		seen[name] = true
	}
}

func TestAllLookupAndKnownAgree(t *testing.T) {
	all := All()
	if got := namesOf(all); !slices.Equal(got, Names()) {
		t.Fatalf("All() is not in the order of Names():\n got %q\nwant %q", got, Names())
	}
	for _, want := range all {
		got, ok := Lookup(want.Name)
		if !ok {
			t.Errorf("Lookup(%q) found nothing", want.Name)
			continue
		}
		if got.Name != want.Name || got.Category != want.Category ||
			got.Description != want.Description || !bytes.Equal(got.Sample, want.Sample) {
			t.Errorf("Lookup(%q) = %+v, want the entry of All()", want.Name, got)
		}
		if !Known(want.Name) {
			t.Errorf("Known(%q) = false", want.Name)
		}
	}
	for _, name := range []string{"", "payment", "payment.refunded", "Payment.Succeeded", " payment.succeeded", "payment.succeeded "} {
		if Known(name) {
			t.Errorf("Known(%q) = true, want false", name)
		}
		if got, ok := Lookup(name); ok {
			t.Errorf("Lookup(%q) = %+v, true; want not found", name, got)
		}
	}
}

func TestCallersGetTheirOwnCopies(t *testing.T) {
	before := All()[0]

	all := All()
	all[0].Name = "changed"
	all[0].Sample[0] = 'X'
	names := Names()
	names[0] = "changed"
	found, _ := Lookup(before.Name)
	found.Sample[0] = 'Y'

	after := All()[0]
	if after.Name != before.Name || !bytes.Equal(after.Sample, before.Sample) {
		t.Errorf("changing a returned value changed the catalogue: got %q %.20s…", after.Name, after.Sample)
	}
	if Names()[0] != before.Name {
		t.Errorf("changing Names() changed the catalogue")
	}
}

func TestSamplesAreDeterministic(t *testing.T) {
	first, second := newIndex(definitions()), newIndex(definitions())
	for i := range first.types {
		if !bytes.Equal(first.types[i].Sample, second.types[i].Sample) {
			t.Errorf("%s: two builds of the sample differ", first.types[i].Name)
		}
	}
}

func TestCategoriesAreTheNamePrefix(t *testing.T) {
	used := make(map[string]bool)
	for _, et := range All() {
		prefix, _, _ := strings.Cut(et.Name, ".")
		if et.Category != prefix {
			t.Errorf("%s: category %q, want %q", et.Name, et.Category, prefix)
		}
		if !slices.Contains(referenceCategories, et.Category) {
			t.Errorf("%s: category %q is not one of %q", et.Name, et.Category, referenceCategories)
		}
		used[et.Category] = true
	}
	for _, category := range referenceCategories {
		if !used[category] {
			t.Errorf("no event type in category %q", category)
		}
	}
}

func TestDescriptionsAreOneSentenceSayingWhen(t *testing.T) {
	seen := make(map[string]string)
	for _, et := range All() {
		d := et.Description
		switch {
		case !strings.HasPrefix(d, "Sent when "):
			t.Errorf("%s: description %q does not start with \"Sent when \"", et.Name, d)
		case !strings.HasSuffix(d, "."):
			t.Errorf("%s: description %q does not end with a full stop", et.Name, d)
		case strings.Contains(strings.TrimSuffix(d, "."), ". ") || strings.ContainsAny(d, "\n\t"):
			t.Errorf("%s: description %q is not a single sentence", et.Name, d)
		}
		if other, dup := seen[d]; dup {
			t.Errorf("%s and %s share the description %q", other, et.Name, d)
		}
		seen[d] = et.Name
	}
}

// envelopeTimestamp is the platform's format: RFC 3339 in UTC with exactly
// six fractional digits.
var envelopeTimestamp = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$`)

func TestSampleEnvelopes(t *testing.T) {
	for _, et := range All() {
		t.Run(et.Name, func(t *testing.T) {
			if !json.Valid(et.Sample) {
				t.Fatalf("sample is not valid JSON: %s", et.Sample)
			}
			if bytes.Contains(et.Sample, []byte(`\u00`)) {
				t.Errorf("sample escapes characters such as & that the platform sends as they are: %s", et.Sample)
			}
			env := decodeSample(t, et.Sample)
			if keys := sortedKeys(env); !slices.Equal(keys, []string{"business_id", "data", "timestamp", "type"}) {
				t.Errorf("top-level keys = %q, want exactly business_id, type, timestamp, data", keys)
			}
			if env["type"] != et.Name {
				t.Errorf("type = %v, want %q", env["type"], et.Name)
			}
			businessID, _ := env["business_id"].(string)
			if !strings.HasPrefix(businessID, "bus_") {
				t.Errorf("business_id = %v, want a bus_ id", env["business_id"])
			}
			at := envelopeTime(t, env)
			data, ok := env["data"].(map[string]any)
			if !ok {
				t.Fatalf("data = %T, want an object", env["data"])
			}
			if id, ok := data["business_id"]; ok && id != businessID {
				t.Errorf("data.business_id = %v, envelope business_id = %q", id, businessID)
			}
			if created, ok := data["created_at"].(string); ok {
				createdAt, err := time.Parse(time.RFC3339, created)
				if err != nil || createdAt.After(at) {
					t.Errorf("data.created_at = %q, want a date-time not after the envelope's %s", created, at.Format(TimestampLayout))
				}
			}
		})
	}
}

func envelopeTime(t *testing.T, env map[string]any) time.Time {
	t.Helper()
	text, _ := env["timestamp"].(string)
	if !envelopeTimestamp.MatchString(text) {
		t.Errorf("timestamp = %v, want RFC 3339 with microseconds, like 2025-08-04T05:30:45.182629Z", env["timestamp"])
	}
	at, err := time.Parse(time.RFC3339, text)
	if err != nil {
		t.Errorf("timestamp %q: %v", text, err)
	}
	return at
}

func TestDocumentedObjectsFollowTheReference(t *testing.T) {
	checked := 0
	for _, et := range All() {
		spec, documented := documentedSpecs[et.Category]
		if !documented {
			continue
		}
		data := decodeSample(t, et.Sample)["data"].(map[string]any)
		for _, problem := range checkObject(spec, "data", data) {
			t.Errorf("%s: %s", et.Name, problem)
		}
		checked++
	}
	if checked != 25 {
		t.Errorf("checked %d samples against the reference, want the 25 payment, refund, dispute, subscription and license key events", checked)
	}
}

// TestEmptyModelsWriteEveryField marshals empty documented models: every
// field the reference lists as always present or nullable must still be
// written (as null or a zero value), so no sample can lose one by chance.
func TestEmptyModelsWriteEveryField(t *testing.T) {
	for category, spec := range documentedSpecs {
		written, err := json.Marshal(newData(category))
		if err != nil {
			t.Fatalf("marshal empty %s: %v", spec.name, err)
		}
		for _, missing := range missingFields(spec, "data", decodeSample(t, written)) {
			t.Errorf("an empty %s does not write %s", spec.name, missing)
		}
	}
}

// missingFields lists the required and nullable fields of spec that obj
// lacks, looking into nested objects too.
func missingFields(spec objectSpec, path string, obj map[string]any) []string {
	var missing []string
	for _, fields := range []map[string]kind{spec.required, spec.nullable} {
		for field := range fields {
			if _, ok := obj[field]; !ok {
				missing = append(missing, path+"."+field)
			}
		}
	}
	for field, nestedSpec := range spec.nested {
		nested, _ := obj[field].(map[string]any)
		missing = append(missing, missingFields(nestedSpec, path+"."+field, nested)...)
	}
	return missing
}

// TestCheckerCatchesDrift shows that checkObject, which the test above
// relies on, does find each kind of departure from the reference.
func TestCheckerCatchesDrift(t *testing.T) {
	et, _ := Lookup("payment.succeeded")
	data := decodeSample(t, et.Sample)["data"].(map[string]any)
	delete(data, "payment_id")                      // required field missing
	delete(data, "error_code")                      // nullable field missing
	data["payload_type"] = "Payment"                // field the reference does not list
	data["brand_id"] = nil                          // required field null
	data["status"] = "paid"                         // value outside the enum
	data["total_amount"] = json.Number("32.65")     // money as a decimal
	data["customer"].(map[string]any)["email"] = 42 // wrong kind, nested

	problems := strings.Join(checkObject(paymentSpec, "data", data), "\n")
	for _, want := range []string{
		"data.payment_id: missing",
		"data.error_code: missing",
		"data.payload_type: not in the reference",
		"data.brand_id: null",
		`data.status: "paid" is not one of`,
		"data.total_amount: want integer",
		"data.customer.email: want string",
	} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems do not mention %q; got:\n%s", want, problems)
		}
	}
}

var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

func TestCurrenciesAndMoney(t *testing.T) {
	used := make(map[string]bool)
	for _, et := range All() {
		walkFields(decodeSample(t, et.Sample), "", func(path, key string, value any) {
			if value == nil {
				return
			}
			if key == "currency" || strings.HasSuffix(key, "_currency") {
				code, _ := value.(string)
				if !slices.Contains(iso4217, code) {
					t.Errorf("%s: %s = %v, want an upper-case ISO 4217 code", et.Name, path, value)
				}
				used[code] = true
			}
			isMoney := key == "amount" || strings.HasSuffix(key, "_amount") || strings.HasPrefix(key, "amount_")
			if isMoney && !(et.Category == "dispute" && path == "data.amount") && !isInteger(value) {
				t.Errorf("%s: %s = %v, want an integer in minor units", et.Name, path, value)
			}
			if strings.HasSuffix(path, "billing.country") && !countryCode.MatchString(fmt.Sprint(value)) {
				t.Errorf("%s: %s = %v, want an ISO 3166-1 alpha-2 code", et.Name, path, value)
			}
		})
	}
	if !used["USD"] || !used["JPY"] {
		t.Errorf("currencies used: %v; want samples in USD and in JPY (no minor unit)", sortedKeys(used))
	}
	if !slices.ContainsFunc(threeDecimalCurrencies, func(c string) bool { return used[c] }) {
		t.Errorf("currencies used: %v; want a sample in a three-decimal currency such as KWD", sortedKeys(used))
	}
}

// set stands for "any value but null" in eventStates.
const set = "<set>"

// eventStates says what each event's data must show for the sample to fit
// the event: a field's value, set for any non-null value, or nil for null.
var eventStates = map[string]map[string]any{
	"payment.succeeded": {
		"status": "succeeded", "payment_method": set, "card_last_four": set,
		"card_network": set, "card_type": set, "error_code": nil, "error_message": nil,
	},
	"payment.failed":     {"status": "failed", "error_code": set, "error_message": set},
	"payment.processing": {"status": "processing", "error_code": nil},
	"payment.cancelled":  {"status": "cancelled"},

	"refund.succeeded": {"status": "succeeded", "amount": set},
	"refund.failed":    {"status": "failed"},

	"dispute.opened":     {"dispute_status": "dispute_opened"},
	"dispute.expired":    {"dispute_status": "dispute_expired"},
	"dispute.accepted":   {"dispute_status": "dispute_accepted"},
	"dispute.cancelled":  {"dispute_status": "dispute_cancelled"},
	"dispute.challenged": {"dispute_status": "dispute_challenged"},
	"dispute.won":        {"dispute_status": "dispute_won"},
	"dispute.lost":       {"dispute_status": "dispute_lost"},

	"subscription.active":                {"status": "active", "cancelled_at": nil, "payment_method_id": set},
	"subscription.renewed":               {"status": "active"},
	"subscription.on_hold":               {"status": "on_hold"},
	"subscription.paused":                {"status": "paused", "paused_at": set},
	"subscription.unpaused":              {"status": "active", "paused_at": nil},
	"subscription.cancelled":             {"status": "cancelled", "cancelled_at": set},
	"subscription.failed":                {"status": "failed"},
	"subscription.expired":               {"status": "expired", "expires_at": set},
	"subscription.plan_changed":          {"status": "active"},
	"subscription.updated":               {"status": "active"},
	"subscription.update_payment_method": {"payment_method_id": set},

	"license_key.created": {"status": "active", "key": set},

	"payout.created":     {"status": "not_initiated"},
	"payout.on_hold":     {"status": "on_hold", "remarks": set},
	"payout.in_progress": {"status": "in_progress"},
	"payout.failed":      {"status": "failed", "remarks": set},
	"payout.success":     {"status": "success"},

	"credit.added":              {"transaction_type": "credit_added", "is_credit": true},
	"credit.deducted":           {"transaction_type": "credit_deducted", "is_credit": false},
	"credit.expired":            {"transaction_type": "credit_expired", "is_credit": false},
	"credit.rolled_over":        {"transaction_type": "credit_rolled_over"},
	"credit.rollover_forfeited": {"transaction_type": "rollover_forfeited", "is_credit": false},
	"credit.overage_charged":    {"transaction_type": "overage_charged", "charge_amount": set, "charge_currency": set},
	"credit.overage_reset":      {"transaction_type": "overage_reset", "charge_amount": nil},
	"credit.manual_adjustment":  {"transaction_type": "manual_adjustment"},
	"credit.balance_low":        {"available_balance": set, "threshold_percent": set},

	"abandoned_checkout.detected":  {"status": "abandoned", "recovered_payment_id": nil},
	"abandoned_checkout.recovered": {"status": "recovered", "recovered_payment_id": set},

	"dunning.started":   {"status": "active", "next_attempt_at": set, "recovered_at": nil},
	"dunning.recovered": {"status": "recovered", "recovered_at": set, "recovered_payment_id": set},

	"entitlement_grant.created":   {"status": "pending", "delivered_at": nil},
	"entitlement_grant.delivered": {"status": "delivered", "delivered_at": set},
	"entitlement_grant.failed":    {"status": "failed", "error_message": set},
	"entitlement_grant.revoked":   {"status": "revoked", "revoked_at": set},
}

func TestSamplesFitTheirEvent(t *testing.T) {
	for _, et := range All() {
		want, ok := eventStates[et.Name]
		if !ok {
			t.Errorf("%s: no expected state in eventStates; add one", et.Name)
			continue
		}
		data := decodeSample(t, et.Sample)["data"].(map[string]any)
		for field, wantValue := range want {
			got, present := data[field]
			switch {
			case !present:
				t.Errorf("%s: data.%s is missing", et.Name, field)
			case wantValue == set && got == nil:
				t.Errorf("%s: data.%s is null, want a value", et.Name, field)
			case wantValue != set && got != wantValue:
				t.Errorf("%s: data.%s = %v, want %v", et.Name, field, got, wantValue)
			}
		}
	}
}

func TestRefundsAndDisputesStayWithinThePayment(t *testing.T) {
	payments := make(map[string]map[string]any)
	for _, et := range All() {
		if et.Category == "payment" {
			data := decodeSample(t, et.Sample)["data"].(map[string]any)
			payments[data["payment_id"].(string)] = data
		}
	}
	matched := map[string]int{}
	for _, et := range All() {
		if et.Category != "refund" && et.Category != "dispute" {
			continue
		}
		data := decodeSample(t, et.Sample)["data"].(map[string]any)
		payment, ok := payments[fmt.Sprint(data["payment_id"])]
		if !ok {
			continue
		}
		matched[et.Category]++
		amount, err := strconv.ParseInt(fmt.Sprint(data["amount"]), 10, 64)
		if err != nil {
			t.Errorf("%s: amount %v is not an integer in minor units", et.Name, data["amount"])
			continue
		}
		total, _ := payment["total_amount"].(json.Number).Int64()
		if amount <= 0 || amount > total {
			t.Errorf("%s: amount %d, want 1..%d (the payment's total_amount)", et.Name, amount, total)
		}
		if data["currency"] != payment["currency"] {
			t.Errorf("%s: currency %v, the payment's is %v", et.Name, data["currency"], payment["currency"])
		}
	}
	if matched["refund"] == 0 || matched["dispute"] == 0 {
		t.Errorf("refund and dispute samples should refer to payment samples so they can be checked; matched %v", matched)
	}
}

// TestSamplesRoundTripThroughModels decodes each sample into its typed
// model, refusing unknown fields, and encodes it again: the bytes must not
// change, so the models can read the platform's payloads without loss.
func TestSamplesRoundTripThroughModels(t *testing.T) {
	for _, et := range All() {
		var env Envelope[json.RawMessage]
		if err := strictDecode(et.Sample, &env); err != nil {
			t.Errorf("%s: decode envelope: %v", et.Name, err)
			continue
		}
		data := newData(et.Name)
		if err := strictDecode(env.Data, data); err != nil {
			t.Errorf("%s: decode data into %T: %v", et.Name, data, err)
			continue
		}
		again, err := marshalSample(Envelope[any]{env.BusinessID, env.Type, env.Timestamp, data})
		if err != nil {
			t.Fatalf("%s: encode: %v", et.Name, err)
		}
		if !bytes.Equal(again, et.Sample) {
			t.Errorf("%s: round trip changed the sample\n got %s\nwant %s", et.Name, again, et.Sample)
		}
	}
}

// newData returns a pointer to the model that the event's data decodes into.
func newData(name string) any {
	category, _, _ := strings.Cut(name, ".")
	switch category {
	case "payment":
		return new(Payment)
	case "refund":
		return new(Refund)
	case "dispute":
		return new(Dispute)
	case "subscription":
		return new(Subscription)
	case "license_key":
		return new(LicenseKey)
	case "payout":
		return new(Payout)
	case "credit":
		if name == "credit.balance_low" {
			return new(CreditBalanceLow)
		}
		return new(CreditLedgerEntry)
	case "abandoned_checkout":
		return new(AbandonedCheckout)
	case "dunning":
		return new(Dunning)
	case "entitlement_grant":
		return new(EntitlementGrant)
	}
	return new(map[string]any)
}

// checkObject compares one JSON object with its spec and returns every
// difference, sorted.
func checkObject(spec objectSpec, path string, obj map[string]any) []string {
	var problems []string
	report := func(field, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%s.%s: ", path, field)+fmt.Sprintf(format, args...))
	}
	for field, k := range spec.required {
		value, present := obj[field]
		switch {
		case !present:
			report(field, "missing (%s always has it)", spec.name)
		case value == nil:
			report(field, "null (%s always has a value)", spec.name)
		default:
			if msg := kindMismatch(value, k); msg != "" {
				report(field, "%s", msg)
			}
		}
	}
	for field, k := range spec.nullable {
		value, present := obj[field]
		if !present {
			report(field, "missing (nullable: %s writes null when absent)", spec.name)
		} else if msg := kindMismatch(value, k); value != nil && msg != "" {
			report(field, "%s", msg)
		}
	}
	for field, k := range spec.optional {
		if msg := kindMismatch(obj[field], k); obj[field] != nil && msg != "" {
			report(field, "%s", msg)
		}
	}
	for field := range obj {
		_, r := spec.required[field]
		_, n := spec.nullable[field]
		_, o := spec.optional[field]
		if !r && !n && !o {
			report(field, "not in the reference's %s", spec.name)
		}
	}
	for field, allowed := range spec.enums {
		if value, ok := obj[field].(string); ok && !slices.Contains(allowed, value) {
			report(field, "%q is not one of %q", value, allowed)
		}
	}
	for field, nestedSpec := range spec.nested {
		if nested, ok := obj[field].(map[string]any); ok {
			problems = append(problems, checkObject(nestedSpec, path+"."+field, nested)...)
		}
	}
	sort.Strings(problems)
	return problems
}

// kindMismatch describes how value differs from kind k, or returns "".
func kindMismatch(value any, k kind) string {
	ok := false
	switch k {
	case str:
		_, ok = value.(string)
	case integer:
		ok = isInteger(value)
	case boolean:
		_, ok = value.(bool)
	case dateTime:
		text, isString := value.(string)
		_, err := time.Parse(time.RFC3339, text)
		ok = isString && err == nil
	case object:
		_, ok = value.(map[string]any)
	case array:
		_, ok = value.([]any)
	}
	if ok {
		return ""
	}
	return fmt.Sprintf("want %s, got %#v", k, value)
}

func isInteger(value any) bool {
	n, ok := value.(json.Number)
	if !ok {
		return false
	}
	_, err := n.Int64()
	return err == nil
}

// decodeSample parses a sample keeping numbers as json.Number, so integers
// and decimals can be told apart.
func decodeSample(t *testing.T, sample []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(sample))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode sample: %v", err)
	}
	return v
}

func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// walkFields calls visit for every field of every object inside v, with its
// dotted path and key.
func walkFields(v any, path string, visit func(path, key string, value any)) {
	switch v := v.(type) {
	case map[string]any:
		for key, value := range v {
			fieldPath := strings.TrimPrefix(path+"."+key, ".")
			visit(fieldPath, key, value)
			walkFields(value, fieldPath, visit)
		}
	case []any:
		for i, item := range v {
			walkFields(item, fmt.Sprintf("%s[%d]", path, i), visit)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func namesOf(types []hookbridge.EventType) []string {
	names := make([]string, len(types))
	for i, et := range types {
		names[i] = et.Name
	}
	return names
}
