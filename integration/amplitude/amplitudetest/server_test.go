package amplitudetest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/amplitude/amplitudetest"
)

func post(t *testing.T, s *amplitudetest.Server, path, contentType, body string) delivery.Response {
	t.Helper()
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://api2.amplitude.com" + path, Body: []byte(body),
		Headers: map[string]string{"Content-Type": contentType}}
	return (&delivery.Sender{Client: s.Client(), Timeout: 5 * time.Second}).Send(context.Background(), req)
}

const event = `{"event_type":"Signup","user_id":"cus_12345","insert_id":"a1"}`

func TestIngestsAndCountsOnce(t *testing.T) {
	s := amplitudetest.New(t)
	body := `{"api_key":"` + amplitudetest.APIKey + `","events":[` + event + `,` + event + `]}`
	resp := post(t, s, "/2/httpapi", "application/json", body)
	if resp.Status != 200 || !strings.Contains(resp.Body, `"events_ingested":2`) || len(s.Events()) != 1 || len(s.Duplicates()) != 1 {
		t.Errorf("answer %d %s; %d events, %d duplicates", resp.Status, resp.Body, len(s.Events()), len(s.Duplicates()))
	}
}

func TestRefusals(t *testing.T) {
	key := `"api_key":"` + amplitudetest.APIKey + `"`
	for name, c := range map[string]struct {
		path, contentType, body string
		status                  int
		says                    string
	}{
		"another path": {"/batch", "application/json", "{}", 404, "not found"},
		"form body":    {"/2/httpapi", "application/x-www-form-urlencoded", "{}", 400, "Content-Type"},
		"not JSON":     {"/2/httpapi", "application/json", "{", 400, "Invalid JSON"},
		"no api_key":   {"/2/httpapi", "application/json", `{"events":[]}`, 400, `"missing_field":"api_key"`},
		"no events":    {"/2/httpapi", "application/json", "{" + key + "}", 400, `"missing_field":"events"`},
		"short id":     {"/2/httpapi", "application/json", "{" + key + `,"events":[{"event_type":"x","user_id":"u1"}]}`, 400, `"events_with_invalid_fields":{"user_id":[0]}`},
		"no id":        {"/2/httpapi", "application/json", "{" + key + `,"events":[{"event_type":"x"}]}`, 400, `"events_with_missing_fields":{"user_id":[0]}`},
		"time as text": {"/2/httpapi", "application/json", "{" + key + `,"events":[{"event_type":"x","user_id":"cus_12345","time":"now"}]}`, 400, `"time":[0]`},
		"over 1 MB":    {"/2/httpapi", "application/json", "{" + key + `,"events":[{"event_type":"` + strings.Repeat("x", 1<<20) + `"}]}`, 413, "Payload too large"},
	} {
		t.Run(name, func(t *testing.T) {
			s := amplitudetest.New(t)
			resp := post(t, s, c.path, c.contentType, c.body)
			if resp.Status != c.status || !strings.Contains(resp.Body, c.says) || len(s.Events()) != 0 {
				t.Errorf("answer %d %s, want %d saying %s", resp.Status, resp.Body, c.status, c.says)
			}
		})
	}
}

func TestMinIDLengthOption(t *testing.T) {
	s := amplitudetest.New(t)
	body := `{"api_key":"` + amplitudetest.APIKey + `","options":{"min_id_length":2},"events":[{"event_type":"x","user_id":"u1"}]}`
	if resp := post(t, s, "/2/httpapi", "application/json", body); resp.Status != 200 {
		t.Errorf("answer %d %s", resp.Status, resp.Body)
	}
}

func TestThrottleHasNoRetryAfterHeader(t *testing.T) {
	s := amplitudetest.New(t)
	s.ThrottleNext(1, "cus_12345")
	resp := post(t, s, "/2/httpapi", "application/json", "{}")
	if resp.Status != 429 || resp.Headers["Retry-After"] != "" || !strings.Contains(resp.Body, `"throttled_users":{"cus_12345":31}`) {
		t.Errorf("answer %d %v %s", resp.Status, resp.Headers, resp.Body)
	}
}
