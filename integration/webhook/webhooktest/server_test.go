package webhooktest_test

import (
	"bytes"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/webhook"
	"github.com/hookbridge/hookbridge/integration/webhook/webhooktest"
	"github.com/hookbridge/hookbridge/signing"
)

const body = `{"type":"payment.succeeded","data":{"total_amount":2999}}`

// deliver prepares a request with the real webhook integration and posts
// it to the receiver.
func deliver(t *testing.T, s *webhooktest.Server, creds hookbridge.Credentials, sc hookbridge.SendContext, payload string) int {
	t.Helper()
	req := &hookbridge.OutboundRequest{Method: "POST", URL: s.URL + "/hooks", Body: []byte(payload)}
	if err := webhook.New().Prepare(req, creds, sc); err != nil {
		t.Fatal(err)
	}
	httpReq, _ := http.NewRequest(req.Method, req.URL, bytes.NewReader(req.Body))
	for k, v := range req.Headers {
		httpReq.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(httpReq)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func sendContext(id string) hookbridge.SendContext {
	return hookbridge.SendContext{IdempotencyKey: id, Now: time.Now()}
}

func TestAcceptsSignedWebhooksOnce(t *testing.T) {
	s := webhooktest.New(t)
	for range 3 {
		if status := deliver(t, s, s.Credentials(), sendContext("msg_A"), body); status != 200 {
			t.Fatalf("status %d, rejected %v", status, s.Rejected())
		}
	}
	acc := s.Accepted()
	if len(acc) != 1 || acc[0].ID != "msg_A" || string(acc[0].Body) != body || len(s.Duplicates()) != 2 {
		t.Errorf("accepted %+v, duplicates %d", acc, len(s.Duplicates()))
	}
	if data := acc[0].JSON.(map[string]any)["data"].(map[string]any); data["total_amount"] != float64(2999) {
		t.Errorf("decoded body = %v", acc[0].JSON)
	}
}

func TestRejectsWhatDoesNotVerify(t *testing.T) {
	s := webhooktest.New(t)
	other, _ := signing.GenerateSecret()
	tests := []struct {
		name  string
		creds hookbridge.Credentials
		sc    hookbridge.SendContext
		want  error
	}{
		{"another secret", hookbridge.Credentials{"signing_secret": other}, sendContext("m1"), signing.ErrInvalidSignature},
		{"unsigned", nil, sendContext("m2"), signing.ErrMissingHeaders},
		{"ten minutes old", s.Credentials(), hookbridge.SendContext{IdempotencyKey: "m3", Now: time.Now().Add(-10 * time.Minute)}, signing.ErrTimestampTooOld},
	}
	for i, tt := range tests {
		if status := deliver(t, s, tt.creds, tt.sc, body); status != 401 {
			t.Errorf("%s: status %d", tt.name, status)
		}
		if rej := s.Rejected(); len(rej) != i+1 || !errors.Is(rej[i].Err, tt.want) {
			t.Errorf("%s: rejected with %v, want %v", tt.name, rej[len(rej)-1].Err, tt.want)
		}
	}
	if len(s.Accepted()) != 0 {
		t.Error("accepted an unverified webhook")
	}
}

func TestRotation(t *testing.T) {
	oldSecret, _ := signing.GenerateSecret()
	newSecret, _ := signing.GenerateSecret()
	s := webhooktest.New(t, webhooktest.WithSecrets(newSecret, oldSecret))
	if deliver(t, s, hookbridge.Credentials{"signing_secret": oldSecret}, sendContext("m1"), body) != 200 ||
		deliver(t, s, hookbridge.Credentials{"signing_secret": newSecret}, sendContext("m2"), body) != 200 {
		t.Errorf("rejected during rotation: %v", s.Rejected())
	}
}

func TestClockAndFaults(t *testing.T) {
	sent := time.Date(2025, 8, 4, 5, 30, 0, 0, time.UTC)
	s := webhooktest.New(t, webhooktest.WithClock(func() time.Time { return sent.Add(time.Minute) }))
	s.FailNext(1, http.StatusGone)
	if status := deliver(t, s, s.Credentials(), hookbridge.SendContext{IdempotencyKey: "m1", Now: sent}, body); status != 410 {
		t.Errorf("status %d, want 410", status)
	}
	if status := deliver(t, s, s.Credentials(), hookbridge.SendContext{IdempotencyKey: "m1", Now: sent}, body); status != 200 {
		t.Errorf("status %d, want 200", status)
	}
	if acc := s.Accepted(); len(acc) != 1 || !acc[0].Timestamp.Equal(sent) {
		t.Errorf("accepted = %+v", acc)
	}
	if reqs := s.Requests(); len(reqs) != 2 || reqs[0].Status != 410 || reqs[0].Path != "/hooks" {
		t.Errorf("requests = %+v", reqs)
	}
}
