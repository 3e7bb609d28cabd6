package discord

import (
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// verify checks the webhook URL with Discord's "Get Webhook with Token": a
// GET of the URL itself, which answers the webhook's name and posts
// nothing.
var verify = &kit.Verify{
	URL: func(creds hookbridge.Credentials) (string, error) {
		u, err := url.Parse(creds[FieldWebhookURL])
		if err != nil {
			return "", err
		}
		u.RawQuery, u.Fragment = "", ""
		return u.String(), nil
	},
	Read: func(_ hookbridge.Credentials, a hookbridge.Answer) (hookbridge.Verification, bool) {
		var ans struct {
			Name    string `json:"name"`
			Code    int    `json:"code"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(a.Body, &ans)
		switch a.Status {
		case http.StatusOK:
			return hookbridge.Verification{Result: hookbridge.VerifyValid, Message: "Discord knows the webhook: " + ans.Name}, true
		case http.StatusNotFound, http.StatusUnauthorized:
			return hookbridge.Verification{Result: hookbridge.VerifyWrongKey,
				Message: "Discord refused the webhook URL: " + ans.Message + " (the webhook was deleted, or the URL was cut short)",
				Fix:     "copy the webhook URL again from the channel's Integrations → Webhooks"}, true
		}
		return hookbridge.Verification{}, false
	},
}
