package slack_test

import (
	"fmt"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/slack"
	"github.com/hookbridge/hookbridge/integration/slack/slacktest"
)

// The webhook URL's token never shows in a recorded attempt: its path is
// masked and its host kept, to show where the request went.
func Example_recordedURL() {
	creds := hookbridge.Credentials{slack.FieldWebhookURL: slacktest.WebhookURL()}
	req := &hookbridge.OutboundRequest{Method: "POST", URL: slacktest.WebhookURL(), Body: []byte(`{"text":"hi"}`)}
	fmt.Println(req.Record(hookbridge.SecretValues(slack.New().Info(), creds)).URL)
	// Output: https://hooks.slack.com/ser********
}
