package n8n

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/flatevent"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// limits are the flat-event rules; the size is checked apart, as a
// warning, since an instance may raise it.
var limits = flatevent.Limits{
	Tool:    "n8n",
	Methods: []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodGet, http.MethodDelete, http.MethodHead},
}

// validate lists what n8n would refuse or read other than meant: a test
// URL (it listens only while the editor waits for a test event), a body
// over the default size limit, and the flat-event rules.
func validate(req *hookbridge.OutboundRequest, _ time.Time) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if u, err := url.Parse(req.URL); err == nil && strings.Contains(u.Path, "/webhook-test/") {
		ps = append(ps, kit.Warning("url",
			"this is the Webhook node's Test URL: n8n registers it only for 120 seconds after \"Listen for test event\" and answers 404 otherwise",
			"use the node's Production URL (…/webhook/…) and activate the workflow"))
	}
	if len(req.Body) > DefaultMaxBodyBytes {
		ps = append(ps, kit.Warning("body",
			fmt.Sprintf("the body is %d bytes; n8n takes at most %d unless N8N_PAYLOAD_SIZE_MAX is raised, and answers 413", len(req.Body), DefaultMaxBodyBytes),
			"send only the fields the workflow uses (the flat templates do)"))
	}
	return append(ps, flatevent.Validate(req, limits)...)
}
