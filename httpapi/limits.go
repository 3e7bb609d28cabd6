package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/hookbridge/hookbridge"
)

// Limits on what one app may hold. Body sizes are bounded by
// Config.MaxBodyBytes and MaxIngestBytes, text and nesting by
// checkJSONInput, header
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

// checkJSONInput applies the limits every JSON body taken in meets before
// it is decoded, whether it comes to the API or to ingest: it is valid
// UTF-8 (RFC 8259 text, which is stored and shown as it came), and its
// arrays and objects nest at most MaxJSONDepth deep. A body that fails is
// answered 400.
func checkJSONInput(body []byte) error {
	if !utf8.Valid(body) {
		return errorf(http.StatusBadRequest, "invalid_utf8", "the body is not valid UTF-8: JSON text must be UTF-8 (RFC 8259)")
	}
	if jsonDepth(body) > MaxJSONDepth {
		return errorf(http.StatusBadRequest, "too_deep", "the body is nested deeper than %d levels of arrays and objects", MaxJSONDepth)
	}
	return nil
}

// checkJSONObject refuses a body that is not a JSON object, such as null,
// a number or an array. An empty body is left to the decoder to describe.
func checkJSONObject(body []byte) error {
	if len(bytes.TrimSpace(body)) > 0 && !isJSONObject(body) {
		return errorf(http.StatusBadRequest, "invalid_json", "the body must be a JSON object")
	}
	return nil
}

// checkRequestText wraps the handler of a route with path pattern path:
// it refuses, with 400, a path id that no resource can have (see
// hookbridge.ValidID: at most MaxIDBytes bytes, printable UTF-8) and a query
// value that is not text a store can compare (hookbridge.ValidText: UTF-8
// without NUL), so that every store answers them alike.
func checkRequestText(path string, h handlerFunc) handlerFunc {
	wildcards := pathWildcards(path)
	return func(w http.ResponseWriter, r *http.Request) error {
		for _, name := range wildcards {
			if v := r.PathValue(name); !hookbridge.ValidID(v) {
				return errorf(http.StatusBadRequest, "invalid_id",
					"the %s in the path is not an id: ids are 1 to %d bytes of printable UTF-8", name, hookbridge.MaxIDBytes)
			}
		}
		if r.URL.RawQuery == "" {
			return h(w, r)
		}
		for key, values := range r.URL.Query() {
			for _, v := range values {
				if !hookbridge.ValidText(key) || !hookbridge.ValidText(v) {
					return errorf(http.StatusBadRequest, "invalid_query",
						"the query parameter %q is not valid UTF-8 text without NUL characters", key)
				}
			}
		}
		return h(w, r)
	}
}

// pathWildcards returns the names of the wildcards of a path pattern:
// "app" and "id" for "/api/v1/apps/{app}/endpoints/{id}".
func pathWildcards(path string) []string {
	var names []string
	for _, segment := range strings.Split(path, "/") {
		if name, ok := strings.CutPrefix(segment, "{"); ok {
			names = append(names, strings.TrimSuffix(strings.TrimSuffix(name, "}"), "..."))
		}
	}
	return names
}
