package mixpanel

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// verify checks the service account with the app API's GET /api/app/me
// on the region's app host, as Mixpanel's service-account documentation
// does; the answer lists the projects the account may use, and the
// Project ID must be one.
var verify = &kit.Verify{
	Path: "/api/app/me",
	RegionHosts: map[string]string{
		RegionUS: "mixpanel.com", RegionEU: "eu.mixpanel.com", RegionIndia: "in.mixpanel.com",
	},
	Read: readMe,
}

func readMe(creds hookbridge.Credentials, a hookbridge.Answer) (hookbridge.Verification, bool) {
	if a.Status == http.StatusUnauthorized {
		return hookbridge.Verification{Result: hookbridge.VerifyWrongKey,
			Message: "Mixpanel refused the service account (401): the username or secret is wrong, or the account was deleted",
			Fix:     "check the Service account username and secret (Organization Settings → Service Accounts)"}, true
	}
	if a.Status != http.StatusOK {
		return hookbridge.Verification{}, false
	}
	var ans struct {
		Results struct {
			Projects map[string]json.RawMessage `json:"projects"`
		} `json:"results"`
	}
	project := creds[FieldProjectID]
	if json.Unmarshal(a.Body, &ans) == nil && ans.Results.Projects != nil && project != "" {
		if _, ok := ans.Results.Projects[project]; !ok {
			return hookbridge.Verification{Result: hookbridge.VerifyWrongKey,
				Message: fmt.Sprintf("Mixpanel accepted the service account, but it has no access to project %s: every import would be refused 403", project),
				Fix:     "check the Project ID, or give the service account a role on that project"}, true
		}
	}
	return hookbridge.Verification{Result: hookbridge.VerifyValid, Message: "Mixpanel accepted the service account, which may use project " + project}, true
}
