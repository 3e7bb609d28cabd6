package hubspot

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// verify checks the access token with GET /account-info/v3/details, a
// read every valid token may make whatever its scopes; it names the
// account.
var verify = &kit.Verify{
	Path: "/account-info/v3/details",
	Read: func(_ hookbridge.Credentials, a hookbridge.Answer) (hookbridge.Verification, bool) {
		if a.Status != http.StatusOK {
			return hookbridge.Verification{}, false
		}
		var ans struct {
			PortalID            int64  `json:"portalId"`
			DataHostingLocation string `json:"dataHostingLocation"`
		}
		_ = json.Unmarshal(a.Body, &ans)
		msg := "HubSpot accepted the access token"
		if ans.PortalID != 0 {
			msg = fmt.Sprintf("HubSpot accepted the access token of account %d", ans.PortalID)
		}
		return hookbridge.Verification{Result: hookbridge.VerifyValid, Region: ans.DataHostingLocation,
			Message: msg + " (its scopes are checked on each call: a missing one is answered 403 MISSING_SCOPES)"}, true
	},
}
