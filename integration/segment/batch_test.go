package segment

import (
	"encoding/json"
	"testing"

	"github.com/hookbridge/hookbridge"
)

func TestBatchItem(t *testing.T) {
	in := New()
	batcher := in.(hookbridge.Batcher)
	prepared := func(url, body string) *hookbridge.OutboundRequest {
		req := &hookbridge.OutboundRequest{Method: "POST", URL: url, Headers: map[string]string{}, Body: []byte(body)}
		if err := in.Prepare(req, creds, sc); err != nil {
			t.Fatal(err)
		}
		return req
	}
	tests := []struct {
		name     string
		req      *hookbridge.OutboundRequest
		wantType string // "" when the request cannot go in a batch
	}{
		{"track", prepared("https://api.segment.io/v1/track", `{"userId":"u","event":"Paid"}`), "track"},
		{"identify", prepared("https://api.segment.io/v1/identify", `{"userId":"u","traits":{}}`), "identify"},
		{"eu host", prepared("https://events.eu1.segmentapis.com/v1/page", `{"userId":"u"}`), "page"},
		{"type already right", prepared("https://api.segment.io/v1/track", `{"type":"track","userId":"u","event":"x"}`), "track"},
		{"type null", prepared("https://api.segment.io/v1/track", `{"type":null,"userId":"u","event":"x"}`), "track"},
		{"type empty", prepared("https://api.segment.io/v1/track", `{"userId":"u","type":"","event":"x"}`), "track"},
		{"type contradicting the call", prepared("https://api.segment.io/v1/track", `{"type":"identify","userId":"u"}`), ""},
		{"a batch already", prepared("https://api.segment.io/v1/batch", `{"batch":[]}`), ""},
		{"another host", &hookbridge.OutboundRequest{Method: "POST", URL: "https://example.com/v1/track", Body: []byte(`{}`)}, ""},
		{"not POST", &hookbridge.OutboundRequest{Method: "PUT", URL: "https://api.segment.io/v1/track", Body: []byte(`{}`)}, ""},
		{"not an object", prepared("https://api.segment.io/v1/track", `[1]`), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := string(tt.req.Body)
			item, ok := batcher.BatchItem(tt.req)
			if string(tt.req.Body) != before {
				t.Errorf("BatchItem changed the request's body to %s", tt.req.Body)
			}
			if ok != (tt.wantType != "") {
				t.Fatalf("BatchItem ok = %v, want %v", ok, tt.wantType != "")
			}
			if !ok {
				return
			}
			var ev map[string]any
			if err := json.Unmarshal(item, &ev); err != nil || ev["type"] != tt.wantType || ev["messageId"] != key {
				t.Errorf("item %s, want type %s and the request's messageId", item, tt.wantType)
			}
		})
	}
}

func TestBatchRequest(t *testing.T) {
	in := New()
	batcher := in.(hookbridge.Batcher)
	like := &hookbridge.OutboundRequest{Method: "POST", URL: "https://events.eu1.segmentapis.com/v1/track?x=1",
		Headers: map[string]string{"Authorization": "Basic abc", "Content-Type": "application/json"}}
	req, err := batcher.BatchRequest(like, [][]byte{[]byte(`{"type":"track","userId":"u","event":"x"}`), []byte(`{"type":"identify","userId":"u"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if req.Method != "POST" || req.URL != "https://events.eu1.segmentapis.com/v1/batch" ||
		req.Headers["Authorization"] != "Basic abc" || string(req.Body) != `{"batch":[{"type":"track","userId":"u","event":"x"},{"type":"identify","userId":"u"}]}` {
		t.Errorf("batch request %+v body %s", req, req.Body)
	}
	if problems := hookbridge.Blocking(in.Validate(req, sc.Now)); len(problems) != 0 {
		t.Errorf("the batch does not validate: %v", problems)
	}
	like.Headers["X"] = "changed"
	if req.Headers["X"] != "" {
		t.Errorf("the batch shares its headers with the request it was made like")
	}
	if batcher.SplitBatchResponse(200, []byte(`{"success":true}`), 2) != nil {
		t.Errorf("Segment's answers are not itemised")
	}
	if _, err := batcher.BatchRequest(like, nil); err == nil {
		t.Errorf("an empty batch was built")
	}
}
