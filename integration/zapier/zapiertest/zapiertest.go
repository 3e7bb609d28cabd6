// Package zapiertest is a fake of Zapier's Catch Hooks for tests: a server
// on loopback that answers only on the hook URLs it issued, the way
// Zapier does:
//   - POST, PUT or GET on https://hooks.zapier.com/hooks/catch/<user>/<hook>/
//     is answered 200 {"attempt", "id", "request_id", "status": "success"};
//   - a hook turned off or deleted (TurnOff) is answered 410 Gone, the
//     answer Zapier's REST-hook documentation tells senders to stop on;
//   - a body over 10 MB, Zapier's webhook payload limit, is answered 413;
//   - 429 with Retry-After when rate limited (RateLimitNext).
//
// Choices where the documentation is silent: a path that is no hook is
// answered 404 with a JSON error, and other methods 405.
package zapiertest

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/catchhook"
	"github.com/hookbridge/hookbridge/integration/internal/fakeapi"
	"github.com/hookbridge/hookbridge/integration/zapier"
)

// Server is the fake; see package catchhook for its methods.
type Server = catchhook.Server

// New starts a fake of Zapier's Catch Hooks, closed when the test ends.
func New(t testing.TB) *Server {
	var n atomic.Int64
	return catchhook.New(t, catchhook.Profile{
		Tool: "Zapier", Host: zapier.Host, PathPrefix: zapier.PathPrefix,
		Methods:  []string{http.MethodPost, http.MethodPut, http.MethodGet},
		MaxBytes: zapier.MaxBodyBytes,
		Accepted: func(string) fakeapi.Response {
			id := fmt.Sprintf("0190a1b2-c3d4-7e5f-8a9b-%012d", n.Add(1))
			return fakeapi.JSONResponse(http.StatusOK, map[string]string{
				"attempt": id, "id": id, "request_id": "req" + id[len(id)-8:], "status": "success",
			})
		},
		Unknown: func(string) fakeapi.Response {
			return fakeapi.JSONResponse(http.StatusNotFound, map[string]string{"status": "error", "message": "No hook found."})
		},
		Off: func(string) fakeapi.Response {
			return fakeapi.JSONResponse(http.StatusGone, map[string]string{"status": "error", "message": "This Zap is turned off or was deleted."})
		},
		TooLarge: func(string) fakeapi.Response {
			return fakeapi.TextResponse(http.StatusRequestEntityTooLarge, "Request Entity Too Large")
		},
	})
}

// Credentials issues a new hook on s and returns credentials of the
// zapier integration that send to it.
func Credentials(s *Server) hookbridge.Credentials {
	return hookbridge.Credentials{zapier.FieldWebhookURL: s.NewHook("")}
}
