package sendgridtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestFakeAnswersLikeSendGrid(t *testing.T) {
	s := New(t, WithTemplates("d-0123456789abcdef0123456789abcdef"))
	const base = `"personalizations":[{"to":[{"email":"a@example.org"}]}],"from":{"email":"b@example.com"}`
	cases := []struct {
		name, host, auth, body string
		status                 int
		field                  string
	}{
		{"no key", "api.sendgrid.com", "", `{` + base + `}`, 401, ""},
		{"key on the EU host", "api.eu.sendgrid.com", "Bearer " + APIKey, `{` + base + `}`, 401, ""},
		{"no personalizations", "api.sendgrid.com", "Bearer " + APIKey, `{"from":{"email":"b@example.com"}}`, 400, "personalizations"},
		{"duplicate address", "api.sendgrid.com", "Bearer " + APIKey,
			`{"personalizations":[{"to":[{"email":"a@example.org"}],"bcc":[{"email":"A@example.org"}]}],"from":{"email":"b@example.com"},"subject":"s","content":[{"type":"text/html","value":"h"}]}`, 400, "personalizations.0.bcc.0.email"},
		{"no subject", "api.sendgrid.com", "Bearer " + APIKey, `{` + base + `,"content":[{"type":"text/html","value":"h"}]}`, 400, "subject"},
		{"text/plain second", "api.sendgrid.com", "Bearer " + APIKey, `{` + base + `,"subject":"s","content":[{"type":"text/html","value":"h"},{"type":"text/plain","value":"t"}]}`, 400, "content.1.type"},
		{"unknown template", "api.sendgrid.com", "Bearer " + APIKey, `{` + base + `,"template_id":"d-ffffffffffffffffffffffffffffffff"}`, 400, "template_id"},
		{"unverified sender", "api.sendgrid.com", "Bearer " + APIKey, `{"personalizations":[{"to":[{"email":"a@example.org"}]}],"from":{"email":"b@acme.dev"},"subject":"s","content":[{"type":"text/html","value":"h"}]}`, 403, "from"},
		{"template", "api.sendgrid.com", "Bearer " + APIKey, `{` + base + `,"template_id":"d-0123456789abcdef0123456789abcdef"}`, 202, ""},
	}
	for _, c := range cases {
		req, _ := http.NewRequest("POST", "https://"+c.host+"/v3/mail/send", strings.NewReader(c.body))
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		resp, err := s.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var e struct{ Errors []apiError }
		_ = json.Unmarshal(b, &e)
		field := ""
		if len(e.Errors) > 0 && e.Errors[0].Field != nil {
			field = *e.Errors[0].Field
		}
		if resp.StatusCode != c.status || field != c.field {
			t.Errorf("%s: %d %q (%s), want %d %q", c.name, resp.StatusCode, field, b, c.status, c.field)
		}
		if c.status == 202 && (len(b) != 0 || resp.Header.Get("X-Message-Id") == "") {
			t.Errorf("%s: a 202 has no body and an X-Message-Id: %q %v", c.name, b, resp.Header)
		}
	}
	if n := len(s.Sent()); n != 1 {
		t.Errorf("sent %d, want 1", n)
	}
}
