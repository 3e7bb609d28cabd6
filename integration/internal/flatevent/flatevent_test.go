package flatevent

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/catalog"
	"github.com/hookbridge/hookbridge/integration/internal/templatetest"
)

// run runs the template id on the catalogue's sample of eventType and
// returns the flat object it built.
func run(t *testing.T, id, eventType string) map[string]any {
	t.Helper()
	var tpl hookbridge.Template
	for _, x := range Templates("Tool") {
		if x.ID == id {
			tpl = x
		}
	}
	et, ok := catalog.Lookup(eventType)
	if !ok || tpl.Code == "" {
		t.Fatalf("no template %s or event type %s", id, eventType)
	}
	res, err := templatetest.Run(tpl.Code, eventType, et.Sample, "https://hook.example/x")
	if err != nil {
		t.Fatal(err)
	}
	var obj map[string]any
	if err := json.Unmarshal(res.Request.Body, &obj); err != nil {
		t.Fatalf("%s on %s: %v\n%s", id, eventType, err, res.Request.Body)
	}
	return obj
}

func TestEveryTemplateBuildsAFlatObject(t *testing.T) {
	for _, tpl := range Templates("Tool") {
		for _, name := range tpl.EventTypes {
			obj := run(t, tpl.ID, name)
			if obj["event_type"] != name {
				t.Errorf("%s on %s: event_type = %v", tpl.ID, name, obj["event_type"])
			}
			for k, v := range obj {
				switch v.(type) {
				case map[string]any, []any:
					t.Errorf("%s on %s: %s is nested", tpl.ID, name, k)
				}
			}
			if _, ok := obj["occurred_at_unix"].(float64); !ok {
				t.Errorf("%s on %s: occurred_at_unix is not a number: %v", tpl.ID, name, obj["occurred_at_unix"])
			}
		}
	}
}

func TestAmountsAreCurrencyCorrect(t *testing.T) {
	cases := []struct {
		template, event, field string
		number                 float64
		formatted              string
		minor                  float64
	}{
		{"payments", "payment.succeeded", "amount", 32.65, "32.65 USD", 3265},
		{"payments", "payment.processing", "amount", 4980, "4980 JPY", 4980},
		{"subscriptions", "subscription.expired", "recurring_amount", 980, "980 JPY", 980},
		{"refunds", "refund.succeeded", "amount", 15, "15.00 USD", 1500},
		{"disputes", "dispute.opened", "amount", 4980, "4980 JPY", 4980}, // a string "4980" in the event
	}
	for _, c := range cases {
		obj := run(t, c.template, c.event)
		if obj[c.field] != c.number || obj[c.field+"_formatted"] != c.formatted || obj[c.field+"_minor"] != c.minor {
			t.Errorf("%s: %s = %v, %v, %v; want %v, %q, %v", c.event, c.field,
				obj[c.field], obj[c.field+"_formatted"], obj[c.field+"_minor"], c.number, c.formatted, c.minor)
		}
	}
}

func TestTimesComeAsISOAndUnix(t *testing.T) {
	obj := run(t, "subscriptions", "subscription.cancelled")
	if obj["cancelled_at"] != "2025-11-20T18:42:06.997413Z" || obj["cancelled_at_unix"] != float64(1763664126) {
		t.Errorf("cancelled_at = %v, %v", obj["cancelled_at"], obj["cancelled_at_unix"])
	}
	if obj["paused_at"] != "" || obj["paused_at_unix"] != nil {
		t.Errorf("an absent time should be \"\" and null, got %v, %v", obj["paused_at"], obj["paused_at_unix"])
	}
}

func TestTemplatesLeaveOtherEventsAlone(t *testing.T) {
	et, _ := catalog.Lookup("payout.created")
	for _, tpl := range Templates("Tool") {
		res, err := templatetest.Run(tpl.Code, "payout.created", et.Sample, "https://hook.example/x")
		if err != nil || res.Changed {
			t.Errorf("%s changed payout.created (err %v)", tpl.ID, err)
		}
	}
}

func TestAddDeliveryID(t *testing.T) {
	req := &hookbridge.OutboundRequest{Body: []byte(`{"event_type":"payment.succeeded"}`)}
	if err := AddDeliveryID(req, "idem_1"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(req.Body), `"delivery_id":"idem_1"`) {
		t.Errorf("body = %s", req.Body)
	}
	own := &hookbridge.OutboundRequest{Body: []byte(`{"delivery_id":"mine"}`)}
	_ = AddDeliveryID(own, "idem_1")
	if string(own.Body) != `{"delivery_id":"mine"}` {
		t.Errorf("a handler's own delivery_id was replaced: %s", own.Body)
	}
	arr := &hookbridge.OutboundRequest{Body: []byte(`[1]`)}
	if err := AddDeliveryID(arr, "idem_1"); err != nil || string(arr.Body) != `[1]` {
		t.Errorf("a body that is no object was changed: %s, %v", arr.Body, err)
	}
}

// A delivery reads its body once: AddDeliveryID (Prepare) and Validate
// share one reading, for every template's event.
func TestAddDeliveryIDAndValidateReadTheBodyOnce(t *testing.T) {
	lim := Limits{Tool: "Tool", Methods: []string{"POST"}}
	for _, tpl := range Templates("Tool") {
		for _, name := range tpl.EventTypes {
			et, _ := catalog.Lookup(name)
			res, err := templatetest.Run(tpl.Code, name, et.Sample, "https://hook.example/x")
			if err != nil {
				t.Fatal(err)
			}
			req := &res.Request
			if err := AddDeliveryID(req, "idem_1"); err != nil {
				t.Fatal(err)
			}
			if ps := Validate(req, lim); len(ps) != 0 || req.BodyReads() != 1 {
				t.Errorf("%s on %s: the body was read %d times; problems %+v", tpl.ID, name, req.BodyReads(), ps)
			}
		}
	}
}

func TestValidateRules(t *testing.T) {
	lim := Limits{Tool: "Tool", MaxBytes: 64, Methods: []string{"POST"}}
	flat := `{"event_type":"payment.succeeded","amount":1}`
	cases := []struct {
		name, method, body, field string
		warning                   bool
	}{
		{"method", "DELETE", flat, "method", false},
		{"size", "POST", `{"event_type":"x","pad":"` + strings.Repeat("a", 80) + `"}`, "body", false},
		{"not an object", "POST", `[{"event_type":"x"}]`, "body", false},
		{"not JSON", "POST", `amount=1`, "body", false},
		{"empty", "POST", ``, "body", false},
		{"nested", "POST", `{"event_type":"x","customer":{"email":"a@b"}}`, "customer", true},
		{"array", "POST", `{"event_type":"x","items":[1]}`, "items", true},
		{"no event_type", "POST", `{"amount":1}`, "event_type", true},
	}
	for _, c := range cases {
		ps := Validate(&hookbridge.OutboundRequest{Method: c.method, Body: []byte(c.body)}, lim)
		if !hasProblem(ps, c.field, c.warning) {
			t.Errorf("%s: want a problem on %s (warning %v), got %+v", c.name, c.field, c.warning, ps)
		}
	}
	if ps := Validate(&hookbridge.OutboundRequest{Method: "POST", Body: []byte(flat)}, lim); len(ps) != 0 {
		t.Errorf("a flat event gets problems: %+v", ps)
	}
}

func hasProblem(ps []hookbridge.Problem, field string, warning bool) bool {
	for _, p := range ps {
		if p.Field == field && p.Warning == warning && p.Fix != "" {
			return true
		}
	}
	return false
}
