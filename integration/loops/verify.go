package loops

import (
	"encoding/json"
	"net/http"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// verify checks the API key with Loops' "test your API key" call, which
// names the key's team.
var verify = &kit.Verify{
	Path: "/api/v1/api-key",
	Read: func(_ hookbridge.Credentials, a hookbridge.Answer) (hookbridge.Verification, bool) {
		var ans struct {
			Success  bool   `json:"success"`
			TeamName string `json:"teamName"`
		}
		if a.Status != http.StatusOK || json.Unmarshal(a.Body, &ans) != nil || !ans.Success {
			return hookbridge.Verification{}, false
		}
		msg := "Loops accepted the API key"
		if ans.TeamName != "" {
			msg += " of the team " + ans.TeamName
		}
		return hookbridge.Verification{Result: hookbridge.VerifyValid, Message: msg}, true
	},
}
