package httpapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

// Limits on what one app may hold. Body sizes are bounded by
// Config.MaxBodyBytes and MaxIngestBytes, text and nesting by
// checkJSONInput, header sizes by the http.Server (node sets
// MaxHeaderBytes), code size by the sandbox (a 422 on
// transformation.code), calls per token by Config.RateLimit.

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

// checkJSONInput applies the rules a JSON body taken in follows before it
// is decoded, whether it comes to the API (jsonbody.Strict) or from a
// source: it is one JSON value, UTF-8 text (RFC 8259, stored and shown as
// it came), nested at most jsonbody.MaxDepth deep. A body that fails is
// answered 400 with what is wrong.
func checkJSONInput(body []byte, rules jsonbody.Rules) error {
	err := jsonbody.Check(body, rules)
	if err == nil {
		return nil
	}
	return describeJSONError(err)
}

// checkJSONObject is checkJSONInput for a body that must be a JSON object,
// refusing null, a number or an array.
func checkJSONObject(body []byte, rules jsonbody.Rules) error {
	if err := checkJSONInput(body, rules); err != nil {
		return err
	}
	if !isJSONObject(body) {
		return errNotObject
	}
	return nil
}

var errNotObject = errorf(http.StatusBadRequest, "invalid_json", "the body must be a JSON object")

// describeJSONError turns an error of jsonbody into a 400 answer.
func describeJSONError(err error) error {
	var (
		depthErr  *jsonbody.DepthError
		kindErr   *jsonbody.KindError
		syntaxErr *jsontext.SyntacticError
	)
	switch {
	case errors.Is(err, io.EOF):
		return errorf(http.StatusBadRequest, "invalid_json", "the body is empty; send a JSON object")
	case errors.Is(err, jsonbody.ErrInvalidUTF8):
		return errorf(http.StatusBadRequest, "invalid_utf8", "the body is not valid UTF-8: JSON text must be UTF-8 (RFC 8259)")
	case errors.As(err, &depthErr):
		return errorf(http.StatusBadRequest, "too_deep", "the body is nested deeper than %d levels of arrays and objects", depthErr.Limit)
	case errors.As(err, &kindErr):
		return errNotObject
	case errors.Is(err, jsonbody.ErrTrailingData):
		return errorf(http.StatusBadRequest, "invalid_json", "the body holds more than one JSON value")
	case errors.Is(err, jsonbody.ErrDuplicateName):
		return errorf(http.StatusBadRequest, "duplicate_name", "the body names a member twice in one object (%s); each name may appear once",
			strings.TrimPrefix(err.Error(), "jsontext: "))
	case errors.As(err, &syntaxErr):
		return errorf(http.StatusBadRequest, "invalid_json", "the body is not valid JSON (at byte %d): %s",
			syntaxErr.ByteOffset, strings.TrimPrefix(syntaxErr.Error(), "jsontext: "))
	default:
		return errorf(http.StatusBadRequest, "invalid_json", "the body could not be read as JSON: %v", err)
	}
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
