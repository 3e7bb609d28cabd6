package resendtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func post(t *testing.T, s *Server, path, auth, body string) (int, errorBody) {
	t.Helper()
	req, _ := http.NewRequest("POST", "https://api.resend.com"+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e errorBody
	_ = json.Unmarshal(b, &e)
	return resp.StatusCode, e
}

func TestFakeAnswersLikeResend(t *testing.T) {
	s := New(t)
	ok := `{"from":"a@example.com","to":"b@example.org","subject":"s","html":"h"}`
	many := `"` + strings.Repeat(`x@example.org","`, 50) + `x@example.org"`
	cases := []struct {
		name, auth, body string
		status           int
		errName          string
	}{
		{"no key", "", ok, 401, "missing_api_key"},
		{"wrong key", "Bearer re_nope", ok, 403, "invalid_api_key"},
		{"missing subject", "Bearer " + APIKey, `{"from":"a@example.com","to":"b@example.org","html":"h"}`, 422, "missing_required_field"},
		{"bad from", "Bearer " + APIKey, `{"from":"nobody","to":"b@example.org","subject":"s","html":"h"}`, 422, "invalid_from_address"},
		{"51 recipients", "Bearer " + APIKey, `{"from":"a@example.com","to":[` + many + `],"subject":"s","html":"h"}`, 422, "validation_error"},
		{"no body", "Bearer " + APIKey, `{"from":"a@example.com","to":"b@example.org","subject":"s"}`, 422, "missing_required_field"},
		{"bad tag", "Bearer " + APIKey, `{"from":"a@example.com","to":"b@example.org","subject":"s","html":"h","tags":[{"name":"a.b","value":"c"}]}`, 422, "validation_error"},
		{"unverified domain", "Bearer " + APIKey, `{"from":"a@acme.dev","to":"b@example.org","subject":"s","html":"h"}`, 403, "validation_error"},
		{"accepted", "Bearer " + APIKey, ok, 200, ""},
	}
	for _, c := range cases {
		status, e := post(t, s, "/emails", c.auth, c.body)
		if status != c.status || e.Name != c.errName {
			t.Errorf("%s: %d %q, want %d %q", c.name, status, e.Name, c.status, c.errName)
		}
	}
	if n := len(s.Sent()); n != 1 {
		t.Errorf("sent %d, want 1", n)
	}
}
