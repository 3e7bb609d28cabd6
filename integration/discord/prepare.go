package discord

import (
	"fmt"
	"net/url"

	"github.com/hookbridge/hookbridge"
)

// prepare asks Discord to confirm each message: with wait=true Discord
// answers 200 with the message it saved, or an error for one it did not
// save; without it, Discord answers 204 either way. A wait the handler set
// itself is kept.
func prepare(req *hookbridge.OutboundRequest, _ hookbridge.Credentials, _ hookbridge.SendContext) error {
	u, err := url.Parse(req.URL)
	if err != nil {
		return fmt.Errorf("parse the Discord webhook URL: %w", err)
	}
	if !webhookPath.MatchString(u.Path) {
		return nil
	}
	q := u.Query()
	if q.Get("wait") == "" {
		q.Set("wait", "true")
		u.RawQuery = q.Encode()
		req.URL = u.String()
	}
	return nil
}

// checkWebhookPath says what is wrong with the path of a webhook URL, ""
// if nothing.
func checkWebhookPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || !webhookPath.MatchString(u.Path) {
		return "is not a Discord webhook URL: it should look like https://discord.com/api/webhooks/{id}/{token}"
	}
	return ""
}
