package httpapi

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge/internal/jsonbody"
)

// decodeTargets are the request types the API decodes bodies into.
var decodeTargets = map[string]func() any{
	"endpointInput": func() any { return &endpointInput{} },
	"messageInput":  func() any { return &messageInput{} },
	"testInput":     func() any { return &testInput{} },
	"tokenInput":    func() any { return &tokenInput{} },
	"appInput":      func() any { return &appInput{} },
	"sourceInput":   func() any { return &sourceInput{} },
	"recoverInput":  func() any { return &recoverInput{} },
}

// FuzzDecodeJSON: whatever the body, decoding it into any request type
// either succeeds on a valid, not too deep JSON object whose decoded value
// encodes and decodes again, or fails with a 4xx answer that says what is
// wrong; it never panics and never answers 500.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		`{"name":"Segment","integration":"segment","credentials":{"write_key":"k"},"event_types":["payment.succeeded"],"transformation":{"code":"function handler(w){return w}","enabled":true}}`,
		`{"event_type":"payment.succeeded","payload":{"type":"payment.succeeded","data":{"a":[1,2,{"b":null}]}},"event_id":"evt_1"}`,
		`{"name":"ci","expires_at":"2030-01-01T00:00:00Z"}`,
		`{"since":"2025-08-04T05:30:45Z"}`,
		`{"rate_limit":"ten"}`, `{"unknown":1}`, `[1,2]`, `{}{}`, `{"a":"\u00e9\ud800"}`, ``, `{`,
		strings.Repeat("[", 70) + strings.Repeat("]", 70),
		`{"payload":` + strings.Repeat(`{"a":`, 80) + `1` + strings.Repeat(`}`, 80) + `}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for name, target := range decodeTargets {
			v := target()
			err := decodeJSONBody(body, 1<<20, v)
			if err != nil {
				checkDecodeError(t, name, body, err)
				continue
			}
			if !json.Valid(body) {
				t.Fatalf("%s: accepted a body that is not JSON: %q", name, body)
			}
			if err := jsonbody.Check(body, jsonbody.Strict); err != nil {
				t.Fatalf("%s: accepted a body the strict rules refuse (%v): %q", name, err, body)
			}
			again, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("%s: decoded value does not encode: %v", name, err)
			}
			if err := decodeJSONBody(again, 1<<20, target()); err != nil {
				t.Fatalf("%s: re-encoded value %s is refused: %v", name, again, err)
			}
		}
	})
}

func checkDecodeError(t *testing.T, name string, body []byte, err error) {
	t.Helper()
	var apiErr *apiError
	if !errors.As(err, &apiErr) {
		t.Fatalf("%s: error %v (%T) is not an API answer, for %q", name, err, err, body)
	}
	if apiErr.Status < 400 || apiErr.Status > 499 || apiErr.Code == "" || apiErr.Message == "" {
		t.Fatalf("%s: answer %d %q %q for %q, want a 4xx that says what is wrong", name, apiErr.Status, apiErr.Code, apiErr.Message, body)
	}
}

func TestDecodeJSONRefusesDeepNesting(t *testing.T) {
	deep := `{"event_type":"x","payload":` + strings.Repeat(`[`, jsonbody.MaxDepth) + strings.Repeat(`]`, jsonbody.MaxDepth) + `}`
	err := decodeJSONBody([]byte(deep), 1<<20, &messageInput{})
	var apiErr *apiError
	if !errors.As(err, &apiErr) || apiErr.Status != 400 || apiErr.Code != "too_deep" {
		t.Fatalf("error = %v, want a 400 too_deep", err)
	}
	ok := `{"event_type":"x","payload":` + strings.Repeat(`[`, jsonbody.MaxDepth-1) + strings.Repeat(`]`, jsonbody.MaxDepth-1) + `}`
	if err := decodeJSONBody([]byte(ok), 1<<20, &messageInput{}); err != nil {
		t.Fatalf("a body %d deep was refused: %v", jsonbody.MaxDepth, err)
	}
	// Brackets inside strings do not count.
	quoted := `{"event_type":"` + strings.Repeat(`[`, 200) + `\"{"}`
	if err := decodeJSONBody([]byte(quoted), 1<<20, &messageInput{}); err != nil {
		t.Fatalf("brackets in a string were counted: %v", err)
	}
}
