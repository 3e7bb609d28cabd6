package customerio

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// RegionPath is the Track API's account-region call: it answers, for
// good Track credentials, the account's region and its Track URL, and it
// is answered on the US host for an account of either region.
const RegionPath = "/api/v1/accounts/region"

// verify checks the Track credentials with the account-region call, which
// also says which region the account is in.
var verify = &kit.Verify{
	Path: RegionPath,
	Host: HostUS,
	Read: readRegion,
}

// regionAnswer is the account-region call's answer.
type regionAnswer struct {
	URL           string `json:"url"`
	Region        string `json:"region"`
	EnvironmentID int64  `json:"environment_id"`
}

// readRegion reads the account-region answer: the region it names against
// the credentials' region. Other statuses are read by their code.
func readRegion(creds hookbridge.Credentials, a hookbridge.Answer) (hookbridge.Verification, bool) {
	if a.Status != http.StatusOK {
		return hookbridge.Verification{}, false
	}
	var ans regionAnswer
	if err := json.Unmarshal(a.Body, &ans); err != nil || (ans.Region != RegionUS && ans.Region != RegionEU) {
		return hookbridge.Verification{Result: hookbridge.VerifyValid,
			Message: "Customer.io accepted the Track credentials, but did not say the account's region"}, true
	}
	chosen := creds[FieldRegion]
	if chosen == "" {
		chosen = RegionUS
	}
	if ans.Region != chosen {
		return hookbridge.Verification{
			Result: hookbridge.VerifyWrongRegion, Region: ans.Region,
			Message: fmt.Sprintf("the Track credentials are good, but the account is in the %s region, not %s: requests to %s would be refused or pass through the wrong region",
				regionName(ans.Region), regionName(chosen), hostOf(chosen)),
			Fix:    fmt.Sprintf("set Region to %s", ans.Region),
			Switch: map[string]string{FieldRegion: ans.Region},
		}, true
	}
	return hookbridge.Verification{Result: hookbridge.VerifyValid, Region: ans.Region,
		Message: fmt.Sprintf("Customer.io accepted the Track credentials; the account is in the %s region (workspace environment %d)", regionName(ans.Region), ans.EnvironmentID)}, true
}

func regionName(r string) string {
	if r == RegionEU {
		return "EU"
	}
	return "US"
}

func hostOf(r string) string {
	if r == RegionEU {
		return HostEU
	}
	return HostUS
}
