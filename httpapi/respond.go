package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

// apiError is the body of every error answer.
type apiError struct {
	Status  int                     `json:"-"`
	Code    string                  `json:"code"`
	Message string                  `json:"message"`
	Fields  []hookbridge.FieldError `json:"fields,omitempty"`
	// saveReport lists, in a transformation_rejected answer, what the
	// save check found (see savecheck.go).
	*saveReport
}

func (e *apiError) Error() string { return e.Message }

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

var errNotFound = errorf(http.StatusNotFound, "not_found", "no such resource")

// writeJSON answers status with v as JSON. It returns nil, for a handler
// to end with: once the answer has begun, a failure to write the rest can
// no longer be answered.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return nil
}

// writeNoContent answers 204 No Content after an action that succeeded, and
// returns the action's error otherwise.
func writeNoContent(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// writeError answers with the JSON error body. Unknown errors are logged and
// answered 500 without details, so no internals (or secrets) leak.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var apiErr *apiError
	var verr *hookbridge.ValidationError
	switch {
	case errors.As(err, &apiErr):
	case errors.As(err, &verr):
		apiErr = &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: verr.Error(), Fields: verr.Fields}
	case errors.Is(err, hookbridge.ErrNotFound):
		apiErr = errNotFound
	case errors.Is(err, hookbridge.ErrConflict):
		apiErr = errorf(http.StatusConflict, "conflict", "a resource with this id already exists")
	case errors.Is(err, hookbridge.ErrStorageFull):
		s.log.ErrorContext(r.Context(), "write refused: storage full", "method", r.Method, "path", r.URL.Path, "err", err)
		setRetryAfter(w)
		apiErr = errStorageFull
	default:
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		apiErr = errorf(http.StatusInternalServerError, "internal", "internal error; the server log has details")
	}
	writeJSON(w, apiErr.Status, map[string]any{"error": apiErr})
}

// decodeJSON reads a JSON object body of at most limit bytes into v, by
// the jsonbody.Strict rules, refusing unknown fields, with errors a
// person can act on. The Content-Type is not checked (curl -d sends a
// form type): the body must simply be JSON. Cookie
// sessions are protected from cross-site posts by the CSRF header, not by
// the content type.
func decodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	body, err := readBody(w, r, limit)
	if err != nil {
		return describeDecodeError(err, limit)
	}
	return decodeJSONBody(body, limit, v)
}

// maxBodyPrealloc bounds the buffer readBody makes before the body has
// come, whatever Content-Length announces.
const maxBodyPrealloc = 64 << 10

// readBody reads a request body of at most limit bytes, as io.ReadAll on
// http.MaxBytesReader does (with its errors), but into a buffer sized by
// the Content-Length, so that a body read costs one allocation, not a
// series of growing ones.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	src := http.MaxBytesReader(w, r.Body, limit)
	size := int64(bytes.MinRead)
	if r.ContentLength > 0 {
		// One byte more, so the read that finds the end needs no room.
		size = min(r.ContentLength, limit, maxBodyPrealloc) + 1
	}
	buf := make([]byte, 0, size)
	for {
		n, err := src.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // let append pick the next size
		}
	}
}

// decodeJSONBody is decodeJSON on a body already read.
func decodeJSONBody(body []byte, limit int64, v any) error {
	if err := checkJSONObject(body, jsonbody.Strict); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return describeDecodeError(err, limit)
	}
	return nil
}

func describeDecodeError(err error, limit int64) error {
	var (
		maxErr    *http.MaxBytesError
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &maxErr):
		return errorf(http.StatusRequestEntityTooLarge, "too_large", "the body is larger than %d bytes", limit)
	case errors.Is(err, io.EOF):
		return errorf(http.StatusBadRequest, "invalid_json", "the body is empty; send a JSON object")
	case errors.As(err, &syntaxErr):
		return errorf(http.StatusBadRequest, "invalid_json", "the body is not valid JSON (at byte %d): %v", syntaxErr.Offset, err)
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return errorf(http.StatusBadRequest, "invalid_json", "the body must be a JSON object")
		}
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: fmt.Sprintf("%s must be of type %s", field, typeErr.Type),
			Fields: []hookbridge.FieldError{{Field: field, Message: fmt.Sprintf("must be of type %s, not %s", typeErr.Type, typeErr.Value)}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: "unknown field " + name,
			Fields: []hookbridge.FieldError{{Field: name, Message: "unknown field"}}}
	default:
		return errorf(http.StatusBadRequest, "invalid_json", "the body could not be read as JSON: %v", err)
	}
}
