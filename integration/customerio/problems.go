package customerio

// Small helpers that word the problems Validate reports.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

// decodeBody returns the request's body read as a JSON object, or an
// error that is the problem's message.
func decodeBody(req *hookbridge.OutboundRequest) (map[string]any, error) {
	if len(bytes.TrimSpace(req.Body)) == 0 {
		return nil, fmt.Errorf("the body is empty: Customer.io needs a JSON object")
	}
	obj, err := req.Object()
	if err != nil {
		return nil, fmt.Errorf("the body is %v: Customer.io rejects it with 400", err)
	}
	return obj, nil
}

// field joins an operation's prefix and a field name; an empty name means
// the operation itself.
func field(prefix, name string) string {
	if name == "" {
		if prefix == "" {
			return "body"
		}
		return strings.TrimSuffix(prefix, ".")
	}
	return prefix + name
}

// describe shows a value in a message: its JSON, shortened, or its kind.
func describe(v any) string {
	switch v.(type) {
	case string, json.Number, bool:
		b, _ := json.Marshal(v)
		return fmt.Sprintf("%s (%s)", jsonbody.Kind(v), truncateBytes(b, 60))
	}
	return jsonbody.Kind(v)
}

func stringifiedSize(v any) int {
	if s, ok := v.(string); ok {
		return len(s)
	}
	return encodedSize(v)
}

// encodedSizeOver returns the size of v encoded by encoding/json when it
// may be over limit, and 0 when it cannot be: v was read from a text of
// within bytes, and encoding/json writes each byte it read as at most six
// (\u003c for <).
func encodedSizeOver(v any, within, limit int) int {
	if 6*within <= limit {
		return 0
	}
	return encodedSize(v)
}

func encodedSize(v any) int {
	b, err := json.Marshal(v)
	if err != nil {
		return 0
	}
	return len(b)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func truncateBytes(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	return append(b[:n:n], "…"...)
}
