package segmenttest_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/segment"
	"github.com/hookbridge/hookbridge/integration/segment/segmenttest"
)

const track = `{"userId":"cus_1","event":"Payment Completed","properties":{"amount":29.99}}`

var key = hookbridge.IdempotencyKey("msg_1", "ep_1", time.Date(2025, 8, 4, 5, 30, 45, 0, time.UTC))

// send prepares a request with the real integration and sends it through
// the fake's client.
func send(t *testing.T, s *segmenttest.Server, creds hookbridge.Credentials, url, body string) (int, string, http.Header) {
	t.Helper()
	req := &hookbridge.OutboundRequest{Method: "POST", URL: url, Headers: map[string]string{}, Body: []byte(body)}
	if err := segment.New().Prepare(req, creds, hookbridge.SendContext{IdempotencyKey: key, Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return do(t, s, req)
}

func do(t *testing.T, s *segmenttest.Server, req *hookbridge.OutboundRequest) (int, string, http.Header) {
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

func TestAcceptsATrackCall(t *testing.T) {
	s := segmenttest.New(t)
	status, body, _ := send(t, s, s.Credentials(), segment.DefaultURL, track)
	if status != 200 || body != `{"success":true}` {
		t.Fatalf("%d %s", status, body)
	}
	got := s.Accepted()
	if len(got) != 1 || got[0].Type != "track" || got[0].Event != "Payment Completed" || got[0].UserID != "cus_1" || got[0].MessageID != key {
		t.Errorf("accepted = %+v", got)
	}
	if r := s.Requests()[0]; r.Host != "api.segment.io" || r.Path != "/v1/track" {
		t.Errorf("request = %+v", r)
	}
}

func TestAnswers200ButDropsWhatSegmentDrops(t *testing.T) {
	s := segmenttest.New(t)
	tests := []struct{ url, body, reason string }{
		{segment.DefaultURL, `{"event":"Payment Completed"}`, "no userId or anonymousId"},
		{segment.DefaultURL, `{"userId":"","event":"x"}`, "no userId or anonymousId"},
		{segment.DefaultURL, `{"userId":"u","properties":{}}`, "track without event"},
		{"https://api.segment.io/v1/group", `{"userId":"u"}`, "group without groupId"},
		{"https://api.segment.io/v1/alias", `{"userId":"u"}`, "alias needs previousId and userId"},
	}
	for _, tt := range tests {
		if status, body, _ := send(t, s, s.Credentials(), tt.url, tt.body); status != 200 || body != `{"success":true}` {
			t.Errorf("%s: %d %s", tt.body, status, body)
		}
	}
	dropped := s.Dropped()
	if len(dropped) != len(tests) || len(s.Accepted()) != 0 {
		t.Fatalf("dropped %d, accepted %d", len(dropped), len(s.Accepted()))
	}
	for i, d := range dropped {
		if d.Reason != tests[i].reason {
			t.Errorf("drop %d: %q, want %q", i, d.Reason, tests[i].reason)
		}
	}
}

func TestAnswers400InPlainText(t *testing.T) {
	s := segmenttest.New(t)
	big := `{"userId":"u","event":"x","properties":{"blob":"` + strings.Repeat("x", 33<<10) + `"}}`
	tests := map[string]struct{ url, body string }{
		"invalid JSON":      {segment.DefaultURL, `{"userId":`},
		"call over 32 KB":   {segment.DefaultURL, big},
		"batch event 32 KB": {"https://api.segment.io/v1/batch", `{"batch":[` + strings.Replace(big, `{`, `{"type":"track",`, 1) + `]}`},
		"batch of 2501":     {"https://api.segment.io/v1/batch", `{"batch":[` + strings.TrimSuffix(strings.Repeat(`{"type":"track","userId":"u","event":"x"},`, 2501), ",") + `]}`},
		"batch over 500 KB": {"https://api.segment.io/v1/batch", `{"batch":[` + strings.TrimSuffix(strings.Repeat(`{"type":"track","userId":"u","event":"`+strings.Repeat("e", 30<<10)+`"},`, 17), ",") + `]}`},
	}
	for name, tt := range tests {
		status, body, h := send(t, s, s.Credentials(), tt.url, tt.body)
		if status != 400 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") || body == "" {
			t.Errorf("%s: %d %q %s", name, status, body, h.Get("Content-Type"))
		}
	}
	if len(s.Accepted())+len(s.Dropped()) != 0 {
		t.Error("a rejected request was recorded as received")
	}
}

func TestWriteKey(t *testing.T) {
	s := segmenttest.New(t, segmenttest.WithWriteKey("right"))
	if status, _, _ := send(t, s, hookbridge.Credentials{"write_key": "wrong"}, segment.DefaultURL, track); status != 401 {
		t.Errorf("wrong key: %d", status)
	}
	if status, _, _ := send(t, s, hookbridge.Credentials{}, segment.DefaultURL, track); status != 401 {
		t.Errorf("no key: %d", status)
	}
	if status, _, _ := send(t, s, hookbridge.Credentials{}, segment.DefaultURL, `{"writeKey":"right","userId":"u","event":"x"}`); status != 200 {
		t.Errorf("key in the body: %d", status)
	}
	if status, _, _ := send(t, s, hookbridge.Credentials{"write_key": "right"}, segment.DefaultURL, track); status != 200 {
		t.Errorf("right key: %d", status)
	}
}

func TestBatch(t *testing.T) {
	s := segmenttest.New(t)
	body := `{"batch":[{"type":"identify","userId":"u","traits":{"plan":"pro"}},{"type":"track","userId":"u","event":"x","context":{"ip":"5.6.7.8"}},{"type":"track","userId":"u"},{"type":"purchase","userId":"u"}],"context":{"ip":"1.2.3.4","library":{"name":"hb"}}}`
	if status, _, _ := send(t, s, s.Credentials(), "https://api.segment.io/v1/batch", body); status != 200 {
		t.Fatalf("status %d", status)
	}
	acc := s.Accepted()
	if len(acc) != 2 || acc[0].MessageID != key+"-0" || acc[1].MessageID != key+"-1" {
		t.Fatalf("accepted = %+v", acc)
	}
	if ctx := acc[0].Body["context"].(map[string]any); ctx["ip"] != "1.2.3.4" {
		t.Errorf("batch context not merged: %v", ctx)
	}
	if ctx := acc[1].Body["context"].(map[string]any); ctx["ip"] != "5.6.7.8" || ctx["library"] == nil {
		t.Errorf("event context should win and be merged: %v", ctx)
	}
	if d := s.Dropped(); len(d) != 2 || d[0].Reason != "track without event" || !strings.Contains(d[1].Reason, "purchase") {
		t.Errorf("dropped = %+v", d)
	}
}

func TestRetriesAreCountedOnce(t *testing.T) {
	s := segmenttest.New(t)
	for range 3 {
		send(t, s, s.Credentials(), segment.DefaultURL, track)
	}
	if a, d := len(s.Accepted()), len(s.Duplicates()); a != 1 || d != 2 {
		t.Errorf("accepted %d, duplicates %d", a, d)
	}
}

func TestRegion(t *testing.T) {
	eu := segmenttest.New(t, segmenttest.WithRegion("eu"))
	req := &hookbridge.OutboundRequest{Method: "POST", URL: segment.DefaultURL, Headers: map[string]string{}, Body: []byte(track)}
	// Prepared as if the user had left the region at us: the data vanishes.
	if err := segment.New().Prepare(req, hookbridge.Credentials{"write_key": segmenttest.WriteKey, "region": "us"}, hookbridge.SendContext{IdempotencyKey: key}); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := do(t, eu, req); status != 200 || len(eu.Dropped()) != 1 || len(eu.Accepted()) != 0 {
		t.Errorf("EU workspace, US host: %d, dropped %d", status, len(eu.Dropped()))
	}
	if status, _, _ := send(t, eu, eu.Credentials(), segment.DefaultURL, track); status != 200 || len(eu.Accepted()) != 1 {
		t.Errorf("EU workspace, EU host: %d, accepted %d", status, len(eu.Accepted()))
	}
}

func TestRateLimit(t *testing.T) {
	s := segmenttest.New(t)
	s.RateLimitNext(1, 3*time.Second)
	s.FailNext(1, 503)
	before := time.Now().Unix()
	status, _, h := send(t, s, s.Credentials(), segment.DefaultURL, track)
	reset, _ := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64)
	if status != 429 || h.Get("Retry-After") != "3" || reset < before+3 || reset > before+5 {
		t.Errorf("status %d, Retry-After %q, X-RateLimit-Reset %q (now %d)", status, h.Get("Retry-After"), h.Get("X-RateLimit-Reset"), before)
	}
	if status, _, _ := send(t, s, s.Credentials(), segment.DefaultURL, track); status != 503 {
		t.Errorf("status %d, want 503", status)
	}
	if status, _, _ := send(t, s, s.Credentials(), segment.DefaultURL, track); status != 200 || len(s.Accepted()) != 1 {
		t.Errorf("after the faults: %d", status)
	}
}

func TestUnknownPathAndContentType(t *testing.T) {
	s := segmenttest.New(t)
	if status, _, _ := send(t, s, s.Credentials(), "https://api.segment.io/v1/purchase", track); status != 404 {
		t.Errorf("unknown path: %d", status)
	}
	req := &hookbridge.OutboundRequest{Method: "POST", URL: segment.DefaultURL, Headers: map[string]string{"Content-Type": "text/plain"}, Body: []byte(track)}
	if status, _, _ := do(t, s, req); status != 400 {
		t.Errorf("text/plain: %d", status)
	}
}

func TestConcurrentUse(t *testing.T) {
	s := segmenttest.New(t)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", segment.DefaultURL, strings.NewReader(fmt.Sprintf(`{"userId":"u%d","event":"x","messageId":"m%d"}`, i, i)))
			req.SetBasicAuth(segmenttest.WriteKey, "")
			req.Header.Set("Content-Type", "application/json")
			if resp, err := s.Client().Do(req); err == nil {
				resp.Body.Close()
			}
			_ = s.Dropped()
		}()
	}
	wg.Wait()
	if len(s.Accepted()) != 20 || len(s.Requests()) != 20 {
		t.Errorf("accepted %d of %d", len(s.Accepted()), len(s.Requests()))
	}
}
