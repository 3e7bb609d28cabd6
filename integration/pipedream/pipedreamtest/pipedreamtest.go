// Package pipedreamtest is a fake of Pipedream's HTTP triggers for tests:
// a server on loopback that answers only on the endpoints it issued, the
// way Pipedream does:
//   - a request to https://<id>.m.pipedream.net is answered 200 with
//     Pipedream's default HTML success page (a workflow that does not
//     customise its response);
//   - an endpoint whose workflow or source was deleted (TurnOff), or that
//     never existed, is answered 404;
//   - a body over 512 KB is answered 413;
//   - 429 with Retry-After when rate limited (RateLimitNext).
package pipedreamtest

import (
	"net/http"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/catchhook"
	"github.com/hookbridge/hookbridge/integration/internal/fakeapi"
	"github.com/hookbridge/hookbridge/integration/pipedream"
)

// Server is the fake; see package catchhook for its methods.
type Server = catchhook.Server

// Host is the endpoint host the fake issues.
const Host = "eo4k7x2m9qw5t3b.m.pipedream.net"

const successPage = `<p><b>Success!</b></p><p>To customize this response, see the HTTP trigger documentation.</p>`

// New starts a fake of Pipedream's HTTP triggers, closed when the test
// ends.
func New(t testing.TB) *Server {
	notFound := func(string) fakeapi.Response { return fakeapi.TextResponse(http.StatusNotFound, "Not Found") }
	return catchhook.New(t, catchhook.Profile{
		Tool: "Pipedream", Host: Host, PathPrefix: "/",
		Methods:  []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodGet},
		MaxBytes: pipedream.MaxBodyBytes,
		Accepted: func(string) fakeapi.Response {
			return fakeapi.Response{Status: http.StatusOK, Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Body: []byte(successPage)}
		},
		Unknown: notFound,
		Off:     notFound,
		TooLarge: func(string) fakeapi.Response {
			return fakeapi.TextResponse(http.StatusRequestEntityTooLarge, "Request Entity Too Large")
		},
	})
}

// Credentials issues an endpoint on s and returns credentials of the
// pipedream integration that send to it. Its path is "/": a Pipedream
// endpoint is its host.
func Credentials(s *Server) hookbridge.Credentials {
	return hookbridge.Credentials{pipedream.FieldWebhookURL: s.NewHookAt(Host, "/")}
}
