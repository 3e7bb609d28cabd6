package httpapi

import (
	"cmp"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// The OpenAPI 3.1 description of the whole API, written by hand as Go
// data: one apiOperation per route (openapi_ops.go) and the schemas of the
// bodies (openapi_schemas.go). A test keeps it in step with the routes the
// server really answers and with the JSON fields of the request and
// resource types, and docs/api.md is generated from it.

// apiOperation documents one route.
type apiOperation struct {
	Method, Path string
	Tag          string
	Summary      string
	Description  string
	Query        []apiParam
	// Body is the schema of the JSON request body, nil if there is none.
	Body         schema
	BodyOptional bool
	Responses    []apiResponse
	// Public operations need no token.
	Public bool
}

// apiParam is a query parameter.
type apiParam struct {
	Name, Description string
	Schema            schema
	Required          bool
}

// apiResponse is one possible answer.
type apiResponse struct {
	Status      int
	Description string
	// Schema describes a JSON body; nil means no body, or a body of
	// ContentType described only in words.
	Schema      schema
	ContentType string
}

// schema is a JSON Schema, as OpenAPI 3.1 takes it.
type schema = map[string]any

// pathParams describes the parameters of paths.
var pathParams = map[string]string{
	"app":      "The app's id (`default` on a single-user install).",
	"id":       "The resource's id.",
	"n":        "A version's number, from 1.",
	"name":     "The event type's name, such as `payment.succeeded`.",
	"source":   "The source's id, as in its ingest URL.",
	"customer": "A customer id (`cus_…`) or e-mail address, as the payloads name the customer; URL-escaped.",
}

var pathParamPattern = regexp.MustCompile(`\{([a-z_]+)\}`)

// OpenAPI returns the OpenAPI 3.1 description of the API as JSON.
func OpenAPI() []byte {
	openAPIOnce.Do(func() {
		doc, err := json.MarshalIndent(openAPIDocument(), "", "  ")
		if err != nil {
			panic("httpapi: OpenAPI document: " + err.Error())
		}
		openAPIJSON = doc
	})
	return openAPIJSON
}

var (
	openAPIOnce sync.Once
	openAPIJSON []byte
)

func (s *Server) serveOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(OpenAPI())
	return err
}

func openAPIDocument() schema {
	paths := schema{}
	for _, op := range apiOperations() {
		item, _ := paths[op.Path].(schema)
		if item == nil {
			item = schema{}
			paths[op.Path] = item
		}
		item[strings.ToLower(op.Method)] = op.document()
	}
	return schema{
		"openapi": "3.1.0",
		"info": schema{
			"title":   "hookbridge API",
			"version": "1",
			"description": "Manage apps, endpoints, sources, messages and deliveries of a hookbridge server, " +
				"and post events to it. Management calls need `Authorization: Bearer <token>`: an admin token, " +
				"or a token of one app, which sees only that app (another app's resources answer 404). " +
				"Errors are JSON: `{\"error\": {\"code\", \"message\", \"fields\"}}`.",
		},
		"tags":  apiTags(),
		"paths": paths,
		"components": schema{
			"schemas": withTimelineSchemas(withVersionSchemas(withAppWideSchemas(withVerifySchemas(withSlackOAuthSchemas(withDeliveryControlSchemas(apiSchemas())))))),
			"securitySchemes": schema{
				"bearer": schema{"type": "http", "scheme": "bearer",
					"description": "An API token (`hbk_…`). A dashboard session cookie works too, with the `X-CSRF-Token` header on changing calls."},
			},
		},
		"security": []any{schema{"bearer": []any{}}},
	}
}

func (op apiOperation) document() schema {
	out := schema{
		"operationId": operationID(op.Method, op.Path),
		"tags":        []any{op.Tag},
		"summary":     op.Summary,
	}
	if op.Description != "" {
		out["description"] = op.Description
	}
	var params []any
	for _, m := range pathParamPattern.FindAllStringSubmatch(op.Path, -1) {
		params = append(params, schema{"name": m[1], "in": "path", "required": true,
			"description": pathParams[m[1]], "schema": schema{"type": "string"}})
	}
	for _, q := range op.Query {
		params = append(params, schema{"name": q.Name, "in": "query", "required": q.Required,
			"description": q.Description, "schema": q.Schema})
	}
	if params != nil {
		out["parameters"] = params
	}
	if op.Body != nil {
		out["requestBody"] = schema{"required": !op.BodyOptional,
			"content": schema{"application/json": schema{"schema": op.Body}}}
	}
	responses := schema{}
	for _, r := range op.Responses {
		resp := schema{"description": r.Description}
		switch {
		case r.Schema != nil:
			ct := cmp.Or(r.ContentType, "application/json")
			resp["content"] = schema{ct: schema{"schema": r.Schema}}
		case r.ContentType != "":
			resp["content"] = schema{r.ContentType: schema{"schema": schema{"type": "string"}}}
		}
		responses[strconv.Itoa(r.Status)] = resp
	}
	out["responses"] = responses
	if op.Public {
		out["security"] = []any{}
	}
	return out
}

// operationID makes an id such as getApiV1AppsAppEndpointsId.
func operationID(method, path string) string {
	id := strings.ToLower(method)
	upperNext := true
	for _, c := range path {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			if upperNext && c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			id += string(c)
			upperNext = false
		default:
			upperNext = true
		}
	}
	return id
}

// Schema helpers.

func ref(name string) schema { return schema{"$ref": "#/components/schemas/" + name} }

func str(desc string) schema { return schema{"type": "string", "description": desc} }

func strEnum(desc string, values ...string) schema {
	return schema{"type": "string", "description": desc, "enum": anyList(values)}
}

func dateTime(desc string) schema {
	return schema{"type": "string", "format": "date-time", "description": desc}
}

func integer(desc string) schema { return schema{"type": "integer", "description": desc} }

func number(desc string) schema { return schema{"type": "number", "description": desc} }

func boolean(desc string) schema { return schema{"type": "boolean", "description": desc} }

func arrayOf(items schema, desc string) schema {
	return schema{"type": "array", "items": items, "description": desc}
}

func stringMap(desc string) schema {
	return schema{"type": "object", "additionalProperties": schema{"type": "string"}, "description": desc}
}

func anyJSON(desc string) schema { return schema{"description": desc} }

func object(desc string, props schema, required ...string) schema {
	out := schema{"type": "object", "properties": props}
	if desc != "" {
		out["description"] = desc
	}
	if len(required) > 0 {
		out["required"] = anyList(required)
	}
	return out
}

// anyList is a list of strings as a JSON Schema keyword's value.
func anyList(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}

// orNull allows null besides the schema.
func orNull(s schema) schema {
	return schema{"anyOf": []any{s, schema{"type": "null"}}}
}

// listOf is the body of a listing: {"data": [...]}.
func listOf(item string) schema {
	return object("", schema{"data": arrayOf(ref(item), "")}, "data")
}

// pageOf is a listing that pages: {"data": [...], "next_before": "…"}.
func pageOf(item string) schema {
	return object("", schema{
		"data":        arrayOf(ref(item), "Newest first."),
		"next_before": str("Present when the page is full: pass it as `before` for the next page."),
	}, "data")
}

// Responses that many operations share.

func ok(desc string, s schema) apiResponse {
	return apiResponse{Status: 200, Description: desc, Schema: s}
}

func created(desc string, s schema) apiResponse {
	return apiResponse{Status: 201, Description: desc, Schema: s}
}

func accepted(desc string, s schema) apiResponse {
	return apiResponse{Status: 202, Description: desc, Schema: s}
}

func noContent(desc string) apiResponse { return apiResponse{Status: 204, Description: desc} }

func failure(status int, desc string) apiResponse {
	return apiResponse{Status: status, Description: desc, Schema: ref("Error")}
}

var (
	errBadBody = failure(400, "The body is not a JSON object, is not valid UTF-8, has trailing data, or nests deeper than 64 levels; "+
		"or an id in the path (1 to 255 bytes of printable UTF-8) or a query value (UTF-8 without NUL) is not text.")
	errNoToken        = failure(401, "No token, or an unknown, revoked or expired one.")
	errNotAdmin       = failure(403, "The call needs an admin token.")
	errNoResource     = failure(404, "No such resource in this app, or the app is not the token's.")
	errTooLarge       = failure(413, "The body is larger than the limit.")
	errInvalid        = failure(422, "A field is invalid; `fields` names each one and what is wrong.")
	errRateLimited    = failure(429, "Too many calls with this token; the `Retry-After` header says when to try again.")
	errStorageFullDoc = failure(503, "The server's storage is full and nothing was stored; the `Retry-After` header says when to try again.")
	errsOfReading     = []apiResponse{errNoToken, errNoResource, errRateLimited}
	errsOfChanging    = []apiResponse{errBadBody, errNoToken, errNoResource, errTooLarge, errInvalid, errRateLimited, errStorageFullDoc}
	errsOfAppListed   = []apiResponse{errNoToken, errRateLimited}
)

// The answers of calls that run an app's transformation code (see
// admission.go).
var (
	errsOfRunningCode = []apiResponse{errBadBody, errNoToken, errNoResource, errTooLarge, errInvalid, errTooManyRuns, errRunsBusy}
	errTooManyRuns    = failure(429, "Too many calls with this token, or as many of the app's transformations running as one app may have "+
		"(code `too_many_transformations`); the `Retry-After` header says when to try again.")
	errRunsBusy = failure(503, "As many transformations running as the server runs at once, or their memory budget spent "+
		"(code `transformations_busy`); the `Retry-After` header says when to try again.")
)

func with(rs []apiResponse, more ...apiResponse) []apiResponse {
	out := append([]apiResponse(nil), more...)
	return append(out, rs...)
}

// Query parameters that listings share.

var (
	qBefore = apiParam{Name: "before", Description: "Cursor: only items with an id lower than this one (the previous page's `next_before`).", Schema: schema{"type": "string"}}
	qLimit  = apiParam{Name: "limit", Description: "Page size, 1 to 250 (default 50).", Schema: schema{"type": "integer", "minimum": 1, "maximum": 250}}
	qSince  = apiParam{Name: "since", Description: "Only items created at or after this RFC 3339 time.", Schema: schema{"type": "string", "format": "date-time"}}
	qUntil  = apiParam{Name: "until", Description: "Only items created before this RFC 3339 time.", Schema: schema{"type": "string", "format": "date-time"}}
	qEvent  = apiParam{Name: "event_type", Description: "Only this event type.", Schema: schema{"type": "string"}}
	qStatus = apiParam{Name: "status", Description: "Only deliveries in this status.", Schema: strEnum("", "pending", "succeeded", "failed", "skipped", "cancelled")}
)
