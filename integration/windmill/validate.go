package windmill

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/flatevent"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// asyncPath is an asynchronous run endpoint: a script by path (p) or hash
// (h), a flow by path (f) or by version (fv).
var asyncPath = regexp.MustCompile(`^/api/w/[^/]+/jobs/run/(p|f|h|fv)/[^/].*$`)

// syncPath is a synchronous one, which holds the request until the run
// ends.
var syncPath = regexp.MustCompile(`^/api/w/[^/]+/jobs/(run_wait_result|run_and_stream)/`)

// limits are the flat-event rules: Windmill's webhooks take POST with the
// arguments as the body.
var limits = flatevent.Limits{Tool: "Windmill", Methods: []string{http.MethodPost}}

// checkWebhookURL refuses, at create time, a URL that is not an https
// asynchronous run endpoint.
func checkWebhookURL(raw string) string {
	if msg := kit.CheckURL(raw, nil, ""); msg != "" {
		return msg
	}
	u, _ := url.Parse(strings.TrimSpace(raw))
	return pathMessage(u.Path)
}

// pathMessage says what is wrong with a webhook path, "" if nothing.
func pathMessage(path string) string {
	switch {
	case syncPath.MatchString(path):
		return "is a synchronous webhook (it waits for the run to end): copy the UUID/Async URL, …/jobs/run/p/<path>"
	case !asyncPath.MatchString(path):
		return "is not a Windmill webhook: its path should be /api/w/<workspace>/jobs/run/p/<script path> (or /f/ for a flow)"
	}
	return ""
}

// checkToken refuses what cannot be a bearer token.
func checkToken(v string) string {
	if strings.ContainsAny(v, " \t\r\n") {
		return "a token has no spaces: paste only the token, without \"Bearer\""
	}
	return ""
}

// validate lists what Windmill would refuse: a path that is no
// asynchronous run endpoint, and the flat-event rules (the body is the
// arguments object).
func validate(req *hookbridge.OutboundRequest, _ time.Time) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if u, err := url.Parse(req.URL); err == nil {
		if msg := pathMessage(u.Path); msg != "" {
			ps = append(ps, kit.Problem("url", "the URL "+msg,
				"leave webhook.url as the credential's async webhook URL"))
		}
	}
	return append(ps, flatevent.Validate(req, limits)...)
}
