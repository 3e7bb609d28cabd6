package customerio

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

// op builds a v2 operation body from a valid event, with fields replaced
// (a nil value removes the field).
func op(changes map[string]string) string {
	fields := [][2]string{
		{"type", `"person"`},
		{"identifiers", `{"id":"cus_1"}`},
		{"action", `"event"`},
		{"name", `"payment_completed"`},
		{"timestamp", `1754285445`},
		{"attributes", `{"amount":29.99}`},
	}
	var parts []string
	seen := map[string]bool{}
	for _, f := range fields {
		seen[f[0]] = true
		v, changed := changes[f[0]]
		switch {
		case !changed:
			parts = append(parts, fmt.Sprintf("%q:%s", f[0], f[1]))
		case v != "":
			parts = append(parts, fmt.Sprintf("%q:%s", f[0], v))
		}
	}
	for k, v := range changes {
		if !seen[k] && v != "" {
			parts = append(parts, fmt.Sprintf("%q:%s", k, v))
		}
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func attrs(n, nameLen, valueLen int) string {
	var parts []string
	for i := range n {
		name := fmt.Sprintf("a%d", i) + strings.Repeat("n", max(0, nameLen-len(fmt.Sprintf("a%d", i))))
		parts = append(parts, fmt.Sprintf("%q:%q", name, strings.Repeat("v", valueLen)))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func TestValidate(t *testing.T) {
	const entity = "https://track.customer.io/api/v2/entity"
	const batch = "https://track.customer.io/api/v2/batch"
	identify := map[string]string{"action": `"identify"`, "name": ""}
	with := func(base map[string]string, extra map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range base {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	tests := []struct {
		name   string
		method string
		url    string
		body   string
		// want lists the fields of the expected problems, in order; empty
		// means valid.
		want []string
	}{
		// Valid requests.
		{"event", "POST", entity, op(nil), nil},
		{"event on the EU host", "POST", "https://track-eu.customer.io/api/v2/entity", op(nil), nil},
		{"event with a ULID id", "POST", entity, op(map[string]string{"id": `"01K1SRZ3W8B2ERVEJSFZV62BWP"`}), nil},
		{"page", "POST", entity, op(map[string]string{"action": `"page"`, "name": `"https://shop.example/checkout"`}), nil},
		{"identify by email", "POST", entity, op(with(identify, map[string]string{"identifiers": `{"email":"a@example.com"}`, "attributes": `{"plan":"pro","_update":true}`})), nil},
		{"identify by phone", "POST", entity, op(with(identify, map[string]string{"identifiers": `{"phone":"+14155550123"}`})), nil},
		{"delete", "POST", entity, op(map[string]string{"action": `"delete"`, "name": "", "attributes": ""}), nil},
		{"object, not checked as a person", "POST", entity, `{"type":"object","identifiers":{"object_type_id":"1","object_id":"acme"},"action":"identify","attributes":{"plan":"pro"}}`, nil},
		{"no timestamp", "POST", entity, op(map[string]string{"timestamp": ""}), nil},
		{"300 attributes", "POST", entity, op(with(identify, map[string]string{"attributes": attrs(300, 20, 20)})), nil},
		{"attribute name of 150 bytes", "POST", entity, op(with(identify, map[string]string{"attributes": attrs(2, 150, 10)})), nil},
		{"an attribute value of 1000 bytes", "POST", entity, op(with(identify, map[string]string{"attributes": attrs(1, 10, 1000)})), nil},
		{"name of 100 bytes", "POST", entity, op(map[string]string{"name": `"` + strings.Repeat("n", 100) + `"`}), nil},
		{"id of 150 bytes", "POST", entity, op(map[string]string{"identifiers": `{"id":"` + strings.Repeat("i", 150) + `"}`}), nil},
		{"batch", "POST", batch, `{"batch":[` + op(nil) + `,` + op(identify) + `]}`, nil},
		{"v1 identify", "PUT", "https://track.customer.io/api/v1/customers/cus_1", `{"email":"a@example.com","plan":"pro"}`, nil},
		{"v1 delete", "DELETE", "https://track.customer.io/api/v1/customers/cus_1", ``, nil},
		{"v1 event", "POST", "https://track.customer.io/api/v1/customers/cus%2F1/events", `{"name":"payment_completed","timestamp":1754285445,"data":{"amount":29.99}}`, nil},
		{"v1 anonymous event", "POST", "https://track.customer.io/api/v1/events", `{"name":"checkout_abandoned","anonymous_id":"anon_1"}`, nil},
		{"region lookup", "GET", "https://track.customer.io/api/v1/accounts/region", ``, nil},
		{"trailing slash", "POST", entity + "/", op(nil), nil},

		// Transport.
		{"another host", "POST", "https://evil.example/api/v2/entity", op(nil), []string{"url"}},
		{"http", "POST", "http://track.customer.io/api/v2/entity", op(nil), []string{"url"}},
		{"unknown path", "POST", "https://track.customer.io/api/v2/events", op(nil), []string{"url"}},
		{"v1 customer sub-route", "POST", "https://track.customer.io/api/v1/customers/c1/devices", `{}`, []string{"url"}},
		{"PUT to v2", "PUT", entity, op(nil), []string{"method"}},
		{"POST to v1 customer", "POST", "https://track.customer.io/api/v1/customers/c1", `{}`, []string{"method"}},

		// Body shape.
		{"empty body", "POST", entity, ``, []string{"body"}},
		{"invalid JSON", "POST", entity, `{"type":`, []string{"body"}},
		{"array body", "POST", entity, `[` + op(nil) + `]`, []string{"body"}},
		{"too large", "POST", entity, op(map[string]string{"attributes": attrs(40, 10, 900)}), []string{"body"}},

		// type.
		{"no type", "POST", entity, op(map[string]string{"type": ""}), []string{"type"}},
		{"type customer", "POST", entity, op(map[string]string{"type": `"customer"`}), []string{"type"}},

		// identifiers.
		{"no identifiers", "POST", entity, op(map[string]string{"identifiers": ""}), []string{"identifiers"}},
		{"identifiers a string", "POST", entity, op(map[string]string{"identifiers": `"cus_1"`}), []string{"identifiers"}},
		{"empty identifiers", "POST", entity, op(map[string]string{"identifiers": `{}`}), []string{"identifiers"}},
		{"two identifiers", "POST", entity, op(map[string]string{"identifiers": `{"id":"c1","email":"a@example.com"}`}), []string{"identifiers"}},
		{"unknown identifier", "POST", entity, op(map[string]string{"identifiers": `{"customer_id":"c1"}`}), []string{"identifiers.customer_id"}},
		{"empty id", "POST", entity, op(map[string]string{"identifiers": `{"id":""}`}), []string{"identifiers.id"}},
		{"undefined id (missing customer)", "POST", entity, op(map[string]string{"identifiers": `{"id":null}`}), []string{"identifiers.id"}},
		{"numeric id", "POST", entity, op(map[string]string{"identifiers": `{"id":42}`}), []string{"identifiers.id"}},
		{"id of 151 bytes", "POST", entity, op(map[string]string{"identifiers": `{"id":"` + strings.Repeat("i", 151) + `"}`}), []string{"identifiers.id"}},
		{"phone not E.164", "POST", entity, op(map[string]string{"identifiers": `{"phone":"(415) 555-0123"}`}), []string{"identifiers.phone"}},

		// action and name.
		{"no action", "POST", entity, op(map[string]string{"action": ""}), []string{"action"}},
		{"invalid action", "POST", entity, op(map[string]string{"action": `"payment_completed"`}), []string{"action"}},
		{"action in other case", "POST", entity, op(map[string]string{"action": `"Event"`}), []string{"action"}},
		{"event without name", "POST", entity, op(map[string]string{"name": ""}), []string{"name"}},
		{"screen with empty name", "POST", entity, op(map[string]string{"action": `"screen"`, "name": `" "`}), []string{"name"}},
		{"name of 101 bytes", "POST", entity, op(map[string]string{"name": `"` + strings.Repeat("n", 101) + `"`}), []string{"name"}},
		{"identify with a name", "POST", entity, op(with(identify, map[string]string{"name": `"Customer Identified"`})), []string{"name"}},
		{"event id not a ULID", "POST", entity, op(map[string]string{"id": `"pay_123"`}), []string{"id"}},

		// timestamp.
		{"timestamp as ISO string", "POST", entity, op(map[string]string{"timestamp": `"2025-08-04T05:30:45.182629Z"`}), []string{"timestamp"}},
		{"timestamp as numeric string", "POST", entity, op(map[string]string{"timestamp": `"1754285445"`}), []string{"timestamp"}},
		{"fractional timestamp", "POST", entity, op(map[string]string{"timestamp": `1754285445.5`}), []string{"timestamp"}},
		{"timestamp in milliseconds", "POST", entity, op(map[string]string{"timestamp": `1754285445182`}), []string{"timestamp"}},

		// attributes.
		{"attributes an array", "POST", entity, op(with(identify, map[string]string{"attributes": `[1]`})), []string{"attributes"}},
		{"301 attributes", "POST", entity, op(with(identify, map[string]string{"attributes": attrs(301, 5, 1)})), []string{"attributes"}},
		{"attribute name of 151 bytes", "POST", entity, op(with(identify, map[string]string{"attributes": attrs(1, 151, 1)})), []string{"attributes." + "a0" + strings.Repeat("n", 38) + "…"}},
		{"attribute value of 1001 bytes", "POST", entity, op(with(identify, map[string]string{"attributes": attrs(1, 2, 1001)})), []string{"attributes.a0"}},
		{"object value over 1000 bytes stringified", "POST", entity, op(with(identify, map[string]string{"attributes": `{"cart":{"items":"` + strings.Repeat("x", 990) + `"}}`})), []string{"attributes.cart"}},
		{"_update not a boolean", "POST", entity, op(with(identify, map[string]string{"attributes": `{"_update":"yes"}`})), []string{"attributes._update"}},
		{"event attributes a string", "POST", entity, op(map[string]string{"attributes": `"x"`}), []string{"attributes"}},

		// batch.
		{"batch not an array", "POST", batch, `{"batch":{}}`, []string{"batch"}},
		{"empty batch", "POST", batch, `{"batch":[]}`, []string{"batch"}},
		{"batch item errors are located", "POST", batch, `{"batch":[` + op(nil) + `,` + op(map[string]string{"action": `"subscription_started"`}) + `,3]}`, []string{"batch[1].action", "batch[2]"}},
		{"batch op over 32 KB", "POST", batch, `{"batch":[` + op(map[string]string{"attributes": attrs(40, 10, 900)}) + `]}`, []string{"batch[0]"}},
		{"batch over 500 KB", "POST", batch, `{"batch":[` + strings.Repeat(op(map[string]string{"attributes": attrs(20, 10, 900)})+",", 28) + op(nil) + `]}`, []string{"body"}},

		// v1.
		{"v1 identify, array body", "PUT", "https://track.customer.io/api/v1/customers/c1", `[]`, []string{"body"}},
		{"v1 identify, long attribute", "PUT", "https://track.customer.io/api/v1/customers/c1", `{"bio":"` + strings.Repeat("b", 1001) + `"}`, []string{"body.bio"}},
		{"v1 customer id of 151 bytes", "DELETE", "https://track.customer.io/api/v1/customers/" + strings.Repeat("c", 151), ``, []string{"url"}},
		{"v1 event without name", "POST", "https://track.customer.io/api/v1/customers/c1/events", `{"data":{}}`, []string{"name"}},
		{"v1 event of bad type", "POST", "https://track.customer.io/api/v1/customers/c1/events", `{"name":"x","type":"purchase"}`, []string{"type"}},
		{"v1 event, string timestamp", "POST", "https://track.customer.io/api/v1/customers/c1/events", `{"name":"x","timestamp":"2025-08-04T05:30:45Z"}`, []string{"timestamp"}},
		{"v1 event data over 100000 bytes", "POST", "https://track.customer.io/api/v1/customers/c1/events", `{"name":"x","data":{"blob":"` + strings.Repeat("d", 100_001) + `"}}`, []string{"data"}},
		{"v1 event data encoded over 100000 bytes", "POST", "https://track.customer.io/api/v1/customers/c1/events", `{"name":"x","data":{"html":"` + strings.Repeat("<", 20_000) + `"}}`, []string{"data"}},
		{"v1 anonymous event, empty anonymous_id", "POST", "https://track.customer.io/api/v1/events", `{"name":"x","anonymous_id":""}`, []string{"anonymous_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := &hookbridge.OutboundRequest{Method: tt.method, URL: tt.url, Body: []byte(tt.body)}
			problems := New().Validate(req, sc.Now)
			var got []string
			for _, p := range problems {
				got = append(got, p.Field)
				if p.Message == "" {
					t.Errorf("problem on %s has no message", p.Field)
				}
			}
			if strings.Join(got, " | ") != strings.Join(tt.want, " | ") {
				t.Errorf("problems on %v, want %v\n%s", got, tt.want, describeProblems(problems))
			}
		})
	}
}

func describeProblems(ps []hookbridge.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "  %s: %s (fix: %s)\n", p.Field, p.Message, p.Fix)
	}
	return b.String()
}

func TestValidateInvalidActionSuggestsAnEvent(t *testing.T) {
	for _, action := range []string{"payment_completed", "subscription_started", "Payment Completed"} {
		req := &hookbridge.OutboundRequest{Method: "POST", URL: DefaultURL, Body: []byte(op(map[string]string{"action": fmt.Sprintf("%q", action)}))}
		problems := New().Validate(req, sc.Now)
		if len(problems) != 1 {
			t.Fatalf("%s: %d problems:\n%s", action, len(problems), describeProblems(problems))
		}
		p := problems[0]
		if !strings.Contains(p.Message, "rejects") || !strings.Contains(p.Message, "400") || !strings.Contains(p.Message, fmt.Sprintf("%q", action)) {
			t.Errorf("message does not say Customer.io rejects %q with 400: %s", action, p.Message)
		}
		if want := fmt.Sprintf(`use action: "event" with name: %q`, action); p.Fix != want {
			t.Errorf("fix = %s, want %s", p.Fix, want)
		}
	}
}

func TestValidateTimestampFixIsConcrete(t *testing.T) {
	req := &hookbridge.OutboundRequest{Method: "POST", URL: DefaultURL, Body: []byte(op(map[string]string{"timestamp": `"2025-08-04T05:30:45Z"`}))}
	ps := New().Validate(req, sc.Now)
	if len(ps) != 1 || !strings.Contains(ps[0].Message, "not a string") || !strings.Contains(ps[0].Fix, "Math.floor(Date.parse(") {
		t.Errorf("got:\n%s", describeProblems(ps))
	}
}

func TestValidateMissingIdentifierMessage(t *testing.T) {
	req := &hookbridge.OutboundRequest{Method: "POST", URL: DefaultURL, Body: []byte(op(map[string]string{"identifiers": ""}))}
	ps := New().Validate(req, sc.Now)
	if len(ps) != 1 || !strings.Contains(ps[0].Message, "400") || !strings.Contains(ps[0].Fix, "identifiers: { id:") {
		t.Errorf("got:\n%s", describeProblems(ps))
	}
}

func TestValidateForeignHostSaysCredentialsAreNotSent(t *testing.T) {
	ps := New().Validate(&hookbridge.OutboundRequest{Method: "POST", URL: "https://evil.example/", Body: []byte(op(nil))}, sc.Now)
	if len(ps) != 1 || !strings.Contains(ps[0].Message, "evil.example") || !strings.Contains(ps[0].Message, "not sent") {
		t.Errorf("got:\n%s", describeProblems(ps))
	}
}

// TestValidateSeesTheBodyAsItIsNow guards against reusing what Prepare
// read: a body replaced after Prepare, by an edited copy or by another
// body, is checked as it is when Validate runs. (A Body is replaced, never
// changed in place: see hookbridge.OutboundRequest.)
func TestValidateSeesTheBodyAsItIsNow(t *testing.T) {
	in := New()
	req := newRequest("POST", "https://track.customer.io/api/v2/entity", op(nil))
	if err := in.Prepare(req, creds, sc); err != nil {
		t.Fatal(err)
	}
	if ps := in.Validate(req, sc.Now); len(ps) != 0 {
		t.Fatalf("prepared event has problems: %+v", ps)
	}
	edited := bytes.Clone(req.Body)
	edited[bytes.Index(edited, []byte(`"event"`))+1] = 'E' // action "Event" is not a person action
	req.Body = edited
	if ps := in.Validate(req, sc.Now); len(ps) != 1 || ps[0].Field != "action" {
		t.Errorf("body replaced by an edited copy, problems: %+v", ps)
	}
	req.Body = []byte(op(map[string]string{"type": ""}))
	if ps := in.Validate(req, sc.Now); len(ps) != 1 || ps[0].Field != "type" {
		t.Errorf("body replaced, problems: %+v", ps)
	}
}

// FuzzEncodedSizeOver holds the bound encodedSizeOver skips encoding by
// to encoding/json: an object read from n bytes encodes in at most 6n.
func FuzzEncodedSizeOver(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":"<>&"}`, "{\"a\":\"\u2028\"}", `{"a":"\u2028","b":[1,2.5e3,true,null]}`, "{\"a\":\"\xff\"}", `{"a":1,"a":"<"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		value, err := jsonbody.DecodeValue([]byte(text), jsonbody.Lenient)
		obj, ok := value.(map[string]any)
		if err != nil || !ok {
			return
		}
		if size := encodedSize(obj); size > 6*len(text) {
			t.Fatalf("%q encodes in %d bytes, more than six times its %d", text, size, len(text))
		}
	})
}
