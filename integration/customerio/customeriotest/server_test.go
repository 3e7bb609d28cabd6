package customeriotest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/customerio"
	"github.com/hookbridge/hookbridge/integration/customerio/customeriotest"
)

const event = `{"type":"person","identifiers":{"id":"cus_1"},"action":"event","name":"payment_completed","timestamp":1754285445,"attributes":{"amount":"29.99"}}`

var key = hookbridge.IdempotencyKey("msg_1", "ep_1", time.Date(2025, 8, 4, 5, 30, 45, 0, time.UTC))

// send prepares a request with the real integration, as the gateway does,
// and sends it through the fake's client.
func send(t *testing.T, s *customeriotest.Server, creds hookbridge.Credentials, method, url, body string) (int, string, http.Header) {
	t.Helper()
	req := &hookbridge.OutboundRequest{Method: method, URL: url, Headers: map[string]string{}, Body: []byte(body)}
	if err := customerio.New().Prepare(req, creds, hookbridge.SendContext{IdempotencyKey: key, Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return do(t, s, req)
}

func do(t *testing.T, s *customeriotest.Server, req *hookbridge.OutboundRequest) (int, string, http.Header) {
	t.Helper()
	httpReq, err := http.NewRequest(req.Method, req.URL, bytes.NewReader(req.Body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range req.Headers {
		httpReq.Header.Set(k, v)
	}
	resp, err := s.Client().Do(httpReq)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

type errorsBody struct {
	Errors []struct {
		BatchIndex *int   `json:"batch_index"`
		Reason     string `json:"reason"`
		Field      string `json:"field"`
		Message    string `json:"message"`
	} `json:"errors"`
}

func decodeErrors(t *testing.T, body string) errorsBody {
	t.Helper()
	var e errorsBody
	if err := json.Unmarshal([]byte(body), &e); err != nil || len(e.Errors) == 0 {
		t.Fatalf("not an errors body: %s (%v)", body, err)
	}
	return e
}

func TestAcceptsAValidEvent(t *testing.T) {
	s := customeriotest.New(t)
	status, body, _ := send(t, s, s.Credentials(), "POST", customerio.DefaultURL, event)
	if status != 200 || body != "{}" {
		t.Fatalf("status %d, body %s", status, body)
	}
	ops := s.Accepted()
	if len(ops) != 1 || ops[0].Name != "payment_completed" || ops[0].ID != key || ops[0].Identifiers["id"] != "cus_1" || ops[0].Timestamp != 1754285445 || ops[0].Attributes["amount"] != "29.99" {
		t.Errorf("accepted = %+v", ops)
	}
	reqs := s.Requests()
	if len(reqs) != 1 || reqs[0].Host != "track.customer.io" || reqs[0].Path != "/api/v2/entity" || reqs[0].Status != 200 {
		t.Errorf("requests = %+v", reqs)
	}
}

func TestRejectsWhatCustomerIORejects(t *testing.T) {
	s := customeriotest.New(t)
	tests := []struct {
		name, body, field string
	}{
		{"action from the documentation", strings.Replace(event, `"action":"event"`, `"action":"payment_completed"`, 1), "action"},
		{"no identifiers", strings.Replace(event, `"identifiers":{"id":"cus_1"},`, ``, 1), "identifiers"},
		{"two identifiers", strings.Replace(event, `{"id":"cus_1"}`, `{"id":"cus_1","email":"a@example.com"}`, 1), "identifiers"},
		{"event without name", strings.Replace(event, `"name":"payment_completed",`, ``, 1), "name"},
		{"string timestamp", strings.Replace(event, `1754285445`, `"2025-08-04T05:30:45Z"`, 1), "timestamp"},
		{"bad type", strings.Replace(event, `"person"`, `"customer"`, 1), "type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, _ := send(t, s, s.Credentials(), "POST", customerio.DefaultURL, tt.body)
			if status != 400 {
				t.Fatalf("status %d, want 400", status)
			}
			if e := decodeErrors(t, body); e.Errors[0].Field != tt.field || e.Errors[0].Message == "" || e.Errors[0].BatchIndex != nil {
				t.Errorf("errors = %s", body)
			}
		})
	}
	if n := len(s.Accepted()); n != 0 {
		t.Errorf("%d invalid operations accepted", n)
	}
}

func TestUnauthorizedHasNoBody(t *testing.T) {
	s := customeriotest.New(t, customeriotest.WithCredentials("site", "right"))
	for name, creds := range map[string]hookbridge.Credentials{
		"wrong key":     {"site_id": "site", "api_key": "wrong"},
		"no credential": {},
	} {
		status, body, _ := send(t, s, creds, "POST", customerio.DefaultURL, event)
		if status != 401 || body != "" {
			t.Errorf("%s: status %d, body %q; want 401 with no body", name, status, body)
		}
	}
	if status, _, _ := send(t, s, hookbridge.Credentials{"site_id": "site", "api_key": "right"}, "POST", customerio.DefaultURL, event); status != 200 {
		t.Errorf("right credentials: %d", status)
	}
}

func TestBatchWithSomeInvalidOperationsIs207(t *testing.T) {
	s := customeriotest.New(t)
	bad := strings.Replace(event, `"action":"event"`, `"action":"subscription_started"`, 1)
	identify := `{"type":"person","identifiers":{"id":"cus_1"},"action":"identify","attributes":{"plan":"pro"}}`
	status, body, _ := send(t, s, s.Credentials(), "POST", "https://track.customer.io/api/v2/batch", `{"batch":[`+identify+`,`+bad+`,`+event+`]}`)
	if status != http.StatusMultiStatus {
		t.Fatalf("status %d, body %s", status, body)
	}
	e := decodeErrors(t, body)
	if len(e.Errors) != 1 || e.Errors[0].BatchIndex == nil || *e.Errors[0].BatchIndex != 1 || e.Errors[0].Field != "action" {
		t.Errorf("errors = %s", body)
	}
	ops := s.Accepted()
	if len(ops) != 2 || ops[0].Action != "identify" || ops[1].BatchIndex != 2 {
		t.Errorf("accepted = %+v", ops)
	}
}

func TestRetriedEventsAreCountedOnce(t *testing.T) {
	s := customeriotest.New(t)
	for range 3 {
		if status, body, _ := send(t, s, s.Credentials(), "POST", customerio.DefaultURL, event); status != 200 {
			t.Fatalf("status %d: %s", status, body)
		}
	}
	if a, d := len(s.Accepted()), len(s.Duplicates()); a != 1 || d != 2 {
		t.Errorf("accepted %d, duplicates %d; want 1 and 2", a, d)
	}
}

func TestRegions(t *testing.T) {
	us := customeriotest.New(t)
	status, _, _ := send(t, us, us.Credentials(), "POST", "https://track-eu.customer.io/api/v2/entity", event)
	if status != 200 {
		t.Errorf("prepared with region us, the request should go to the US host: %d", status)
	}
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://track-eu.customer.io/api/v2/entity", Headers: map[string]string{
		"Content-Type": "application/json", "Authorization": "Basic dGVzdC1zaXRlLWlkOnRlc3QtYXBpLWtleQ==",
	}, Body: []byte(event)}
	if status, _, _ := do(t, us, req); status != 401 {
		t.Errorf("a US account calling the EU host: %d, want 401", status)
	}

	eu := customeriotest.New(t, customeriotest.WithRegion("eu"))
	if status, _, _ := send(t, eu, eu.Credentials(), "POST", customerio.DefaultURL, event); status != 200 {
		t.Errorf("EU account: %d", status)
	}
	if got := eu.Requests()[0].Host; got != "track-eu.customer.io" {
		t.Errorf("EU request went to %s", got)
	}
	status, body, _ := send(t, eu, eu.Credentials(), "GET", "https://track.customer.io/api/v1/accounts/region", "")
	if status != 200 || !strings.Contains(body, `"region":"eu"`) {
		t.Errorf("region lookup: %d %s", status, body)
	}
}

func TestV1Routes(t *testing.T) {
	s := customeriotest.New(t)
	base := "https://track.customer.io/api/v1/customers/cus_1"
	if status, body, _ := send(t, s, s.Credentials(), "PUT", base, `{"email":"a@example.com"}`); status != 200 {
		t.Errorf("identify: %d %s", status, body)
	}
	if status, body, _ := send(t, s, s.Credentials(), "POST", base+"/events", `{"name":"payment_completed","data":{"amount":"29.99"}}`); status != 200 {
		t.Errorf("event: %d %s", status, body)
	}
	status, body, _ := send(t, s, s.Credentials(), "POST", base+"/events", `{"data":{}}`)
	var v1 struct {
		Meta struct{ Errors []string } `json:"meta"`
	}
	if status != 400 || json.Unmarshal([]byte(body), &v1) != nil || len(v1.Meta.Errors) != 1 {
		t.Errorf("event without name: %d %s", status, body)
	}
	if status, _, _ := send(t, s, s.Credentials(), "DELETE", base, ""); status != 200 {
		t.Errorf("delete: %d", status)
	}
	if status, _, _ := send(t, s, s.Credentials(), "POST", "https://track.customer.io/api/v2/people", event); status != 404 {
		t.Errorf("unknown route: %d", status)
	}
	ops := s.Accepted()
	if len(ops) != 3 || ops[1].ID != key || ops[1].Attributes["amount"] != "29.99" || ops[2].Action != "delete" {
		t.Errorf("accepted = %+v", ops)
	}
}

func TestContentTypeMustBeJSON(t *testing.T) {
	s := customeriotest.New(t)
	req := &hookbridge.OutboundRequest{Method: "POST", URL: customerio.DefaultURL, Headers: map[string]string{"Content-Type": "text/plain"}, Body: []byte(event)}
	if err := customerio.New().Prepare(req, s.Credentials(), hookbridge.SendContext{IdempotencyKey: key}); err != nil {
		t.Fatal(err)
	}
	req.SetHeader("Content-Type", "text/plain")
	if status, _, _ := do(t, s, req); status != 400 {
		t.Errorf("text/plain: %d", status)
	}
}

func TestFaults(t *testing.T) {
	s := customeriotest.New(t)
	s.FailNext(1, http.StatusBadGateway)
	s.RateLimitNext(2, 1500*time.Millisecond)
	want := []int{502, 429, 429, 200}
	for i, w := range want {
		status, _, h := send(t, s, s.Credentials(), "POST", customerio.DefaultURL, event)
		if status != w {
			t.Errorf("request %d: %d, want %d", i, status, w)
		}
		if status == 429 && h.Get("Retry-After") != "2" {
			t.Errorf("Retry-After = %q, want 2", h.Get("Retry-After"))
		}
	}
	if len(s.Accepted()) != 1 || len(s.Requests()) != 4 {
		t.Errorf("accepted %d of %d requests", len(s.Accepted()), len(s.Requests()))
	}
}

func TestLatencyRespectsTheClientsDeadline(t *testing.T) {
	s := customeriotest.New(t, customeriotest.WithLatency(2*time.Second))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", customerio.DefaultURL, strings.NewReader(event))
	start := time.Now()
	if _, err := s.Client().Do(req); err == nil {
		t.Fatal("no timeout")
	}
	if time.Since(start) > time.Second {
		t.Errorf("took %s", time.Since(start))
	}
}

func TestConcurrentUse(t *testing.T) {
	s := customeriotest.New(t)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := strings.Replace(event, `"cus_1"`, `"cus_`+string(rune('a'+i))+`"`, 1)
			req := &hookbridge.OutboundRequest{Method: "POST", URL: customerio.DefaultURL, Headers: map[string]string{}, Body: []byte(body)}
			_ = customerio.New().Prepare(req, s.Credentials(), hookbridge.SendContext{IdempotencyKey: hookbridge.IdempotencyKey("msg", string(rune('a'+i)), time.Now())})
			httpReq, _ := http.NewRequest("POST", req.URL, bytes.NewReader(req.Body))
			for k, v := range req.Headers {
				httpReq.Header.Set(k, v)
			}
			if resp, err := s.Client().Do(httpReq); err == nil {
				resp.Body.Close()
			}
			_ = s.Requests()
			_ = s.Accepted()
		}()
	}
	wg.Wait()
	if n := len(s.Accepted()); n != 20 {
		t.Errorf("accepted %d, want 20", n)
	}
}
