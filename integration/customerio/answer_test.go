package customerio

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/customerio/customeriotest"
	"github.com/hookbridge/hookbridge/integration/kit/kittest"
)

// TestEveryTemplateReachesTheFake runs every built-in template on every
// event type it lists against the fake Track API, which must accept each
// request, with the API key masked wherever the request is recorded.
func TestEveryTemplateReachesTheFake(t *testing.T) {
	fake := customeriotest.New(t)
	creds := fake.Credentials()
	sent := kittest.Templates(t, New(), creds, fake.Client())
	if len(sent) == 0 {
		t.Fatal("no template was sent")
	}
	for _, s := range sent {
		kittest.SecretsMasked(t, New(), creds, s.Request)
	}
}

func TestDefaultRateLimitIsTheTrackAPIsFairUse(t *testing.T) {
	got := New().Info().RateLimit
	if got == nil || got.Requests != 100 || got.Period != 0 {
		t.Errorf("rate limit %+v, want 100 a second", got)
	}
}

// send prepares body for url with creds, sends it to the fake and judges
// the answer as a delivery would.
func send(t *testing.T, fake *customeriotest.Server, method, url, body string, creds hookbridge.Credentials) delivery.Judgement {
	t.Helper()
	in := New()
	req := newRequest(method, url, body)
	if err := in.Prepare(req, creds, sc); err != nil {
		t.Fatal(err)
	}
	sender := &delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}
	return delivery.Judge(in, req, sender.Send(context.Background(), req))
}

func TestAnswersAreReadWithWhatToChange(t *testing.T) {
	const event = `{"type":"person","identifiers":{"id":"c1"},"action":"event","name":"paid"}`
	fake := customeriotest.New(t)
	good := fake.Credentials()
	wrongKey := fake.Credentials()
	wrongKey[FieldAPIKey] = "not-the-key"
	tests := []struct {
		name        string
		before      func()
		method, url string
		body        string
		creds       hookbridge.Credentials
		outcome     string
		want        []string // parts of the reason
	}{
		{"accepted", nil, "POST", DefaultURL, event, good, "accepted", nil},
		{"401: which credentials to check, and where", nil, "POST", DefaultURL, event, wrongKey, "failed",
			[]string{"HTTP 401", "Site ID and API key", "API Credentials", "Track API keys", "region"}},
		{"v2 400: the field Customer.io names", nil, "POST", DefaultURL, `{"type":"person","identifiers":{"id":"c1"},"action":"payment_completed"}`, good, "failed",
			[]string{"HTTP 400", "Customer.io refused the request: action:", "change the transformation"}},
		{"v1 400: the errors of meta", nil, "POST", "https://track.customer.io/api/v1/customers/c1/events", `{"data":{}}`, good, "failed",
			[]string{"HTTP 400", "Customer.io refused the request: ", "change the transformation"}},
		{"429: retried, with the limit and what to change", func() { fake.RateLimitNext(1, time.Second) }, "POST", DefaultURL, event, good, "retried",
			[]string{"HTTP 429", "100 requests a second", "rate_limit", "batching"}},
		{"500: judged by its status alone", func() { fake.FailNext(1, 500) }, "POST", DefaultURL, event, good, "retried",
			[]string{"HTTP 500"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.before != nil {
				tt.before()
			}
			j := send(t, fake, tt.method, tt.url, tt.body, tt.creds)
			if j.Outcome != tt.outcome {
				t.Fatalf("outcome %s (%s), want %s", j.Outcome, j.Reason, tt.outcome)
			}
			for _, part := range tt.want {
				if !strings.Contains(j.Reason, part) {
					t.Errorf("reason %q does not say %q", j.Reason, part)
				}
			}
		})
	}
}

func TestAnswerErrors(t *testing.T) {
	tests := []struct{ body, want string }{
		{`{"errors":[{"reason":"required","field":"name","message":"name is required"},{"message":"bad"}]}`, "name: name is required (required); bad"},
		{`{"meta":{"errors":["customer id is too long"]}}`, "customer id is too long"},
		{`{"errors":[]}`, ""},
		{``, ""},
		{`<html>`, ""},
	}
	for _, tt := range tests {
		if got := answerErrors([]byte(tt.body)); got != tt.want {
			t.Errorf("answerErrors(%s) = %q, want %q", tt.body, got, tt.want)
		}
	}
	// A 400 whose body names nothing keeps the status and its body.
	if got := readAnswer(nil, hookbridge.Answer{Status: 400, Body: []byte("oops")}); got != (hookbridge.AnswerReading{}) {
		t.Errorf("a 400 without errors: %+v, want the zero reading", got)
	}
}

func TestAnswersFromOtherHostsAreNotRead(t *testing.T) {
	req := newRequest("POST", "https://evil.example/api/v2/entity", `{}`)
	if got := hookbridge.ReadAnswer(New(), req, hookbridge.Answer{Status: 401}); got != (hookbridge.AnswerReading{}) {
		t.Errorf("reading %+v of another host's 401, want none", got)
	}
}
