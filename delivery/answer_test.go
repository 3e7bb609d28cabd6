package delivery_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/builtin"
	"github.com/hookbridge/hookbridge/integration/kit"
	"github.com/hookbridge/hookbridge/integration/webhook/webhooktest"
	"github.com/hookbridge/hookbridge/netguard"
)

// chatty is a tool whose answers say more than their status: a 200 whose
// body starts "error:" failed, and a 429 gives its delay as a JSON
// retry_after in seconds. Its webhook URL is a credential on any host.
func chatty() hookbridge.Integration {
	return kit.New(kit.Spec{
		ID: "chatty", Name: "Chatty", Group: hookbridge.GroupTeamNotifications, Description: "a test tool",
		Credentials:   []hookbridge.CredentialField{kit.URLField("webhook_url", "Webhook URL", "", nil, "")},
		URLCredential: "webhook_url",
		ReadAnswer: func(_ *hookbridge.OutboundRequest, a hookbridge.Answer) hookbridge.AnswerReading {
			if text, ok := strings.CutPrefix(string(a.Body), "error:"); ok {
				return hookbridge.AnswerReading{Verdict: hookbridge.AnswerFailed, Reason: text, Fix: "ask the channel's owner"}
			}
			return hookbridge.AnswerReading{RetryAfter: kit.RetryAfterJSON(a.Body, "retry_after")}
		},
	})
}

// chattyEndpoint is an endpoint of chatty whose webhook URL's host,
// chat.example, goes to a receiver; the planner knows chatty.
func (r *rig) chattyEndpoint(to *webhooktest.Server) *hookbridge.Endpoint {
	r.planner.Integrations = hookbridge.NewIntegrations(append(builtin.All(), chatty())...)
	r.sender.Client = netguard.NewClient(netguard.Config{AllowPrivate: true, LoopbackOnly: true,
		HostOverrides: map[string]*url.URL{"chat.example": mustURL(r.t, to.URL)}})
	return r.endpoint(&hookbridge.Endpoint{Integration: "chatty",
		Credentials: hookbridge.Credentials{"webhook_url": "https://chat.example/hooks/secret-token"}})
}

func TestA200ThatTheToolReportsAsAnErrorFailsWithTheToolsReasonAndFix(t *testing.T) {
	r := newRig(t)
	to := webhooktest.New(t)
	e := r.chattyEndpoint(to)
	to.RespondNext(1, http.StatusOK, nil, []byte("error:channel_is_archived"))
	m := r.post("")
	r.run()

	d := r.deliveryOf(m, e)
	if d.Status != hookbridge.DeliveryFailed || d.Attempts != 1 {
		t.Fatalf("delivery %+v, want failed for good at its first attempt", d)
	}
	a := r.attempts(d)[0]
	for _, want := range []string{"channel_is_archived", "ask the channel's owner"} {
		if !strings.Contains(d.LastError, want) || !strings.Contains(a.Error, want) {
			t.Errorf("last error %q, attempt error %q: want both to say %q", d.LastError, a.Error, want)
		}
	}
}

func TestARetryDelayInTheAnswersBodyIsHonoured(t *testing.T) {
	r := newRig(t)
	to := webhooktest.New(t)
	e := r.chattyEndpoint(to)
	body, _ := json.Marshal(map[string]any{"message": "You are being rate limited.", "retry_after": 90.5})
	to.RespondNext(1, http.StatusTooManyRequests, nil, body)
	m := r.post("")
	r.run()

	d := r.deliveryOf(m, e)
	if d.Status != hookbridge.DeliveryPending || d.NextAttemptAt.Sub(t0) != 90500*time.Millisecond {
		t.Fatalf("delivery %+v, want pending until +90.5s (the body's retry_after, not the schedule's 5s)", d)
	}
	if got := r.getEndpoint(e); got.PausedUntil == nil || got.PausedUntil.Sub(t0) != 90500*time.Millisecond {
		t.Errorf("endpoint paused until %v, want +90.5s", got.PausedUntil)
	}
}

func TestTheURLCredentialsTokenIsMaskedInTheAttempt(t *testing.T) {
	r := newRig(t)
	to := webhooktest.New(t)
	e := r.chattyEndpoint(to)
	to.RespondNext(1, http.StatusOK, nil, []byte("ok")) // the receiver wants signatures chatty does not send
	m := r.post("")
	r.run()

	d := r.deliveryOf(m, e)
	if d.Status != hookbridge.DeliverySucceeded {
		t.Fatalf("delivery %+v, want succeeded", d)
	}
	a := r.attempts(d)[0]
	if strings.Contains(a.Request.URL, "secret-token") || !strings.HasPrefix(a.Request.URL, "https://chat.example/") {
		t.Errorf("recorded URL %q: want the host shown and the path with its token masked", a.Request.URL)
	}
}

func TestJudgeSaysWhatTheDispatcherWouldDo(t *testing.T) {
	integ := chatty()
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://chat.example/hooks/x"}
	tests := []struct {
		resp    delivery.Response
		outcome string
		reason  string
	}{
		{delivery.Response{Status: 200, Body: "ok"}, "accepted", ""},
		{delivery.Response{Status: 200, Body: "error:no_text"}, "failed", "no_text: ask the channel's owner"},
		{delivery.Response{Status: 503}, "retried", "503"},
		{delivery.Response{Status: 404}, "failed", "404"},
	}
	for _, tt := range tests {
		j := delivery.Judge(integ, req, tt.resp)
		if j.Outcome != tt.outcome || !strings.Contains(j.Reason, tt.reason) {
			t.Errorf("Judge(%d %q) = %+v, want %s with a reason containing %q", tt.resp.Status, tt.resp.Body, j, tt.outcome, tt.reason)
		}
	}
}
