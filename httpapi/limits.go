package httpapi

import (
	"context"
	"net/http"
)

// Limits on what one app may hold. Body sizes are bounded by
// Config.MaxBodyBytes and MaxIngestBytes, nesting by MaxJSONDepth, header
// sizes by the http.Server (node sets MaxHeaderBytes), code size by the
// sandbox (a 422 on transformation.code), calls per token by
// Config.RateLimit.

// DefaultMaxEndpointsPerApp is how many endpoints an app may have unless
// configured otherwise.
const DefaultMaxEndpointsPerApp = 1000

// checkEndpointRoom refuses a new endpoint when the app has as many as it
// may. Two creations racing at the limit may both pass: the limit guards
// against runaway scripts, not against a careful count.
func (s *Server) checkEndpointRoom(ctx context.Context, appID string) error {
	eps, err := s.store.ListEndpoints(ctx, appID)
	if err != nil {
		return err
	}
	if len(eps) >= s.maxEndpoints {
		return errorf(http.StatusUnprocessableEntity, "limit_reached",
			"this app already has %d endpoints, the most it may have (HOOKBRIDGE_MAX_ENDPOINTS_PER_APP); delete one first", len(eps))
	}
	return nil
}
