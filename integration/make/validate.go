package make

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/flatevent"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// limits are what a custom webhook takes: at most 5 MB.
var limits = flatevent.Limits{
	Tool: "Make", MaxBytes: MaxBodyBytes,
	Methods: []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodGet},
}

// validate lists what Make would refuse or read other than meant: a URL
// without the webhook's token, and the flat-event rules.
func validate(req *hookbridge.OutboundRequest, _ time.Time) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if u, err := url.Parse(req.URL); err == nil && strings.Trim(u.Path, "/") == "" {
		ps = append(ps, kit.Problem("url", "the URL has no webhook token in its path: Make answers that no scenario listens",
			"leave webhook.url as the credential's webhook address (https://hook.eu1.make.com/<token>)"))
	}
	return append(ps, flatevent.Validate(req, limits)...)
}
