package e2e

import (
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/slack/slacktest"
)

// TestAWebhookURLsTokenStaysOutOfLogsAndAttempts: a Slack endpoint's
// webhook URL carries its token. Delivered once, then refused (the channel
// archived, so Slack's 410 and its error name are recorded and logged),
// the token shows in no log line at debug level, no attempt and no API
// answer about the endpoint.
func TestAWebhookURLsTokenStaysOutOfLogsAndAttempts(t *testing.T) {
	slack := slacktest.New(t)
	seg, cio := newFakes(t)
	var logs logBuffer
	h := start(t, seg, cio, withDebugLog(&logs), withHostOverride(slacktest.Host, slack.URL))
	ep := h.createEndpoint(map[string]any{"integration": "slack", "template": "payments",
		"credentials": slack.Credentials(), "event_types": []string{"payment.succeeded"}})
	payload, _ := sample(t, "payment.succeeded")

	var shown []string
	for i := range 2 {
		if i == 1 {
			slack.ArchiveChannel(slacktest.WebhookURL())
		}
		msg := h.postMessage("payment.succeeded", payload, "")
		for _, d := range h.waitDeliveries(msg.ID) {
			if d.EndpointID != ep.ID {
				continue
			}
			if want := []hookbridge.DeliveryStatus{hookbridge.DeliverySucceeded, hookbridge.DeliveryFailed}[i]; d.Status != want {
				t.Errorf("delivery %d: %s %q, want %s", i+1, d.Status, d.LastError, want)
			}
			shown = append(shown, d.LastError)
			for _, a := range h.attempts(d.ID) {
				shown = append(shown, a.Request.URL, a.Error, a.ResponseBody)
			}
		}
	}
	var view struct {
		Credentials map[string]string `json:"credentials"`
	}
	h.mustCall("GET", endpointsPath+"/"+ep.ID, nil, 200, &view)
	shown = append(shown, view.Credentials["webhook_url"], logs.String())
	for _, text := range shown {
		if strings.Contains(text, slacktest.Token) {
			t.Fatalf("the webhook URL's token shows:\n%s", text)
		}
	}
	if !strings.Contains(logs.String(), "channel_is_archived") {
		t.Error("the refusal is not in the log: the test looked at a log without the failure")
	}
}
