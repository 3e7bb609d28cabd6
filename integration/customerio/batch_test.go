package customerio

import (
	"net/http"
	"slices"
	"testing"

	"github.com/hookbridge/hookbridge"
)

func TestBatchItem(t *testing.T) {
	in := New().(hookbridge.Batcher)
	tests := []struct {
		name string
		req  *hookbridge.OutboundRequest
		ok   bool
	}{
		{"entity", &hookbridge.OutboundRequest{Method: "POST", URL: "https://track.customer.io/api/v2/entity",
			Body: []byte(`{"type":"person","identifiers":{"id":"c"},"action":"event","name":"paid"}`)}, true},
		{"eu entity", &hookbridge.OutboundRequest{Method: "POST", URL: "https://track-eu.customer.io/api/v2/entity/",
			Body: []byte(`{"type":"person"}`)}, true},
		{"a batch already", &hookbridge.OutboundRequest{Method: "POST", URL: "https://track.customer.io/api/v2/batch", Body: []byte(`{"batch":[]}`)}, false},
		{"v1 identify", &hookbridge.OutboundRequest{Method: "PUT", URL: "https://track.customer.io/api/v1/customers/c", Body: []byte(`{}`)}, false},
		{"another host", &hookbridge.OutboundRequest{Method: "POST", URL: "https://example.com/api/v2/entity", Body: []byte(`{}`)}, false},
		{"not an object", &hookbridge.OutboundRequest{Method: "POST", URL: "https://track.customer.io/api/v2/entity", Body: []byte(`"x"`)}, false},
	}
	for _, tt := range tests {
		item, ok := in.BatchItem(tt.req)
		if ok != tt.ok || (ok && string(item) != string(tt.req.Body)) {
			t.Errorf("%s: BatchItem = %s, %v; want ok %v and the operation itself", tt.name, item, ok, tt.ok)
		}
	}
}

func TestBatchRequestAndItsAnswer(t *testing.T) {
	in := New().(hookbridge.Batcher)
	like := &hookbridge.OutboundRequest{Method: "POST", URL: "https://track-eu.customer.io/api/v2/entity",
		Headers: map[string]string{"Authorization": "Basic abc"}}
	req, err := in.BatchRequest(like, [][]byte{[]byte(`{"a":1}`), []byte(`{"b":2}`)})
	if err != nil || req.URL != "https://track-eu.customer.io/api/v2/batch" || string(req.Body) != `{"batch":[{"a":1},{"b":2}]}` ||
		req.Headers["Authorization"] != "Basic abc" {
		t.Fatalf("batch request %+v (%s), %v", req, req.Body, err)
	}
	tests := []struct {
		name   string
		status int
		body   string
		want   []string
	}{
		{"accepted", 200, `{}`, nil},
		{"refused as a whole", 400, `{"errors":[{"reason":"invalid","message":"bad"}]}`, nil},
		{"some refused", http.StatusMultiStatus,
			`{"errors":[{"batch_index":2,"reason":"required","field":"name","message":"name is required"},{"batch_index":0,"reason":"invalid","message":"x"},{"batch_index":2,"message":"and more"},{"batch_index":9,"message":"out of range"}]}`,
			[]string{"x (invalid)", "", "name: name is required (required); and more"}},
		{"unreadable 207", http.StatusMultiStatus, `oops`, []string{
			"Customer.io answered 207 without saying which operations it refused",
			"Customer.io answered 207 without saying which operations it refused",
			"Customer.io answered 207 without saying which operations it refused"}},
	}
	for _, tt := range tests {
		if got := in.SplitBatchResponse(tt.status, []byte(tt.body), 3); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
