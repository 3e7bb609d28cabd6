package teams_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
	"github.com/hookbridge/hookbridge/integration/teams"
	"github.com/hookbridge/hookbridge/integration/teams/teamstest"
)

// send sends req through the fake and reads the answer as the dispatcher
// does.
func send(t *testing.T, fake *teamstest.Server, req *hookbridge.OutboundRequest) (delivery.Response, hookbridge.AnswerReading, delivery.Judgement) {
	t.Helper()
	resp := (&delivery.Sender{Client: fake.Client(), Timeout: 5 * time.Second}).Send(context.Background(), req)
	integ := teams.New()
	reading := hookbridge.ReadAnswer(integ, req, hookbridge.Answer{Status: resp.Status, Headers: resp.Headers, Body: []byte(resp.Body)})
	return resp, reading, delivery.Judge(integ, req, resp)
}

func TestAConnectors200WithAThrottlingErrorIsRetried(t *testing.T) {
	fake := teamstest.New(t)
	fake.ThrottleConnectorNext(1)
	resp, reading, j := send(t, fake, request(t, teamstest.ConnectorURL(), validMessage()))
	if resp.Status != 200 || reading.Verdict != hookbridge.AnswerRetry || j.Outcome != "retried" || !strings.Contains(j.Reason, "HTTP error 429") {
		t.Errorf("answer %d %q read as %+v, judged %+v; want the attempt failed and retried", resp.Status, resp.Body, reading, j)
	}
	if len(fake.Posts()) != 0 {
		t.Errorf("throttled, yet posted")
	}
}

func TestAConnectors200WithARefusalFailsTheAttempt(t *testing.T) {
	fake := teamstest.New(t)
	m := validMessage()
	card0(m)["version"] = "1.6"
	resp, reading, j := send(t, fake, request(t, teamstest.ConnectorURL(), m))
	if resp.Status != 200 || reading.Verdict != hookbridge.AnswerFailed || j.Outcome != "failed" || !strings.Contains(j.Reason, "Adaptive Cards designer") {
		t.Errorf("answer %d %q read as %+v, judged %+v; want failed with a fix", resp.Status, resp.Body, reading, j)
	}
}

func TestConnectorAnswersInTheirBody(t *testing.T) {
	req := request(t, teamstest.ConnectorURL(), validMessage())
	for _, c := range []struct {
		body    string
		verdict hookbridge.AnswerVerdict
		fix     string
	}{
		{"1", hookbridge.AnswerByStatus, ""},
		{"Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 413 with ContextId x", hookbridge.AnswerFailed, "28 KB"},
		{"Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 502 with ContextId x", hookbridge.AnswerRetry, "retries"},
		{"Connector configuration not found", hookbridge.AnswerFailed, "Workflows webhook"},
	} {
		got := hookbridge.ReadAnswer(teams.New(), req, hookbridge.Answer{Status: 200, Body: []byte(c.body)})
		if got.Verdict != c.verdict || !strings.Contains(got.Fix, c.fix) {
			t.Errorf("200 %q read as %+v, want verdict %d and a fix naming %q", c.body, got, c.verdict, c.fix)
		}
	}
}

func TestAWorkflows202IsAccepted(t *testing.T) {
	fake := teamstest.New(t)
	resp, reading, j := send(t, fake, workflowRequest(t, validMessage()))
	if resp.Status != 202 || reading != (hookbridge.AnswerReading{}) || j.Outcome != "accepted" {
		t.Errorf("answer %d read as %+v, judged %+v; want accepted", resp.Status, reading, j)
	}
}

func TestWorkflowErrorsAreNamedWithAFix(t *testing.T) {
	fake := teamstest.New(t)
	good := teamstest.WorkflowURL(teamstest.PowerPlatformHost)
	for _, c := range []struct {
		name, url, code string
	}{
		{"deleted flow", strings.Replace(good, teamstest.WorkflowID, "00000000000000000000000000000000", 1), "WorkflowNotFound"},
		{"wrong signature", strings.Replace(good, teamstest.Signature, "wrongSig", 1), "DirectApiInvalidAuthorizationSignature"},
	} {
		req := workflowRequest(t, validMessage())
		req.URL = c.url
		_, reading, j := send(t, fake, req)
		if reading.Verdict != hookbridge.AnswerFailed || !strings.HasPrefix(reading.Reason, c.code+": ") || reading.Fix == "" || j.Outcome != "failed" {
			t.Errorf("%s: read %+v, judged %+v; want failed, named %s, with a fix", c.name, reading, j, c.code)
		}
	}
	req := workflowRequest(t, validMessage())
	req.SetHeader("Content-Type", "text/plain")
	if _, reading, _ := send(t, fake, req); !strings.HasPrefix(reading.Reason, "InvalidRequestContent: ") || reading.Fix == "" {
		t.Errorf("a text body: read %+v, want InvalidRequestContent with a fix", reading)
	}
}

func TestAThrottledWorkflowIsRetried(t *testing.T) {
	req := workflowRequest(t, validMessage())
	a := hookbridge.Answer{Status: 429, Body: []byte(`{"error":{"code":"WorkflowRequestsThrottled","message":"Too many requests."}}`)}
	got := hookbridge.ReadAnswer(teams.New(), req, a)
	if got.Verdict != hookbridge.AnswerRetry || !strings.HasPrefix(got.Reason, "WorkflowRequestsThrottled") {
		t.Errorf("read %+v, want a retry", got)
	}
}

func TestAnswersFromElsewhereAreNotRead(t *testing.T) {
	req := &hookbridge.OutboundRequest{Method: "POST", URL: "https://example.com/hook"}
	a := hookbridge.Answer{Status: 200, Body: []byte("Webhook message delivery failed with error: HTTP error 400")}
	if got := hookbridge.ReadAnswer(teams.New(), req, a); got != (hookbridge.AnswerReading{}) {
		t.Errorf("an answer from example.com read as %+v", got)
	}
}

func TestAConnectorsTextErrorIsShown(t *testing.T) {
	fake := teamstest.New(t)
	card := map[string]any{"@type": "MessageCard", "themeColor": "0076D7"}
	resp, reading, j := send(t, fake, request(t, teamstest.ConnectorURL(), card))
	if resp.Status != 400 || reading.Reason != "Summary or Text is required." || j.Outcome != "failed" {
		t.Errorf("answer %d %q read as %+v, judged %+v; want a permanent failure showing Teams' text", resp.Status, resp.Body, reading, j)
	}
}
