package sendgrid

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// verify checks the API key with GET /v3/scopes on the region's host: it
// lists the key's permissions, and Mail Send must be among them. A key of
// the other region is refused 401 like a wrong one.
var verify = &kit.Verify{
	Path: "/v3/scopes",
	Read: func(_ hookbridge.Credentials, a hookbridge.Answer) (hookbridge.Verification, bool) {
		switch a.Status {
		case http.StatusUnauthorized:
			return hookbridge.Verification{Result: hookbridge.VerifyWrongKey,
				Message: "SendGrid refused the API key (401): it is wrong, revoked, or an EU subuser's key used on the global host (or the reverse)",
				Fix:     "check the API key, and set Region to eu for an EU regional subuser's key"}, true
		case http.StatusOK:
		default:
			return hookbridge.Verification{}, false
		}
		var ans struct {
			Scopes []string `json:"scopes"`
		}
		if json.Unmarshal(a.Body, &ans) != nil {
			return hookbridge.Verification{Result: hookbridge.VerifyValid, Message: "SendGrid accepted the API key"}, true
		}
		if !slices.Contains(ans.Scopes, "mail.send") {
			return hookbridge.Verification{Result: hookbridge.VerifyWrongKey,
				Message: "SendGrid accepted the API key, but it lacks the Mail Send permission: every send would be refused 403",
				Fix:     "in SendGrid, edit the key (Settings → API Keys) and give it Mail Send → Full Access"}, true
		}
		return hookbridge.Verification{Result: hookbridge.VerifyValid, Message: "SendGrid accepted the API key, which may send mail (mail.send)"}, true
	},
}
