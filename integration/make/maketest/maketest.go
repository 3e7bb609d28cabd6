// Package maketest is a fake of Make's custom webhooks for tests: a server
// on loopback that answers only on the webhook addresses it issued, the
// way Make does:
//   - a request to https://hook.eu1.make.com/<token> is answered 200
//     "Accepted" (text);
//   - a webhook no scenario listens to — deleted, or issued and then
//     turned off (TurnOff) — is answered 410 "There is no scenario
//     listening for this webhook.";
//   - a webhook whose queue is full (FillQueue) is answered 400 "Queue is
//     full.";
//   - a body over 5 MB is answered 413;
//   - 429 with Retry-After when rate limited (RateLimitNext).
package maketest

import (
	"net/http"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/catchhook"
	"github.com/hookbridge/hookbridge/integration/internal/fakeapi"
	"github.com/hookbridge/hookbridge/integration/make"
)

// Server is the fake; see package catchhook for its methods.
type Server = catchhook.Server

// Host is the zone the fake's webhooks are in.
const Host = "hook.eu1.make.com"

// New starts a fake of Make's webhooks, closed when the test ends.
func New(t testing.TB) *Server {
	noScenario := func(string) fakeapi.Response {
		return fakeapi.TextResponse(http.StatusGone, "There is no scenario listening for this webhook.")
	}
	return catchhook.New(t, catchhook.Profile{
		Tool: "Make", Host: Host, PathPrefix: "/",
		Methods:  []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodGet},
		MaxBytes: make.MaxBodyBytes,
		Accepted: func(string) fakeapi.Response { return fakeapi.TextResponse(http.StatusOK, "Accepted") },
		Unknown:  noScenario,
		Off:      noScenario,
		TooLarge: func(string) fakeapi.Response {
			return fakeapi.TextResponse(http.StatusRequestEntityTooLarge, "Payload Too Large")
		},
		QueueFull: func(string) fakeapi.Response { return fakeapi.TextResponse(http.StatusBadRequest, "Queue is full.") },
	})
}

// Credentials issues a new webhook on s and returns credentials of the
// make integration that send to it.
func Credentials(s *Server) hookbridge.Credentials {
	return hookbridge.Credentials{make.FieldWebhookURL: s.NewHook("w8rk2n5tq7x9c3vb6lm4hd1pz0ys8fge")}
}
