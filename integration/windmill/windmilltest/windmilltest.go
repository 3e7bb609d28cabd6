// Package windmilltest is a fake Windmill instance for tests: a server on
// loopback that runs nothing but answers the asynchronous run webhooks the
// way Windmill does:
//   - POST /api/w/<workspace>/jobs/run/{p|f|h|fv}/<path> with
//     Authorization: Bearer <token> and a JSON object of arguments is
//     answered 201 with the new job's id as plain text, and the job is
//     recorded (Jobs);
//   - no token or a wrong one: 401 "Unauthorized";
//   - a token that may not run the script (Forbid): 403;
//   - another workspace, or a script or flow that does not exist: 404 with
//     a plain-text message;
//   - a body that is not a JSON object of arguments: 400;
//   - any other method: 405.
//
// Choices where the documentation is silent: the exact texts of the error
// bodies; the job ids are made-up UUIDs.
package windmilltest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/fakeapi"
	"github.com/hookbridge/hookbridge/integration/windmill"
)

// Defaults of a fake made by New.
const (
	Host      = "windmill.acme.example"
	Workspace = "acme"
	Token     = "wm-test-token-7Kq2Xv9Lb4"
	Script    = "f/billing/on_payment_event"
)

// Job is one run the fake queued.
type Job struct {
	ID   string
	Kind string // p, f, h or fv
	Path string
	Args map[string]any
}

// Server is a fake Windmill instance. Its methods are safe for concurrent
// use.
type Server struct {
	*fakeapi.Server

	mu        sync.Mutex
	scripts   map[string]bool
	forbidden map[string]bool
	jobs      []Job
}

var runPath = regexp.MustCompile(`^/api/w/([^/]+)/jobs/run/(p|f|h|fv)/(.+)$`)

// New starts a fake with the script Script in Workspace; it is closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{scripts: map[string]bool{Script: true}, forbidden: map[string]bool{}}
	s.Server = fakeapi.Start(fakeapi.Config{}, s.handle)
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// Credentials returns credentials of the windmill integration that run
// Script on this fake.
func (s *Server) Credentials() hookbridge.Credentials {
	return hookbridge.Credentials{
		windmill.FieldWebhookURL: s.URLOf("p", Script),
		windmill.FieldToken:      Token,
	}
}

// URLOf returns the async webhook URL of a script or flow.
func (s *Server) URLOf(kind, path string) string {
	return "https://" + Host + "/api/w/" + Workspace + "/jobs/run/" + kind + "/" + path
}

// AddScript adds a script or flow at path.
func (s *Server) AddScript(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scripts[path] = true
}

// Forbid makes the token unable to run path.
func (s *Server) Forbid(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forbidden[path] = true
}

// Jobs returns the runs queued so far.
func (s *Server) Jobs() []Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.jobs)
}

func (s *Server) handle(r *http.Request, body []byte) fakeapi.Response {
	if m := whoamiPath.FindStringSubmatch(r.URL.Path); m != nil {
		return whoami(r, m[1])
	}
	m := runPath.FindStringSubmatch(r.URL.Path)
	if m == nil {
		return fakeapi.TextResponse(http.StatusNotFound, "Not Found")
	}
	if r.Method != http.MethodPost {
		return fakeapi.TextResponse(http.StatusMethodNotAllowed, "Method Not Allowed")
	}
	if r.Header.Get("Authorization") != "Bearer "+Token {
		return fakeapi.TextResponse(http.StatusUnauthorized, "Unauthorized")
	}
	workspace, kind, path := m[1], m[2], m[3]
	s.mu.Lock()
	exists := s.scripts[path]
	forbidden := s.forbidden[path]
	s.mu.Unlock()
	switch {
	case workspace != Workspace || !exists:
		return fakeapi.TextResponse(http.StatusNotFound, fmt.Sprintf("Not found: script not found at name %s", path))
	case forbidden:
		return fakeapi.TextResponse(http.StatusForbidden, "Permission denied: not allowed to run "+path)
	}
	var args map[string]any
	if err := json.Unmarshal(body, &args); err != nil || args == nil {
		return fakeapi.TextResponse(http.StatusBadRequest, "Bad request: the body must be a JSON object of arguments")
	}
	return fakeapi.TextResponse(http.StatusCreated, s.queue(kind, path, args))
}

func (s *Server) queue(kind, path string, args map[string]any) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := fmt.Sprintf("0193c5e2-%04x-7a1b-9c2d-%012x", len(s.jobs)+1, len(s.jobs)+1)
	s.jobs = append(s.jobs, Job{ID: id, Kind: kind, Path: strings.Clone(path), Args: args})
	return id
}

var whoamiPath = regexp.MustCompile(`^/api/w/([^/]+)/users/whoami$`)

// whoami answers GET /api/w/{workspace}/users/whoami: the token's user in
// the workspace, 401 for an unknown token, 404 for another workspace.
func whoami(r *http.Request, workspace string) fakeapi.Response {
	switch {
	case r.Method != http.MethodGet:
		return fakeapi.TextResponse(http.StatusMethodNotAllowed, "Method Not Allowed")
	case r.Header.Get("Authorization") != "Bearer "+Token:
		return fakeapi.TextResponse(http.StatusUnauthorized, "Unauthorized")
	case workspace != Workspace:
		return fakeapi.TextResponse(http.StatusNotFound, "Not found: workspace "+workspace+" not found")
	}
	return fakeapi.JSONResponse(http.StatusOK, map[string]any{"email": "ops@acme.example", "username": "ops", "is_admin": false, "operator": false, "workspace_id": workspace})
}
