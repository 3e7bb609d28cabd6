package customerio

import (
	"encoding/base64"
	"encoding/json"
	"maps"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/golden"
)

var (
	creds   = hookbridge.Credentials{FieldSiteID: "site123", FieldAPIKey: "key456", FieldRegion: RegionUS}
	credsEU = hookbridge.Credentials{FieldSiteID: "site123", FieldAPIKey: "key456", FieldRegion: RegionEU}
	// key is what hookbridge.IdempotencyKey makes: a ULID.
	key = hookbridge.IdempotencyKey("msg_1", "ep_1", time.Date(2025, 8, 4, 5, 30, 45, 0, time.UTC))
	sc  = hookbridge.SendContext{IdempotencyKey: key, MessageID: "msg_1", Now: time.Date(2025, 8, 4, 5, 31, 0, 0, time.UTC)}
)

const wantAuth = "Basic c2l0ZTEyMzprZXk0NTY=" // base64("site123:key456")

func newRequest(method, url, body string) *hookbridge.OutboundRequest {
	return &hookbridge.OutboundRequest{Method: method, URL: url, Headers: map[string]string{}, Body: []byte(body)}
}

func prepare(t *testing.T, req *hookbridge.OutboundRequest, c hookbridge.Credentials) *hookbridge.OutboundRequest {
	t.Helper()
	if err := New().Prepare(req, c, sc); err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	return req
}

func decode(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body %s: %v", body, err)
	}
	return m
}

func TestPrepareAuthenticatesOnlyCustomerIOHosts(t *testing.T) {
	if got := "Basic " + base64.StdEncoding.EncodeToString([]byte("site123:key456")); got != wantAuth {
		t.Fatalf("test constant wrong: %s", got)
	}
	tests := []struct {
		name     string
		url      string
		wantAuth bool
	}{
		{"US host", "https://track.customer.io/api/v2/entity", true},
		{"EU host", "https://track-eu.customer.io/api/v2/entity", true},
		{"host in other case", "https://TRACK.customer.io/api/v2/entity", true},
		{"redirected by the handler", "https://evil.example/api/v2/entity", false},
		{"look-alike host", "https://track.customer.io.evil.example/api/v2/entity", false},
		{"Customer.io host in the path", "https://evil.example/track.customer.io/api/v2/entity", false},
		{"App API host", "https://api.customer.io/v1/send/email", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newRequest("POST", tt.url, `{"type":"person","identifiers":{"id":"c1"},"action":"event","name":"x"}`)
			req.Headers["X-Custom"] = "kept"
			before := *req
			before.Headers = maps.Clone(req.Headers)
			prepare(t, req, creds)
			if got := req.Header("Authorization"); (got == wantAuth) != tt.wantAuth || (!tt.wantAuth && got != "") {
				t.Errorf("Authorization = %q, want it set: %v", got, tt.wantAuth)
			}
			if !tt.wantAuth {
				if req.URL != before.URL || string(req.Body) != string(before.Body) || !maps.Equal(req.Headers, before.Headers) {
					t.Errorf("a request to another host was changed: %+v", req)
				}
			}
		})
	}
}

func TestPrepareMovesToTheRegionHost(t *testing.T) {
	tests := []struct {
		name  string
		url   string
		creds hookbridge.Credentials
		want  string
	}{
		{"eu moves US to EU", "https://track.customer.io/api/v2/entity", credsEU, "https://track-eu.customer.io/api/v2/entity"},
		{"us moves EU to US", "https://track-eu.customer.io/api/v1/customers/c1/events", creds, "https://track.customer.io/api/v1/customers/c1/events"},
		{"no region means us", "https://track-eu.customer.io/api/v2/batch", hookbridge.Credentials{FieldSiteID: "s", FieldAPIKey: "k"}, "https://track.customer.io/api/v2/batch"},
		{"query kept", "https://track.customer.io/api/v2/entity?debug=1", credsEU, "https://track-eu.customer.io/api/v2/entity?debug=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := prepare(t, newRequest("POST", tt.url, `{}`), tt.creds)
			if req.URL != tt.want {
				t.Errorf("URL = %s, want %s", req.URL, tt.want)
			}
		})
	}
}

func TestPrepareRejectsUnknownRegion(t *testing.T) {
	req := newRequest("POST", DefaultURL, `{}`)
	if err := New().Prepare(req, hookbridge.Credentials{FieldRegion: "ap"}, sc); err == nil {
		t.Error("no error for region ap")
	}
}

func TestPrepareSetsEventIDs(t *testing.T) {
	tests := []struct {
		name   string
		method string
		url    string
		body   string
		wantID any // nil: no id expected
	}{
		{"v2 event without id", "POST", DefaultURL, `{"type":"person","identifiers":{"id":"c1"},"action":"event","name":"payment_completed"}`, key},
		{"v2 page without id", "POST", DefaultURL, `{"type":"person","identifiers":{"id":"c1"},"action":"page","name":"https://x.example/"}`, key},
		{"v2 event with null id", "POST", DefaultURL, `{"type":"person","identifiers":{"id":"c1"},"action":"event","name":"x","id":null}`, key},
		{"v2 event with the handler's id", "POST", DefaultURL, `{"type":"person","identifiers":{"id":"c1"},"action":"event","name":"x","id":"01J9ZZZZZZZZZZZZZZZZZZZZZZ"}`, "01J9ZZZZZZZZZZZZZZZZZZZZZZ"},
		{"v2 identify gets no id", "POST", DefaultURL, `{"type":"person","identifiers":{"id":"c1"},"action":"identify","attributes":{}}`, nil},
		{"v2 invalid action gets no id", "POST", DefaultURL, `{"type":"person","identifiers":{"id":"c1"},"action":"payment_completed"}`, nil},
		{"v1 customer event", "POST", "https://track.customer.io/api/v1/customers/c1/events", `{"name":"payment_completed","data":{}}`, key},
		{"v1 identify gets no id", "PUT", "https://track.customer.io/api/v1/customers/c1", `{"email":"a@example.com"}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := prepare(t, newRequest(tt.method, tt.url, tt.body), creds)
			got, present := decode(t, req.Body)["id"]
			if tt.wantID == nil && present || tt.wantID != nil && got != tt.wantID {
				t.Errorf("id = %v (present %v), want %v", got, present, tt.wantID)
			}
		})
	}
}

func TestPrepareSetsDistinctIDsInABatch(t *testing.T) {
	body := `{"batch":[
	  {"type":"person","identifiers":{"id":"c1"},"action":"event","name":"a"},
	  {"type":"person","identifiers":{"id":"c1"},"action":"identify","attributes":{"x":1}},
	  {"type":"person","identifiers":{"id":"c2"},"action":"event","name":"b","id":"01J9ZZZZZZZZZZZZZZZZZZZZZZ"},
	  {"type":"person","identifiers":{"id":"c3"},"action":"screen","name":"home"}
	]}`
	req := prepare(t, newRequest("POST", "https://track.customer.io/api/v2/batch", body), creds)
	ops := decode(t, req.Body)["batch"].([]any)
	id := func(i int) any { return ops[i].(map[string]any)["id"] }
	if id(1) != nil {
		t.Errorf("identify got id %v", id(1))
	}
	if id(2) != "01J9ZZZZZZZZZZZZZZZZZZZZZZ" {
		t.Errorf("the handler's id was replaced by %v", id(2))
	}
	first, third := id(0).(string), id(3).(string)
	for _, s := range []string{first, third} {
		parsed, err := ulid.ParseStrict(s)
		if err != nil {
			t.Fatalf("batch id %q is not a ULID: %v", s, err)
		}
		if parsed.Time() != ulid.MustParse(key).Time() {
			t.Errorf("batch id %s does not keep the key's time", s)
		}
	}
	if first == third || first == key {
		t.Errorf("batch ids not distinct: %s, %s (key %s)", first, third, key)
	}
	again := prepare(t, newRequest("POST", "https://track.customer.io/api/v2/batch", body), creds)
	if string(again.Body) != string(req.Body) {
		t.Error("preparing the same batch twice gives different ids: retries would be counted twice")
	}
}

func TestPrepareLeavesInvalidJSONAlone(t *testing.T) {
	req := prepare(t, newRequest("POST", DefaultURL, `{"action":"event",`), creds)
	if string(req.Body) != `{"action":"event",` {
		t.Errorf("body changed: %s", req.Body)
	}
}

func TestPrepareGolden(t *testing.T) {
	tests := []struct {
		name  string
		req   *hookbridge.OutboundRequest
		creds hookbridge.Credentials
	}{
		{"entity-event-eu", newRequest("", DefaultURL, `{"type":"person","identifiers":{"id":"cus_8VbC6JDZzPEqfBPUdpj0K"},"action":"event","name":"payment_completed","timestamp":1754285445,"attributes":{"payment_amount":"29.99","currency":"USD"}}`), credsEU},
		{"batch-us", newRequest("POST", "https://track-eu.customer.io/api/v2/batch", `{"batch":[{"type":"person","identifiers":{"id":"c1"},"action":"identify","attributes":{"plan":"pro"}},{"type":"person","identifiers":{"id":"c1"},"action":"event","name":"subscription_started"}]}`), creds},
		{"foreign-host", newRequest("POST", "https://evil.example/collect", `{"type":"person","action":"event","name":"x"}`), creds},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			golden.Check(t, "prepare/"+tt.name+".golden", golden.Request(prepare(t, tt.req, tt.creds)))
		})
	}
}
