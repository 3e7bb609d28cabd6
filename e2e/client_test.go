package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/hookbridge/hookbridge/node"
)

// configure changes the node's configuration freely.
func configure(f func(*node.Config)) option { return option(f) }

// answer is an HTTP answer as a test looks at it.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("decode %s: %v", a.body, err)
	}
}

// callAs makes a request with the given bearer token ("" for none); body
// is JSON-encoded unless it is a string or []byte.
func (h *harness) callAs(token, method, path string, body any) answer {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewReader([]byte(b))
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, h.url+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return h.do(req)
}

func (h *harness) do(req *http.Request) answer {
	h.t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: raw}
}

// mustAs is callAs that fails the test on an unexpected status.
func (h *harness) mustAs(token, method, path string, body any, want int) answer {
	h.t.Helper()
	a := h.callAs(token, method, path, body)
	if a.status != want {
		h.t.Fatalf("%s %s = %d, want %d: %s", method, path, a.status, want, a.body)
	}
	return a
}

// newAppToken makes an app and a token of it (with the admin token), and
// returns the token's secret and id.
func (h *harness) newAppToken(app, name string) (secret, id string) {
	h.t.Helper()
	if a := h.callAs(adminToken, "POST", "/api/v1/apps", map[string]any{"id": app}); a.status != http.StatusCreated && a.status != http.StatusConflict {
		h.t.Fatalf("create app %s: %d %s", app, a.status, a.body)
	}
	var tok struct{ ID, Token string }
	h.mustAs(adminToken, "POST", "/api/v1/apps/"+app+"/tokens", map[string]any{"name": name}, http.StatusCreated).decode(h.t, &tok)
	if tok.Token == "" || tok.ID == "" {
		h.t.Fatalf("token of %s: %+v", app, tok)
	}
	return tok.Token, tok.ID
}

func jsonDecodeReader(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }
