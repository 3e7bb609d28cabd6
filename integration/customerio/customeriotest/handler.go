package customeriotest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/hookbridge/hookbridge/integration/internal/fakeapi"
)

const (
	maxOpBytes    = 32 << 10
	maxBatchBytes = 500 << 10
	maxIDBytes    = 150
	maxNameBytes  = 100
)

var (
	validTypes    = []string{"person", "object", "delivery"}
	personActions = []string{
		"identify", "delete", "event", "screen", "page", "add_relationships",
		"delete_relationships", "add_device", "delete_device", "merge", "suppress", "unsuppress",
	}
	eventActions      = []string{"event", "page", "screen"}
	personIdentifiers = []string{"id", "email", "phone", "cio_id"}
)

// apiError is one entry of a v2 error answer.
type apiError struct {
	BatchIndex *int   `json:"batch_index,omitempty"`
	Reason     string `json:"reason"`
	Field      string `json:"field,omitempty"`
	Message    string `json:"message"`
}

func (s *Server) handle(r *http.Request, body []byte) fakeapi.Response {
	if !s.authorized(r) {
		return fakeapi.Response{Status: http.StatusUnauthorized}
	}
	path := strings.TrimSuffix(r.URL.EscapedPath(), "/")
	route := r.Method + " " + r.URL.Path
	switch {
	case path == "/api/v2/entity":
		return onlyPOST(r, func() fakeapi.Response { return s.entity(route, r, body) })
	case path == "/api/v2/batch":
		return onlyPOST(r, func() fakeapi.Response { return s.batch(route, r, body) })
	case path == "/api/v1/events":
		return onlyPOST(r, func() fakeapi.Response { return s.v1Event(route, "", r, body) })
	case path == "/api/v1/accounts/region":
		if r.Method != http.MethodGet {
			return fakeapi.Response{Status: http.StatusMethodNotAllowed}
		}
		return fakeapi.JSONResponse(http.StatusOK, s.regionInfo())
	}
	id, sub, ok := customerPath(path)
	switch {
	case !ok:
		return fakeapi.TextResponse(http.StatusNotFound, "404 page not found")
	case len(id) > maxIDBytes:
		return v1Error(fmt.Sprintf("customer id is longer than %d bytes", maxIDBytes))
	case sub == "events":
		return onlyPOST(r, func() fakeapi.Response { return s.v1Event(route, id, r, body) })
	case r.Method == http.MethodPut:
		return s.v1Identify(route, id, r, body)
	case r.Method == http.MethodDelete:
		s.accept(Op{Route: route, Type: "person", Action: "delete", Identifiers: map[string]any{"id": id}})
		return fakeapi.JSONResponse(http.StatusOK, struct{}{})
	}
	return fakeapi.Response{Status: http.StatusMethodNotAllowed}
}

func onlyPOST(r *http.Request, next func() fakeapi.Response) fakeapi.Response {
	if r.Method != http.MethodPost {
		return fakeapi.Response{Status: http.StatusMethodNotAllowed}
	}
	return next()
}

// customerPath splits /api/v1/customers/{id}[/events].
func customerPath(path string) (id, sub string, ok bool) {
	rest, found := strings.CutPrefix(path, "/api/v1/customers/")
	if !found {
		return "", "", false
	}
	parts := strings.Split(rest, "/")
	id, err := url.PathUnescape(parts[0])
	if err != nil || id == "" || len(parts) > 2 || (len(parts) == 2 && parts[1] != "events") {
		return "", "", false
	}
	if len(parts) == 2 {
		sub = parts[1]
	}
	return id, sub, true
}

func (s *Server) regionInfo() map[string]any {
	host := hostUS
	if s.region == "eu" {
		host = hostEU
	}
	return map[string]any{"url": "https://" + host, "region": s.region, "environment_id": 1}
}

func (s *Server) entity(route string, r *http.Request, body []byte) fakeapi.Response {
	if e := bodyError(r, body, maxOpBytes); e != nil {
		return v2Errors(http.StatusBadRequest, *e)
	}
	raw, err := decode(body)
	if err != nil {
		return v2Errors(http.StatusBadRequest, apiError{Reason: "invalid_json", Message: err.Error()})
	}
	if errs := checkOp(raw); len(errs) > 0 {
		return v2Errors(http.StatusBadRequest, errs...)
	}
	s.accept(opOf(route, 0, raw, body))
	return fakeapi.JSONResponse(http.StatusOK, struct{}{})
}

func (s *Server) batch(route string, r *http.Request, body []byte) fakeapi.Response {
	if e := bodyError(r, body, maxBatchBytes); e != nil {
		return v2Errors(http.StatusBadRequest, *e)
	}
	var top struct {
		Batch []json.RawMessage `json:"batch"`
	}
	if err := json.Unmarshal(body, &top); err != nil || len(top.Batch) == 0 {
		return v2Errors(http.StatusBadRequest, apiError{Reason: "invalid", Field: "batch", Message: "batch must be a non-empty array of operations"})
	}
	var errs []apiError
	var ops []Op
	for _, i := range s.applyOrder(len(top.Batch)) {
		item := top.Batch[i]
		itemErrs := checkBatchItem(item)
		for _, e := range itemErrs {
			e.BatchIndex = &i
			errs = append(errs, e)
		}
		if len(itemErrs) == 0 {
			raw, _ := decode(item)
			ops = append(ops, opOf(route, i, raw, item))
		}
	}
	s.accept(ops...)
	if len(errs) > 0 {
		slices.SortFunc(errs, func(a, b apiError) int { return *a.BatchIndex - *b.BatchIndex })
		return v2Errors(http.StatusMultiStatus, errs...)
	}
	return fakeapi.JSONResponse(http.StatusOK, struct{}{})
}

func checkBatchItem(item json.RawMessage) []apiError {
	if len(item) > maxOpBytes {
		return []apiError{{Reason: "too_large", Message: fmt.Sprintf("operation is larger than %d bytes", maxOpBytes)}}
	}
	raw, err := decode(item)
	if err != nil {
		return []apiError{{Reason: "invalid", Message: "operation must be an object"}}
	}
	return checkOp(raw)
}

// checkOp applies the rules Customer.io enforces on a v2 operation.
func checkOp(op map[string]any) []apiError {
	var errs []apiError
	typ, _ := op["type"].(string)
	if !slices.Contains(validTypes, typ) {
		errs = append(errs, apiError{Reason: "invalid", Field: "type", Message: "type must be one of person, object, delivery"})
	}
	ids, isObject := op["identifiers"].(map[string]any)
	if !isObject || len(ids) == 0 {
		errs = append(errs, apiError{Reason: "required", Field: "identifiers", Message: "identifiers are required"})
	} else if typ == "person" {
		errs = append(errs, checkPersonIdentifiers(ids)...)
	}
	action, _ := op["action"].(string)
	switch {
	case action == "":
		errs = append(errs, apiError{Reason: "required", Field: "action", Message: "action is required"})
	case typ == "person" && !slices.Contains(personActions, action):
		errs = append(errs, apiError{Reason: "invalid", Field: "action", Message: fmt.Sprintf("%q is not a valid action for a person", action)})
	}
	if slices.Contains(eventActions, action) {
		name, _ := op["name"].(string)
		switch {
		case strings.TrimSpace(name) == "":
			errs = append(errs, apiError{Reason: "required", Field: "name", Message: "name is required for " + action})
		case len(name) > maxNameBytes:
			errs = append(errs, apiError{Reason: "too_long", Field: "name", Message: fmt.Sprintf("name is longer than %d bytes", maxNameBytes)})
		}
	}
	if ts, present := op["timestamp"]; present && !isInteger(ts) {
		errs = append(errs, apiError{Reason: "invalid", Field: "timestamp", Message: "timestamp must be an integer (unix seconds)"})
	}
	return errs
}

func checkPersonIdentifiers(ids map[string]any) []apiError {
	var found []string
	for k, v := range ids {
		s, ok := v.(string)
		if !slices.Contains(personIdentifiers, k) || !ok || s == "" {
			return []apiError{{Reason: "invalid", Field: "identifiers", Message: "identifiers must hold one of id, email, phone, cio_id as a non-empty string"}}
		}
		if k == "id" && len(s) > maxIDBytes {
			return []apiError{{Reason: "too_long", Field: "identifiers.id", Message: fmt.Sprintf("id is longer than %d bytes", maxIDBytes)}}
		}
		found = append(found, k)
	}
	if len(found) != 1 {
		return []apiError{{Reason: "invalid", Field: "identifiers", Message: "exactly one identifier is allowed"}}
	}
	return nil
}

func (s *Server) v1Identify(route, id string, r *http.Request, body []byte) fakeapi.Response {
	if e := bodyError(r, body, maxOpBytes); e != nil {
		return v1Error(e.Message)
	}
	if _, err := decode(body); err != nil {
		return v1Error("body must be a JSON object")
	}
	exact, _ := decode(body)
	s.accept(Op{Route: route, Type: "person", Action: "identify", Identifiers: map[string]any{"id": id}, Attributes: plain(body), Body: plain(body), exactAttributes: exact})
	return fakeapi.JSONResponse(http.StatusOK, struct{}{})
}

// v1Event handles POST /api/v1/customers/{id}/events and, with no id,
// anonymous POST /api/v1/events.
func (s *Server) v1Event(route, customerID string, r *http.Request, body []byte) fakeapi.Response {
	if e := bodyError(r, body, maxOpBytes); e != nil {
		return v1Error(e.Message)
	}
	ev, err := decode(body)
	if err != nil {
		return v1Error("body must be a JSON object")
	}
	name, _ := ev["name"].(string)
	if strings.TrimSpace(name) == "" {
		return v1Error("missing required field: name")
	}
	if len(name) > maxNameBytes {
		return v1Error(fmt.Sprintf("name is longer than %d bytes", maxNameBytes))
	}
	if ts, present := ev["timestamp"]; present && !isInteger(ts) {
		return v1Error("timestamp must be an integer")
	}
	action, _ := ev["type"].(string)
	if action == "" {
		action = "event"
	}
	decoded := plain(body)
	op := Op{Route: route, Type: "person", Action: action, Name: name, Body: decoded, Timestamp: integer(ev["timestamp"])}
	op.ID, _ = ev["id"].(string)
	op.Attributes, _ = decoded["data"].(map[string]any)
	if customerID != "" {
		op.Identifiers = map[string]any{"id": customerID}
	} else if anon, ok := ev["anonymous_id"].(string); ok {
		op.Identifiers = map[string]any{"anonymous_id": anon}
	}
	s.accept(op)
	return fakeapi.JSONResponse(http.StatusOK, struct{}{})
}

// bodyError checks the content type and size of a request body.
func bodyError(r *http.Request, body []byte, limit int) *apiError {
	if !fakeapi.IsJSONContentType(r.Header.Get("Content-Type")) {
		return &apiError{Reason: "invalid_content_type", Message: "Content-Type must be application/json"}
	}
	if len(body) > limit {
		return &apiError{Reason: "too_large", Message: fmt.Sprintf("request body is larger than %d bytes", limit)}
	}
	return nil
}

// opOf records an accepted v2 operation.
func opOf(route string, index int, raw map[string]any, body []byte) Op {
	decoded := plain(body)
	op := Op{Route: route, BatchIndex: index, Body: decoded, Timestamp: integer(raw["timestamp"])}
	op.Type, _ = raw["type"].(string)
	op.Action, _ = raw["action"].(string)
	op.Name, _ = raw["name"].(string)
	op.ID, _ = raw["id"].(string)
	op.Identifiers, _ = decoded["identifiers"].(map[string]any)
	op.Attributes, _ = decoded["attributes"].(map[string]any)
	op.exactAttributes, _ = raw["attributes"].(map[string]any)
	return op
}

// applyOrder is the order in which a batch of n operations is applied.
func (s *Server) applyOrder(n int) []int {
	if s.batchOrder == nil {
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		return order
	}
	return s.batchOrder(n)
}

// decode reads a JSON object keeping numbers exact, for checking.
func decode(body []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, fmt.Errorf("body is not a JSON object")
	}
	if dec.More() {
		return nil, fmt.Errorf("data after the JSON object")
	}
	return obj, nil
}

// plain decodes a JSON object the usual way (numbers as float64), for
// tests to compare with.
func plain(body []byte) map[string]any {
	var obj map[string]any
	_ = json.Unmarshal(body, &obj)
	return obj
}

func isInteger(v any) bool {
	n, ok := v.(json.Number)
	if !ok {
		return false
	}
	_, err := n.Int64()
	return err == nil
}

func integer(v any) int64 {
	n, _ := v.(json.Number)
	i, _ := n.Int64()
	return i
}

func v2Errors(status int, errs ...apiError) fakeapi.Response {
	return fakeapi.JSONResponse(status, map[string]any{"errors": errs})
}

func v1Error(msg string) fakeapi.Response {
	return fakeapi.JSONResponse(http.StatusBadRequest, map[string]any{"meta": map[string]any{"errors": []string{msg}}})
}
