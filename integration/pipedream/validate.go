package pipedream

import (
	"net/http"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/flatevent"
)

// limits are what an HTTP trigger takes: at most 512 KB of body.
var limits = flatevent.Limits{
	Tool: "Pipedream", MaxBytes: MaxBodyBytes,
	Methods: []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodGet},
}

// validate lists what Pipedream would refuse or read other than meant:
// the flat-event rules with its 512 KB limit.
func validate(req *hookbridge.OutboundRequest, _ time.Time) []hookbridge.Problem {
	return flatevent.Validate(req, limits)
}
