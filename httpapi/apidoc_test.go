package httpapi

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/api.md from the OpenAPI description")

// TestAPIReferenceDoc keeps docs/api.md, the API reference, generated from
// the OpenAPI description.
func TestAPIReferenceDoc(t *testing.T) {
	const path = "../docs/api.md"
	want := apiReference()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Fatalf("%s is out of date: run go test ./httpapi -run TestAPIReferenceDoc -update", path)
	}
}

// apiReference renders the OpenAPI description as Markdown.
func apiReference() string {
	var b strings.Builder
	b.WriteString("# API reference\n\n")
	b.WriteString("This file is generated from the OpenAPI description that the server serves at\n")
	b.WriteString("`GET /api/v1/openapi.json` (written in `httpapi/openapi_ops.go` and `openapi_schemas.go`), by\n")
	b.WriteString("`go test ./httpapi -run TestAPIReferenceDoc -update`.\n\n")
	b.WriteString("Management calls need `Authorization: Bearer <token>`: an admin token sees every app; a token of\n")
	b.WriteString("one app (`POST /api/v1/apps/{app}/tokens`) sees only that app, and another app's resources answer\n")
	b.WriteString("404. Management calls are rate-limited per token (429 with `Retry-After`); posting messages is not. Every answer carries an\n")
	b.WriteString("`X-Request-Id` header (the caller's, if it sent a sensible one). Errors are JSON:\n\n")
	b.WriteString("```json\n{\"error\": {\"code\": \"invalid\", \"message\": \"url: must start with http:// or https://\",\n  \"fields\": [{\"field\": \"url\", \"message\": \"must start with http:// or https://\"}]}}\n```\n\n")
	ops := apiOperations()
	for _, tag := range apiTags() {
		name := tag.(schema)["name"].(string)
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", name, tag.(schema)["description"])
		for _, op := range ops {
			if op.Tag == name {
				writeOperation(&b, op)
			}
		}
	}
	b.WriteString("## Schemas\n\n")
	schemas := apiSchemas()
	names := make([]string, 0, len(schemas))
	for name := range schemas {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		writeSchema(&b, name, schemas[name].(schema))
	}
	return b.String()
}

func writeOperation(b *strings.Builder, op apiOperation) {
	fmt.Fprintf(b, "### `%s %s`\n\n%s.", op.Method, op.Path, op.Summary)
	if op.Public {
		b.WriteString(" No token needed.")
	}
	b.WriteString("\n\n")
	if op.Description != "" {
		fmt.Fprintf(b, "%s\n\n", op.Description)
	}
	if len(op.Query) > 0 {
		b.WriteString("| query parameter | type | meaning |\n| --- | --- | --- |\n")
		for _, q := range op.Query {
			req := ""
			if q.Required {
				req = " (required)"
			}
			fmt.Fprintf(b, "| `%s`%s | %s | %s |\n", q.Name, req, typeName(q.Schema), q.Description)
		}
		b.WriteString("\n")
	}
	if op.Body != nil {
		optional := ""
		if op.BodyOptional {
			optional = " (optional)"
		}
		fmt.Fprintf(b, "Body%s: %s\n\n", optional, typeName(op.Body))
	}
	b.WriteString("| status | answer |\n| --- | --- |\n")
	for _, r := range op.Responses {
		body := ""
		switch {
		case r.Schema != nil:
			body = " " + typeName(r.Schema)
		case r.ContentType != "":
			body = " (" + r.ContentType + ")"
		}
		fmt.Fprintf(b, "| %d | %s%s |\n", r.Status, r.Description, body)
	}
	b.WriteString("\n")
}

func writeSchema(b *strings.Builder, name string, s schema) {
	fmt.Fprintf(b, "### %s\n\n", name)
	if d, _ := s["description"].(string); d != "" {
		fmt.Fprintf(b, "%s\n\n", d)
	}
	parts := []schema{s}
	if all, ok := s["allOf"].([]any); ok {
		parts = nil
		for _, p := range all {
			parts = append(parts, p.(schema))
		}
	}
	var rows []string
	for _, part := range parts {
		if r, ok := part["$ref"].(string); ok {
			fmt.Fprintf(b, "Everything in %s, and:\n\n", typeName(schema{"$ref": r}))
			continue
		}
		rows = append(rows, propertyRows(part)...)
	}
	if len(rows) > 0 {
		b.WriteString("| field | type | meaning |\n| --- | --- | --- |\n")
		b.WriteString(strings.Join(rows, ""))
		b.WriteString("\n")
	}
}

func propertyRows(s schema) []string {
	props, _ := s["properties"].(schema)
	required := map[string]bool{}
	if req, ok := s["required"].([]any); ok {
		for _, r := range req {
			required[r.(string)] = true
		}
	}
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	sort.Strings(names)
	rows := make([]string, 0, len(names))
	for _, name := range names {
		p := props[name].(schema)
		desc, _ := p["description"].(string)
		if sub, ok := p["properties"].(schema); ok && len(sub) > 0 {
			var fields []string
			for f := range sub {
				fields = append(fields, "`"+f+"`")
			}
			sort.Strings(fields)
			desc = strings.TrimSpace(desc + " Fields: " + strings.Join(fields, ", ") + ".")
		}
		mark := ""
		if required[name] {
			mark = " (always)"
		}
		rows = append(rows, fmt.Sprintf("| `%s`%s | %s | %s |\n", name, mark, typeName(p), strings.ReplaceAll(desc, "|", "\\|")))
	}
	return rows
}

// typeName describes a schema's type in a few words, linking references.
func typeName(s schema) string {
	if r, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(r, "#/components/schemas/")
		return fmt.Sprintf("[%s](#%s)", name, strings.ToLower(name))
	}
	if options, ok := s["anyOf"].([]any); ok && len(options) > 0 {
		return typeName(options[0].(schema)) + " or null"
	}
	if all, ok := s["allOf"].([]any); ok && len(all) > 0 {
		return typeName(all[0].(schema)) + " and more"
	}
	switch s["type"] {
	case "array":
		return "array of " + typeName(s["items"].(schema))
	case "object":
		if _, ok := s["additionalProperties"]; ok {
			return "object of strings"
		}
		props, _ := s["properties"].(schema)
		if items, ok := asMap(props["data"])["items"].(schema); ok {
			return "`{\"data\": [...]}` of " + typeName(items)
		}
		if len(props) == 0 {
			return "object"
		}
		fields := make([]string, 0, len(props))
		for f := range props {
			fields = append(fields, "`"+f+"`")
		}
		sort.Strings(fields)
		return "object with " + strings.Join(fields, ", ")
	case "string":
		if s["format"] == "date-time" {
			return "RFC 3339 time"
		}
		if enum, ok := s["enum"].([]any); ok {
			vals := make([]string, len(enum))
			for i, v := range enum {
				vals[i] = fmt.Sprint(v)
			}
			return "one of " + strings.Join(vals, ", ")
		}
		return "string"
	case nil:
		return "any JSON"
	}
	return fmt.Sprint(s["type"])
}
