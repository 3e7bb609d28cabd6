package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
	"github.com/hookbridge/hookbridge/signing"
)

const testSourceSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// addSource stores a source of acme and returns its id.
func (f *cacheFixture) addSource(t *testing.T) string {
	t.Helper()
	src := &hookbridge.Source{ID: hookbridge.NewID("src"), AppID: "acme", Name: "platform",
		Secrets: []hookbridge.SourceSecret{{Secret: testSourceSecret, CreatedAt: f.now}}, CreatedAt: f.now}
	if err := f.store.CreateSource(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	return src.ID
}

// ingest posts body, signed, to the source.
func ingest(t *testing.T, s *Server, source, webhookID, body string) *httptest.ResponseRecorder {
	t.Helper()
	now := s.now()
	sig, err := signing.Sign(testSourceSecret, webhookID, now, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/ingest/"+source, strings.NewReader(body))
	req.Header.Set(signing.HeaderID, webhookID)
	req.Header.Set(signing.HeaderTimestamp, signing.FormatTimestamp(now))
	req.Header.Set(signing.HeaderSignature, sig)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

// nested returns a payment event whose data nests depth levels deep.
func nested(depth int) string {
	return `{"type":"payment.succeeded","data":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `}`
}

func TestIngestAppliesTheAPIsInputLimits(t *testing.T) {
	f := newCacheFixture(t)
	s := f.server(0)
	source := f.addSource(t)
	tests := []struct {
		name string
		body string
		want int
	}{
		{"an event", `{"type":"payment.succeeded","data":{"id":"pay_1"}}`, http.StatusOK},
		{"nested as deep as allowed", nested(jsonbody.MaxDepth - 1), http.StatusOK},
		{"nested too deep", nested(jsonbody.MaxDepth), http.StatusBadRequest},
		{"nested 10,000 deep", nested(10000), http.StatusBadRequest},
		{"invalid UTF-8 in a string", "{\"type\":\"payment.succeeded\",\"data\":{\"name\":\"caf\xe9\"}}", http.StatusBadRequest},
		{"null", `null`, http.StatusBadRequest},
		{"a name repeated, as senders may", `{"type":"payment.succeeded","data":{"id":"pay_2","id":"pay_2"}}`, http.StatusOK},
		{"an escaped lone surrogate", `{"type":"payment.succeeded","data":{"name":"\ud800"}}`, http.StatusBadRequest},
	}
	for i, tt := range tests {
		rec := ingest(t, s, source, "msg_limits_"+string(rune('a'+i)), tt.body)
		if rec.Code != tt.want {
			t.Errorf("%s: %d %s, want %d", tt.name, rec.Code, rec.Body, tt.want)
		}
	}
}

func TestAPIRefusesInvalidUTF8AndNonObjects(t *testing.T) {
	f := newCacheFixture(t)
	s := f.server(0)
	tests := []struct {
		name, path, body string
		want             int
	}{
		{"invalid UTF-8 in an event id", "/api/v1/apps/acme/messages",
			"{\"event_type\":\"payment.succeeded\",\"event_id\":\"evt_\xff\",\"payload\":{}}", http.StatusBadRequest},
		{"another invalid UTF-8 event id", "/api/v1/apps/acme/messages",
			"{\"event_type\":\"payment.succeeded\",\"event_id\":\"evt_\xfe\",\"payload\":{}}", http.StatusBadRequest},
		{"invalid UTF-8 in a payload", "/api/v1/apps/acme/messages",
			"{\"event_type\":\"payment.succeeded\",\"payload\":{\"name\":\"caf\xe9\"}}", http.StatusBadRequest},
		{"invalid UTF-8 in a token name", "/api/v1/apps/acme/tokens", "{\"name\":\"ci \xc3\"}", http.StatusBadRequest},
		{"a token body of null", "/api/v1/apps/acme/tokens", `null`, http.StatusBadRequest},
		{"a token body that is an array", "/api/v1/apps/acme/tokens", `[]`, http.StatusBadRequest},
		{"a token name given twice", "/api/v1/apps/acme/tokens", `{"name":"a","name":"b"}`, http.StatusBadRequest},
		{"a payload member given twice", "/api/v1/apps/acme/messages",
			`{"event_type":"payment.succeeded","payload":{"type":"payment.succeeded","data":{"id":"a","id":"b"}}}`, http.StatusBadRequest},
		{"an escaped lone surrogate in a payload", "/api/v1/apps/acme/messages",
			`{"event_type":"payment.succeeded","payload":{"name":"\udc00"}}`, http.StatusBadRequest},
		{"a message body of null", "/api/v1/apps/acme/messages", ` null `, http.StatusBadRequest},
		{"an endpoint on port 65536", "/api/v1/apps/acme/endpoints", `{"integration":"webhook","url":"https://hooks.example:65536/in"}`, http.StatusUnprocessableEntity},
		{"an endpoint on port 0", "/api/v1/apps/acme/endpoints", `{"integration":"webhook","url":"https://hooks.example:0/in"}`, http.StatusUnprocessableEntity},
		{"an endpoint on a hexadecimal host", "/api/v1/apps/acme/endpoints", `{"integration":"webhook","url":"http://0x7f000001/in"}`, http.StatusUnprocessableEntity},
		{"an endpoint on a decimal host", "/api/v1/apps/acme/endpoints", `{"integration":"webhook","url":"http://2130706433/in"}`, http.StatusUnprocessableEntity},
		{"an endpoint on an octal host", "/api/v1/apps/acme/endpoints", `{"integration":"webhook","url":"http://0177.0.0.1/in"}`, http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		rec := call(t, s, f.appToken, "POST", tt.path, tt.body)
		if rec.Code != tt.want {
			t.Errorf("%s: %d %s, want %d", tt.name, rec.Code, rec.Body, tt.want)
		}
	}
}

func TestPathIDsAndQueryValuesMustBeText(t *testing.T) {
	f := newCacheFixture(t)
	s := f.server(0)
	long := strings.Repeat("x", hookbridge.MaxIDBytes+1)
	for _, path := range []string{
		"/api/v1/apps/acme/endpoints/ep_%00",
		"/api/v1/apps/acme/endpoints/ep_%ff",
		"/api/v1/apps/acme/sources/src_%0a",
		"/api/v1/apps/acme/messages/" + long,
		"/api/v1/apps/acme/deliveries/dlv_%00/attempts",
		"/api/v1/apps/acme/messages?event_type=payment.%00",
		"/api/v1/apps/acme/messages?event_type=%ff",
		"/api/v1/apps/acme/deliveries?endpoint_id=ep_%00",
		"/api/v1/apps/acme/deliveries?%ff=1",
	} {
		rec := call(t, s, f.appToken, "GET", path, "")
		if rec.Code != http.StatusBadRequest {
			t.Errorf("GET %s: %d %s, want 400", path, rec.Code, rec.Body)
		}
	}
	if rec := call(t, s, f.appToken, "DELETE", "/api/v1/apps/acme/tokens/tok_%00", ""); rec.Code != http.StatusBadRequest {
		t.Errorf("DELETE a token by an id with NUL: %d, want 400", rec.Code)
	}
	if rec := ingest(t, s, "src_%00", "msg_nul", `{"type":"payment.succeeded"}`); rec.Code != http.StatusBadRequest {
		t.Errorf("ingest to a source id with NUL: %d %s, want 400", rec.Code, rec.Body)
	}
	mustCall(t, s, f.appToken, "GET", "/api/v1/apps/acme/messages?event_type=payment.succeeded", "", http.StatusOK)
	mustCall(t, s, f.appToken, "GET", "/api/v1/apps/acme/endpoints/ep_unknown", "", http.StatusNotFound)
}

func TestNamesWithNULAreRefused(t *testing.T) {
	f := newCacheFixture(t)
	s := f.server(0)
	for _, tt := range []struct{ path, body string }{
		{"/api/v1/apps/acme/tokens", `{"name":"ci\u0000"}`},
		{"/api/v1/apps/acme/sources", `{"name":"platform\u0000"}`},
		{"/api/v1/apps/acme/endpoints", `{"integration":"webhook","name":"hooks\u0000","url":"https://hooks.example/in"}`},
	} {
		rec := call(t, s, f.appToken, "POST", tt.path, tt.body)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("POST %s %s: %d %s, want 422", tt.path, tt.body, rec.Code, rec.Body)
		}
	}
	rec := call(t, f.server(0), f.admin, "POST", "/api/v1/apps", `{"id":"globex","name":"Globex\u0000"}`)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("POST an app named with NUL: %d %s, want 422", rec.Code, rec.Body)
	}
}
