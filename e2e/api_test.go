package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

type apiErr struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Fields  []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
			Line    int    `json:"line"`
		} `json:"fields"`
	} `json:"error"`
}

func TestManagementCallsNeedAToken(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	for _, auth := range []string{"", "Bearer", "Bearer wrong-token", "Basic abc"} {
		req, _ := http.NewRequest("GET", h.url+"/api/v1/apps", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body apiErr
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || body.Error.Code != "unauthorized" || body.Error.Message == "" {
			t.Errorf("Authorization %q: %d %+v, want 401 with a JSON error", auth, resp.StatusCode, body)
		}
	}
	var apps struct {
		Data []struct{ ID string } `json:"data"`
	}
	h.mustCall("GET", "/api/v1/apps", nil, http.StatusOK, &apps)
	if len(apps.Data) != 1 || apps.Data[0].ID != "default" {
		t.Fatalf("apps %+v, want the default app made at first start", apps.Data)
	}
}

func TestEndpointValidationNamesTheField(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	cases := []struct {
		name  string
		body  map[string]any
		field string
		line  int
	}{
		{"unknown integration", map[string]any{"integration": "mailchimp"}, "integration", 0},
		{"missing credential", map[string]any{"integration": "segment", "template": "payment-events"}, "credentials.write_key", 0},
		{"bad region", map[string]any{"integration": "segment", "template": "payment-events", "credentials": map[string]string{"write_key": "k", "region": "mars"}}, "credentials.region", 0},
		{"code that does not compile", map[string]any{"integration": "segment", "credentials": map[string]string{"write_key": "k"},
			"transformation": map[string]any{"code": "function handler(webhook) {\n  return webhook\n  }}\n"}}, "transformation.code", 3},
		{"no handler", map[string]any{"integration": "segment", "credentials": map[string]string{"write_key": "k"},
			"transformation": map[string]any{"code": "function transform(p) { return p }"}}, "transformation.code", 0},
		{"bad url", map[string]any{"integration": "webhook", "url": "ftp://example.com/x"}, "url", 0},
		{"missing url", map[string]any{"integration": "webhook"}, "url", 0},
		{"unknown event type", map[string]any{"integration": "webhook", "url": "https://example.com/", "event_types": []string{"payment.exploded"}}, "event_types", 0},
		{"unknown field", map[string]any{"integration": "webhook", "url": "https://example.com/", "colour": "red"}, "colour", 0},
		{"integration needs code", map[string]any{"integration": "customerio", "credentials": map[string]string{"site_id": "s", "api_key": "k"}}, "transformation.code", 0},
		{"bad header", map[string]any{"integration": "webhook", "url": "https://example.com/", "headers": map[string]string{"X-Bad": "a\r\nb"}}, "headers.X-Bad", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var e apiErr
			status := h.call("POST", "/api/v1/apps/default/endpoints", tc.body, &e)
			if status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d (%+v), want 422", status, e)
			}
			found := false
			for _, f := range e.Error.Fields {
				if f.Field == tc.field && f.Message != "" {
					found = true
					if tc.line > 0 && f.Line != tc.line {
						t.Errorf("error on line %d, want %d (%s)", f.Line, tc.line, f.Message)
					}
				}
			}
			if !found {
				t.Fatalf("fields %+v do not name %s", e.Error.Fields, tc.field)
			}
		})
	}
}

func TestBadRequestBodiesGetClearErrors(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	cases := []struct {
		name, body string
		status     int
	}{
		{"not json", "{nope", 400},
		{"empty", "", 400},
		{"array", "[1,2]", 400},
		{"two values", `{"event_type":"payment.succeeded","payload":{}} {}`, 400},
		{"payload not an object", `{"event_type":"payment.succeeded","payload":[1]}`, 422},
		{"unknown event type", `{"event_type":"payment.exploded","payload":{}}`, 422},
		{"too large", `{"event_type":"payment.succeeded","payload":{"x":"` + strings.Repeat("a", 2<<20) + `"}}`, 413},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest("POST", h.url+"/api/v1/apps/default/messages", bytes.NewBufferString(tc.body))
		req.Header.Set("Authorization", "Bearer "+adminToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var e apiErr
		if resp.StatusCode != tc.status || json.Unmarshal(raw, &e) != nil || e.Error.Message == "" {
			t.Errorf("%s: %d %s, want %d with a JSON error", tc.name, resp.StatusCode, raw, tc.status)
		}
	}
	// Nothing was stored, and the server is still up.
	var list struct {
		Data []any `json:"data"`
	}
	h.mustCall("GET", "/api/v1/apps/default/messages", nil, http.StatusOK, &list)
	if len(list.Data) != 0 {
		t.Fatalf("%d messages stored from bad requests", len(list.Data))
	}
}

func TestTransformationTestCall(t *testing.T) {
	seg, cio := newFakes(t)
	h := start(t, seg, cio)
	type result struct {
		Status     string `json:"status"`
		SkipReason string `json:"skip_reason"`
		Problems   []struct {
			Field, Message, Fix string
			Warning             bool
		} `json:"problems"`
		Error *struct {
			Kind    string `json:"kind"`
			Message string `json:"message"`
			Line    int    `json:"line"`
		} `json:"error"`
		Console    []string `json:"console"`
		DurationMS float64  `json:"duration_ms"`
		Request    *struct {
			Method  string            `json:"method"`
			URL     string            `json:"url"`
			Headers map[string]string `json:"headers"`
		} `json:"request"`
		Response *struct {
			Status int `json:"status"`
		} `json:"response"`
	}
	test := func(body map[string]any) result {
		t.Helper()
		var r result
		h.mustCall("POST", "/api/v1/apps/default/transformations/test", body, http.StatusOK, &r)
		return r
	}

	t.Run("documentation handler shows the invalid action and its fix", func(t *testing.T) {
		r := test(map[string]any{"integration": "customerio", "template": "docs-payment-tracking", "event_type": "payment.succeeded", "credentials": cio.Credentials()})
		if r.Status != "invalid" || len(r.Problems) == 0 || r.Problems[0].Field != "action" || !strings.Contains(r.Problems[0].Fix, `action: "event"`) {
			t.Fatalf("result %+v, want invalid with the action problem and fix", r)
		}
		if r.Request == nil || r.Request.URL != "https://track.customer.io/api/v2/entity" || r.Request.Headers["Authorization"] != "Basic ********" {
			t.Fatalf("request %+v, want the Customer.io URL with masked auth", r.Request)
		}
	})
	t.Run("console and run time", func(t *testing.T) {
		r := test(map[string]any{"integration": "webhook", "url": "https://example.com/hook", "event_type": "payment.succeeded",
			"code": "function handler(webhook) { console.log('type', webhook.eventType); webhook.payload = {ok: true}; return webhook }"})
		if r.Status != "ready" || len(r.Console) != 1 || r.Console[0] != "type payment.succeeded" || r.DurationMS <= 0 {
			t.Fatalf("result %+v", r)
		}
	})
	// Customer.io's Track API: events timestamped more than 72 hours before
	// they arrive trigger no campaign; the test panel measures the event's
	// age at the time of the test and explains it, with the option that
	// sends the send time instead. The documentation's identify is "ready"
	// (Customer.io takes it) with its mis-filing listed as warnings.
	t.Run("warnings explain what Customer.io would file or do differently", func(t *testing.T) {
		r := test(map[string]any{"integration": "customerio", "template": "payment-completed", "event_type": "payment.succeeded", "credentials": cio.Credentials()})
		if r.Status != "ready" || len(r.Problems) != 1 || !r.Problems[0].Warning || r.Problems[0].Field != "timestamp" ||
			!strings.Contains(r.Problems[0].Message, "72 hours") || !strings.Contains(r.Problems[0].Fix, "USE_SEND_TIME") {
			t.Fatalf("result %+v, want ready with the 72-hour warning on the dated sample", r)
		}
		r = test(map[string]any{"integration": "customerio", "template": "docs-customer-attributes", "event_type": "payment.succeeded", "credentials": cio.Credentials()})
		fields := map[string]bool{}
		for _, p := range r.Problems {
			fields[p.Field] = p.Warning && p.Fix != ""
		}
		if r.Status != "ready" || !fields["attributes.customer_since"] || !fields["attributes.total_spent"] || !fields["timestamp"] {
			t.Fatalf("result %+v, want ready with warnings on customer_since, total_spent and the missing timestamp", r)
		}
	})
	t.Run("skipped with the reason", func(t *testing.T) {
		r := test(map[string]any{"integration": "segment", "template": "docs-payment-events", "event_type": "refund.succeeded"})
		if r.Status != "skipped" || r.SkipReason == "" {
			t.Fatalf("result %+v, want skipped", r)
		}
	})
	t.Run("runtime error names the line", func(t *testing.T) {
		r := test(map[string]any{"integration": "segment", "event_type": "payment.succeeded",
			"code": "function handler(webhook) {\n  const x = webhook.payload.data.nothing.deeper;\n  return webhook;\n}"})
		if r.Status != "error" || r.Error == nil || r.Error.Line != 2 {
			t.Fatalf("result %+v, want an error on line 2", r)
		}
	})
	t.Run("an error whose message getter loops times out", func(t *testing.T) {
		// Issue 15: this request ended the process.
		r := test(map[string]any{"integration": "webhook", "url": "https://example.com/hook", "event_type": "payment.succeeded",
			"code": `function handler(w){ var e=new Error("x"); Object.defineProperty(e,"message",{get(){for(;;){}}}); throw e }`})
		if r.Status != "error" || r.Error == nil || r.Error.Kind != "timeout" {
			t.Fatalf("result %+v, want a timeout error", r)
		}
		h.mustAs("", "GET", "/healthz", nil, http.StatusOK)
	})
	t.Run("send for real", func(t *testing.T) {
		r := test(map[string]any{"integration": "segment", "template": "payment-events", "event_type": "payment.succeeded",
			"credentials": seg.Credentials(), "send": true})
		if r.Response == nil || r.Response.Status != 200 || len(seg.Accepted()) != 1 {
			t.Fatalf("result %+v, accepted %d; want a real 200 from Segment", r.Response, len(seg.Accepted()))
		}
	})
	t.Run("own payload", func(t *testing.T) {
		payload, _ := sample(t, "payment.succeeded")
		custom := strings.Replace(string(payload), `"currency":"USD"`, `"currency":null`, 1)
		var r struct {
			Request struct {
				BodyJSON struct {
					Properties map[string]any `json:"properties"`
				} `json:"body_json"`
			} `json:"request"`
		}
		h.mustCall("POST", "/api/v1/apps/default/transformations/test", map[string]any{"integration": "segment", "template": "docs-payment-events",
			"event_type": "payment.succeeded", "payload": json.RawMessage(custom)}, http.StatusOK, &r)
		if r.Request.BodyJSON.Properties["currency"] != "USD" {
			t.Fatalf("properties %+v, want the handler's USD fallback for a null currency", r.Request.BodyJSON.Properties)
		}
	})
}
