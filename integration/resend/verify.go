package resend

import (
	"encoding/json"
	"net/http"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// verify checks the API key with GET /domains, Resend's cheapest read. A
// "Sending access" key — the one its help advises — is refused it with
// 401 restricted_api_key, which still says Resend knows the key; an
// unknown key is 403 invalid_api_key.
var verify = &kit.Verify{
	Path: "/domains",
	Read: func(_ hookbridge.Credentials, a hookbridge.Answer) (hookbridge.Verification, bool) {
		var ans struct {
			Name    string `json:"name"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(a.Body, &ans)
		switch {
		case a.Status == http.StatusOK:
			return hookbridge.Verification{Result: hookbridge.VerifyValid, Message: "Resend accepted the API key (a full-access key)"}, true
		case a.Status == http.StatusUnauthorized && ans.Name == "restricted_api_key":
			return hookbridge.Verification{Result: hookbridge.VerifyValid,
				Message: "Resend knows the API key: a sending-access key, which may send email but not read the account (its answer to the check is 401 restricted_api_key)"}, true
		case a.Status == http.StatusForbidden && ans.Name == "invalid_api_key",
			a.Status == http.StatusUnauthorized && ans.Name == "missing_api_key":
			return hookbridge.Verification{Result: hookbridge.VerifyWrongKey,
				Message: "Resend refused the API key: " + ans.Name,
				Fix:     "copy the key again from Resend's API Keys page, or create a new one"}, true
		}
		return hookbridge.Verification{}, false
	},
}
