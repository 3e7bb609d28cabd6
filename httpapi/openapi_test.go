package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
)

// newBareServer is a Server with every route registered and no store, for
// tests that look at routes and documents only.
func newBareServer() *Server {
	return New(Config{
		Integrations: hookbridge.NewIntegrations(),
		Ready:        func(context.Context) error { return nil },
		Metrics:      http.NotFoundHandler(),
	})
}

func routeKey(method, path string) string { return method + " " + path }

// TestOpenAPIMatchesRoutes checks the description against the routes the
// server registers, both ways: every route is documented, and every
// documented operation is a route.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	routes := map[string]Route{}
	for _, r := range newBareServer().Routes() {
		routes[routeKey(r.Method, r.Path)] = r
	}
	documented := map[string]apiOperation{}
	for _, op := range apiOperations() {
		key := routeKey(op.Method, op.Path)
		if _, dup := documented[key]; dup {
			t.Errorf("%s is documented twice", key)
		}
		documented[key] = op
	}
	for key, r := range routes {
		op, ok := documented[key]
		if !ok {
			t.Errorf("route %s is not in the OpenAPI description (httpapi/openapi_ops.go)", key)
			continue
		}
		if op.Public != (r.Access == Public) {
			t.Errorf("%s: documented public=%v, but the route's access is %v", key, op.Public, r.Access)
		}
	}
	for key := range documented {
		if _, ok := routes[key]; !ok {
			t.Errorf("the OpenAPI description documents %s, which is no route", key)
		}
	}
}

// requestBodies are the Go types the documented request bodies decode
// into.
var requestBodies = map[string]any{
	"POST /auth/login":                                                           loginInput{},
	"POST /api/v1/apps":                                                          appInput{},
	"PATCH /api/v1/apps/{app}":                                                   appSettingsInput{},
	"POST /api/v1/apps/{app}/tokens":                                             tokenInput{},
	"POST /api/v1/apps/{app}/endpoints":                                          endpointInput{},
	"PATCH /api/v1/apps/{app}/endpoints/{id}":                                    endpointInput{},
	"POST /api/v1/apps/{app}/endpoints/{id}/recover":                             recoverInput{},
	"POST /api/v1/apps/{app}/transformations/test":                               testInput{},
	"POST /api/v1/apps/{app}/endpoints/{id}/transformation/preview":              previewInput{},
	"POST /api/v1/apps/{app}/endpoints/{id}/transformation/versions/{n}/restore": restoreInput{},
	"POST /api/v1/apps/{app}/messages":                                           messageInput{},
	"POST /api/v1/apps/{app}/sources":                                            sourceInput{},
	"PATCH /api/v1/apps/{app}/sources/{id}": struct {
		Name *string `json:"name"`
	}{},
	"POST /api/v1/apps/{app}/sources/{id}/rotate-secret": struct {
		Secret *string `json:"secret"`
	}{},
	"POST /api/v1/apps/{app}/endpoints/{id}/rotate-secret": struct {
		Secret *string `json:"secret"`
	}{},
	"POST /ingest/{source}":                                     nil, // the platform's event, any JSON object
	"POST /api/v1/apps/{app}/messages/{id}/resend":              resendInput{},
	"PUT /api/v1/apps/{app}/operational-webhook":                operationalWebhookInput{},
	"POST /api/v1/apps/{app}/integrations/{integration}/verify": verifyInput{},
	"POST /api/v1/apps/{app}/deliveries/retry-failed":           bulkRetryInput{},
	"POST /api/v1/apps/{app}/sources/{id}/send-sample":          sendSampleInput{},
	"POST /api/v1/apps/{app}/endpoints/{id}/send-test":          endpointTestInput{},
}

// TestOpenAPIRequestBodiesMatchTheirTypes: a documented request body has
// exactly the JSON fields of the type it is decoded into (decoding refuses
// unknown fields, so an undocumented one would be a trap either way).
func TestOpenAPIRequestBodiesMatchTheirTypes(t *testing.T) {
	doc := decodedOpenAPI(t)
	for _, op := range apiOperations() {
		key := routeKey(op.Method, op.Path)
		goType, known := requestBodies[key]
		if op.Body == nil {
			if known && goType != nil {
				t.Errorf("%s decodes a body, but none is documented", key)
			}
			continue
		}
		if !known {
			t.Errorf("%s documents a body: add its Go type to requestBodies", key)
			continue
		}
		if goType == nil {
			continue
		}
		checkFields(t, key+" request body", doc, op.Body, goType)
	}
}

// responseTypes are the Go values behind the documented schemas of
// resources.
var responseTypes = map[string]any{
	"App":                          hookbridge.App{},
	"AppWithSettings":              appView{},
	"Token":                        hookbridge.Token{},
	"AuditEntry":                   hookbridge.AuditEntry{},
	"Endpoint":                     endpointView{},
	"EndpointSaved":                savedEndpoint{},
	"SaveProblem":                  saveProblem{},
	"Transformation":               hookbridge.Transformation{},
	"Ordering":                     hookbridge.Ordering{},
	"Message":                      hookbridge.Message{},
	"Delivery":                     hookbridge.Delivery{},
	"Attempt":                      hookbridge.Attempt{},
	"RecordedRequest":              hookbridge.RecordedRequest{},
	"Integration":                  hookbridge.IntegrationInfo{},
	"CredentialField":              hookbridge.CredentialField{},
	"Template":                     hookbridge.Template{},
	"EventType":                    hookbridge.EventType{},
	"TestResult":                   testResult{},
	"Problem":                      hookbridge.Problem{},
	"CodeError":                    hookbridge.CodeError{},
	"SourceSecret":                 secretView{},
	"FieldError":                   hookbridge.FieldError{},
	"EndpointStats":                endpointStatsView{},
	"OperationalWebhook":           operationalWebhookView{},
	"RecoveryOffer":                recoveryOffer{},
	"TransformationVersion":        versionView{},
	"TransformationVersionSummary": versionSummary{},
	"TransformationDiff":           versionDiff{},
	"SlackOAuthStatus":             slackOAuthStatus{},
	"SlackOAuthStart":              slackOAuthStart{},
	"SlackGrant":                   slackGrant{},
	"SlackOAuthError":              slackOAuthError{},
	"SlackOAuthResult":             slackOAuthResult{},
	"CustomerTimeline":             timelinePage{},
	"TimelineEntry":                timelineEntry{},
	"TimelineDelivery":             timelineDelivery{},
}

// TestOpenAPIResourcesMatchTheirTypes: the schema of a resource has
// exactly the JSON fields of the Go type the API writes.
func TestOpenAPIResourcesMatchTheirTypes(t *testing.T) {
	doc := decodedOpenAPI(t)
	for name, goType := range responseTypes {
		checkFields(t, "schema "+name, doc, ref(name), goType)
	}
	// A source shows its secret only in the answer that made it.
	source := slices.DeleteFunc(jsonFields(reflect.TypeOf(sourceView{})), func(f string) bool { return f == "secret" })
	checkFieldList(t, "schema Source", properties(t, doc, ref("Source")), source)
	checkFieldList(t, "schema SourceCreated", properties(t, doc, ref("SourceCreated")), jsonFields(reflect.TypeOf(sourceView{})))
	checkFieldList(t, "schema TokenCreated", properties(t, doc, ref("TokenCreated")), jsonFields(reflect.TypeOf(tokenView{})))
}

func checkFields(t *testing.T, what string, doc map[string]any, s schema, goType any) {
	t.Helper()
	checkFieldList(t, what, properties(t, doc, s), jsonFields(reflect.TypeOf(goType)))
}

func checkFieldList(t *testing.T, what string, documented, actual []string) {
	t.Helper()
	sort.Strings(documented)
	sort.Strings(actual)
	if !slices.Equal(documented, actual) {
		t.Errorf("%s documents fields %v, but the Go type has %v", what, documented, actual)
	}
}

// properties lists the property names of a schema, following $ref and
// allOf.
func properties(t *testing.T, doc map[string]any, s map[string]any) []string {
	t.Helper()
	if r, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(r, "#/components/schemas/")
		target, ok := doc["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
		if !ok {
			t.Fatalf("$ref %s names no schema", r)
		}
		return properties(t, doc, target)
	}
	var out []string
	if all, ok := s["allOf"].([]any); ok {
		for _, part := range all {
			out = append(out, properties(t, doc, asMap(part))...)
		}
	}
	for name := range asMap(s["properties"]) {
		out = append(out, name)
	}
	return out
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// jsonFields lists the JSON field names encoding/json writes for a struct
// type, embedded structs flattened, outer fields first.
func jsonFields(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	seen := map[string]bool{}
	var out []string
	var embedded []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			embedded = append(embedded, f.Type)
			continue
		}
		if name == "" {
			name = f.Name
		}
		seen[name] = true
		out = append(out, name)
	}
	for _, e := range embedded {
		for _, name := range jsonFields(e) {
			if !seen[name] {
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	return out
}

func decodedOpenAPI(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(OpenAPI(), &doc); err != nil {
		t.Fatalf("the OpenAPI description is not JSON: %v", err)
	}
	return doc
}

// TestOpenAPIIsServedAndConsistent fetches the description from the
// server and checks what a validator would: the version, unique operation
// ids, and that every $ref names a schema.
func TestOpenAPIIsServedAndConsistent(t *testing.T) {
	rec := httptest.NewRecorder()
	newBareServer().ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/v1/openapi.json = %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var doc map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("served description: %v", err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v, want 3.1.0", doc["openapi"])
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	ids := map[string]bool{}
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			id, _ := op.(map[string]any)["operationId"].(string)
			if id == "" || ids[id] {
				t.Errorf("%s %s: operationId %q missing or repeated", method, path, id)
			}
			ids[id] = true
		}
	}
	walkRefs(doc, func(r string) {
		if _, ok := schemas[strings.TrimPrefix(r, "#/components/schemas/")]; !ok {
			t.Errorf("$ref %s names no schema", r)
		}
	})
}

func walkRefs(v any, visit func(string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if s, ok := child.(string); ok && k == "$ref" {
				visit(s)
			}
			walkRefs(child, visit)
		}
	case []any:
		for _, child := range x {
			walkRefs(child, visit)
		}
	}
}
