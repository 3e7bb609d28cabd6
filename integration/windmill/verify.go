package windmill

import (
	"fmt"
	"net/http"
	"regexp"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// workspaceInPath finds the workspace in a webhook URL's path,
// /api/w/{workspace}/jobs/….
var workspaceInPath = regexp.MustCompile(`^/api/w/([^/]+)/`)

// verify checks the token with GET /api/w/{workspace}/users/whoami on the
// webhook URL's own host (Windmill Cloud or a self-hosted instance).
var verify = &kit.Verify{
	URL: func(creds hookbridge.Credentials) (string, error) {
		u, err := kit.URLCredentialHost(creds, FieldWebhookURL)
		if err != nil {
			return "", err
		}
		m := workspaceInPath.FindStringSubmatch(u.EscapedPath())
		if m == nil {
			return "", fmt.Errorf("the webhook URL names no workspace: it should look like https://%s/api/w/<workspace>/jobs/run/p/<path>", u.Host)
		}
		return "https://" + u.Host + "/api/w/" + m[1] + "/users/whoami", nil
	},
	Read: func(_ hookbridge.Credentials, a hookbridge.Answer) (hookbridge.Verification, bool) {
		if a.Status == http.StatusNotFound {
			return hookbridge.Verification{Result: hookbridge.VerifyWrongKey,
				Message: "Windmill does not know the webhook URL's workspace (404)",
				Fix:     "copy the webhook URL again from the script's or flow's Triggers → Webhooks panel"}, true
		}
		return hookbridge.Verification{}, false
	},
}
