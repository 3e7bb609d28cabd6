package segment

import (
	"encoding/json"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/golden"
)

var (
	creds   = hookbridge.Credentials{FieldWriteKey: "abc123", FieldRegion: RegionUS}
	credsEU = hookbridge.Credentials{FieldWriteKey: "abc123", FieldRegion: RegionEU}
	key     = hookbridge.IdempotencyKey("msg_1", "ep_1", time.Date(2025, 8, 4, 5, 30, 45, 0, time.UTC))
	sc      = hookbridge.SendContext{IdempotencyKey: key, MessageID: "msg_1", Now: time.Date(2025, 8, 4, 5, 31, 0, 0, time.UTC)}
)

// wantAuth is the example of Segment's documentation: write key abc123
// becomes "Basic YWJjMTIzOg==".
const wantAuth = "Basic YWJjMTIzOg=="

const track = `{"userId":"cus_1","event":"Payment Completed","properties":{"amount":29.99}}`

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

func TestPrepareAuthenticatesOnlySegmentHosts(t *testing.T) {
	tests := []struct {
		name     string
		url      string
		wantAuth bool
	}{
		{"US host", "https://api.segment.io/v1/track", true},
		{"EU host", "https://events.eu1.segmentapis.com/v1/track", true},
		{"redirected by the handler", "https://evil.example/v1/track", false},
		{"look-alike host", "https://api.segment.io.evil.example/v1/track", false},
		{"other Segment host", "https://cdn.segment.com/v1/track", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newRequest("POST", tt.url, track)
			before := *req
			before.Headers = maps.Clone(req.Headers)
			prepare(t, req, creds)
			got := req.Header("Authorization")
			if tt.wantAuth && got != wantAuth || !tt.wantAuth && got != "" {
				t.Errorf("Authorization = %q, want it set: %v", got, tt.wantAuth)
			}
			if !tt.wantAuth && (req.URL != before.URL || string(req.Body) != string(before.Body) || !maps.Equal(req.Headers, before.Headers)) {
				t.Errorf("a request to another host was changed: %+v", req)
			}
		})
	}
}

func TestPrepareMovesToTheRegionHost(t *testing.T) {
	tests := []struct {
		url   string
		creds hookbridge.Credentials
		want  string
	}{
		{"https://api.segment.io/v1/track", credsEU, "https://events.eu1.segmentapis.com/v1/track"},
		{"https://events.eu1.segmentapis.com/v1/identify", creds, "https://api.segment.io/v1/identify"},
		{"https://events.eu1.segmentapis.com/v1/batch", hookbridge.Credentials{FieldWriteKey: "k"}, "https://api.segment.io/v1/batch"},
	}
	for _, tt := range tests {
		req := prepare(t, newRequest("POST", tt.url, track), tt.creds)
		if req.URL != tt.want {
			t.Errorf("%s with region %q: URL = %s, want %s", tt.url, tt.creds[FieldRegion], req.URL, tt.want)
		}
	}
	if err := New().Prepare(newRequest("POST", DefaultURL, track), hookbridge.Credentials{FieldRegion: "apac"}, sc); err == nil {
		t.Error("no error for region apac")
	}
}

func TestPrepareSetsMessageID(t *testing.T) {
	tests := []struct {
		name string
		body string
		want any
	}{
		{"missing", track, key},
		{"null", `{"userId":"u","event":"e","messageId":null}`, key},
		{"set by the handler", `{"userId":"u","event":"e","messageId":"mine-1"}`, "mine-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := prepare(t, newRequest("POST", DefaultURL, tt.body), creds)
			if got := decode(t, req.Body)["messageId"]; got != tt.want {
				t.Errorf("messageId = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPrepareSetsBatchMessageIDs(t *testing.T) {
	body := `{"batch":[{"type":"track","userId":"u","event":"a"},{"type":"identify","userId":"u","messageId":"mine"},{"type":"track","userId":"u","event":"b"}],"context":{"library":{"name":"x"}}}`
	req := prepare(t, newRequest("POST", "https://api.segment.io/v1/batch", body), creds)
	got := decode(t, req.Body)
	if _, ok := got["messageId"]; ok {
		t.Error("messageId set on the batch itself")
	}
	items := got["batch"].([]any)
	for i, want := range []string{key + "-0", "mine", key + "-2"} {
		if id := items[i].(map[string]any)["messageId"]; id != want {
			t.Errorf("batch[%d].messageId = %v, want %s", i, id, want)
		}
	}
}

func TestPrepareSetsContentType(t *testing.T) {
	req := newRequest("", DefaultURL, track)
	req.Headers["content-type"] = "text/plain"
	prepare(t, req, creds)
	if req.Method != "POST" || req.Header("Content-Type") != "application/json" || len(req.Headers) != 2 {
		t.Errorf("method %s, headers %v", req.Method, req.Headers)
	}
}

func TestPrepareGolden(t *testing.T) {
	tests := []struct {
		name  string
		req   *hookbridge.OutboundRequest
		creds hookbridge.Credentials
	}{
		{"track-eu", newRequest("POST", DefaultURL, `{"userId":"cus_8VbC6JDZzPEqfBPUdpj0K","event":"Payment Completed","properties":{"amount":29.99,"currency":"USD"},"timestamp":"2025-08-04T05:30:45.182629Z"}`), credsEU},
		{"batch-us", newRequest("POST", "https://api.segment.io/v1/batch", `{"batch":[{"type":"identify","userId":"c1","traits":{"plan":"pro"}},{"type":"track","userId":"c1","event":"Subscription Started"}]}`), creds},
		{"foreign-host", newRequest("POST", "https://evil.example/v1/track", track), creds},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			golden.Check(t, fmt.Sprintf("prepare/%s.golden", tt.name), golden.Request(prepare(t, tt.req, tt.creds)))
		})
	}
}
