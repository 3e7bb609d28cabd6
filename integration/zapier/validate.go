package zapier

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/flatevent"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// limits are what a Catch Hook takes: POST, PUT or GET, at most 10 MB.
var limits = flatevent.Limits{
	Tool: "Zapier", MaxBytes: MaxBodyBytes,
	Methods: []string{http.MethodPost, http.MethodPut, http.MethodGet},
}

// validate lists what Zapier would refuse or read other than meant: a
// path that is no Catch Hook, a legacy hook (a lower rate limit), and the
// flat-event rules.
func validate(req *hookbridge.OutboundRequest, _ time.Time) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if u, err := url.Parse(req.URL); err == nil {
		ps = append(ps, pathProblems(u.Path)...)
	}
	return append(ps, flatevent.Validate(req, limits)...)
}

// pathProblems checks a Catch Hook path: /hooks/catch/<user id>/<hook>/,
// or the legacy /hooks/catch/<hook>/.
func pathProblems(path string) []hookbridge.Problem {
	rest, ok := strings.CutPrefix(path, PathPrefix)
	if !ok {
		return []hookbridge.Problem{kit.Problem("url",
			"the path "+path+" is not a Catch Hook: Zapier answers 404",
			"leave webhook.url as the credential's Catch Hook URL (https://hooks.zapier.com/hooks/catch/…)")}
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	if len(parts) == 1 && parts[0] != "" {
		return []hookbridge.Problem{kit.Warning("url",
			"this is a legacy Catch Hook URL (no user id in the path): Zapier takes only 1,000 requests every 5 minutes on it",
			"open the Zap's Catch Hook trigger and copy its current URL, https://hooks.zapier.com/hooks/catch/<user id>/<hook>/")}
	}
	return nil
}
