// Package catchhook is the engine of the fake catch hooks of Zapier, Make,
// n8n and Pipedream: a server on loopback that answers, per tool Profile,
// only on the hook URLs it issued, refuses what the tool refuses (a hook
// that is off or deleted, a method it does not take, a body over its
// limit, a full queue) with the tool's documented status and body, and
// records the events it accepted, so that a test can assert on what the
// automation really received. It is for tests only.
package catchhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hookbridge/hookbridge/integration/internal/fakeapi"
)

// Profile is how one tool's catch hooks behave.
type Profile struct {
	// Tool is the tool's name, for messages.
	Tool string
	// Host is the host of the hook URLs the fake issues.
	Host string
	// PathPrefix starts every hook path ("/hooks/catch/").
	PathPrefix string
	// Methods are the methods a hook takes.
	Methods []string
	// MaxBytes bounds a body; over it the hook answers TooLarge.
	MaxBytes int
	// Accepted is the answer to an accepted event; Unknown to a path that
	// is no hook; Off to a hook that is turned off or deleted; TooLarge to
	// a body over MaxBytes; QueueFull to a hook whose queue is full (zero:
	// the tool has no such answer).
	Accepted, Unknown, Off, TooLarge, QueueFull func(path string) fakeapi.Response
	// WrongMethod answers a method not in Methods (zero: 405).
	WrongMethod func(path string) fakeapi.Response
}

// Request is one request the fake received.
type Request = fakeapi.Request

// Event is one request a hook accepted.
type Event struct {
	// Hook is the hook's path.
	Hook string
	// Fields is the body when it is a JSON object, nil otherwise.
	Fields map[string]any
	// Raw is the body as received.
	Raw []byte
}

// hookState is what a hook answers besides accepting.
type hookState int

const (
	hookOn hookState = iota
	hookOff
	hookQueueFull
)

// Server is a fake catch-hook service. Its methods are safe for
// concurrent use.
type Server struct {
	*fakeapi.Server
	profile Profile

	mu       sync.Mutex
	hooks    map[string]hookState
	accepted []Event
	next     int
}

// New starts a fake for profile. If t is not nil the server is closed when
// the test ends.
func New(t testing.TB, profile Profile) *Server {
	s := &Server{profile: profile, hooks: map[string]hookState{}}
	s.Server = fakeapi.Start(fakeapi.Config{}, s.handle)
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// NewHook issues a live hook and returns its https URL on the profile's
// host (reached through Client). suffix ends the path ("" for a made-up
// token).
func (s *Server) NewHook(suffix string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	if suffix == "" {
		suffix = fmt.Sprintf("%d/k%07dq", 1000000+s.next, s.next*7919)
	}
	path := s.profile.PathPrefix + strings.TrimPrefix(suffix, "/")
	s.hooks[hookKey(s.profile.Host, path)] = hookOn
	return "https://" + s.profile.Host + path
}

// NewHookAt issues a live hook at host and path, for tools whose hooks
// differ by host (Pipedream's <id>.m.pipedream.net), and returns its
// https URL.
func (s *Server) NewHookAt(host, path string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks[hookKey(host, path)] = hookOn
	return "https://" + host + path
}

// hookKey identifies a hook by its host and path ("" is "/").
func hookKey(host, path string) string {
	if path == "" {
		path = "/"
	}
	return strings.ToLower(host) + path
}

// TurnOff makes the hook of url answer as one that is off or deleted.
func (s *Server) TurnOff(url string) { s.set(url, hookOff) }

// FillQueue makes the hook of url answer as one whose queue is full.
func (s *Server) FillQueue(url string) { s.set(url, hookQueueFull) }

func (s *Server) set(url string, st hookState) {
	host, path, _ := strings.Cut(strings.TrimPrefix(url, "https://"), "/")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks[hookKey(host, "/"+path)] = st
}

// Accepted returns the events the hooks accepted, in order.
func (s *Server) Accepted() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.accepted)
}

func (s *Server) handle(r *http.Request, body []byte) fakeapi.Response {
	p := s.profile
	path := r.URL.Path
	s.mu.Lock()
	st, known := s.hooks[hookKey(hostOf(r.Host), path)]
	s.mu.Unlock()
	switch {
	case !known:
		return p.Unknown(path)
	case st == hookOff:
		return p.Off(path)
	case st == hookQueueFull && p.QueueFull != nil:
		return p.QueueFull(path)
	case !slices.Contains(p.Methods, r.Method) && p.WrongMethod != nil:
		return p.WrongMethod(path)
	case !slices.Contains(p.Methods, r.Method):
		return fakeapi.TextResponse(http.StatusMethodNotAllowed, "Method Not Allowed")
	case p.MaxBytes > 0 && len(body) > p.MaxBytes:
		return p.TooLarge(path)
	}
	s.take(path, body, r.Header.Get("Content-Type"))
	return p.Accepted(path)
}

// take records an accepted event; a JSON body is split into fields only
// when it is sent as JSON, as the tools do.
func (s *Server) take(path string, body []byte, contentType string) {
	ev := Event{Hook: path, Raw: bytes.Clone(body)}
	if fakeapi.IsJSONContentType(contentType) {
		var obj map[string]any
		if json.Unmarshal(body, &obj) == nil {
			ev.Fields = obj
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accepted = append(s.accepted, ev)
}

// hostOf strips a port.
func hostOf(hostport string) string {
	if h, _, ok := strings.Cut(hostport, ":"); ok {
		return h
	}
	return hostport
}
