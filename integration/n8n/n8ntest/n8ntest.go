// Package n8ntest is a fake n8n instance's webhooks for tests: a server on
// loopback that answers only on the Webhook node URLs it issued, the way
// n8n does:
//   - POST to https://<instance>/webhook/<path> of an active workflow is
//     answered 200 {"message":"Workflow was started"} (the node's Respond
//     "Immediately");
//   - a webhook not registered — a workflow turned inactive (TurnOff), a
//     path or method that is no node's, a Test URL nobody listens on — is
//     answered 404 {"code":404,"message":"The requested webhook \"POST
//     <path>\" is not registered.","hint":…} with n8n's hint;
//   - a body over 16 MB (the default N8N_PAYLOAD_SIZE_MAX) is answered 413.
package n8ntest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/catchhook"
	"github.com/hookbridge/hookbridge/integration/internal/fakeapi"
	"github.com/hookbridge/hookbridge/integration/n8n"
)

// Server is the fake; see package catchhook for its methods.
type Server = catchhook.Server

// Host is the fake instance's host: a self-hosted n8n.
const Host = "n8n.acme.example"

const (
	productionHint = "The workflow must be active for a production URL to run successfully. You can activate the workflow using the toggle in the top-right of the editor. Note that unlike test URL calls, production URL calls aren't shown on the canvas (only in the executions list)"
	testHint       = "Click the 'Execute workflow' button on the canvas, then try again. (In test mode, the webhook only works for one call after you click this button)"
)

// New starts a fake n8n instance, closed when the test ends.
func New(t testing.TB) *Server {
	return catchhook.New(t, catchhook.Profile{
		Tool: "n8n", Host: Host, PathPrefix: "/webhook/",
		Methods:  []string{http.MethodPost},
		MaxBytes: n8n.DefaultMaxBodyBytes,
		Accepted: func(string) fakeapi.Response {
			return fakeapi.JSONResponse(http.StatusOK, map[string]string{"message": "Workflow was started"})
		},
		Unknown: notRegistered,
		Off:     notRegistered,
		TooLarge: func(string) fakeapi.Response {
			return fakeapi.TextResponse(http.StatusRequestEntityTooLarge, "request entity too large")
		},
	})
}

// notRegistered is n8n's 404 for a path no active workflow listens on.
func notRegistered(path string) fakeapi.Response {
	hint := productionHint
	name := strings.TrimPrefix(path, "/webhook/")
	if rest, ok := strings.CutPrefix(path, "/webhook-test/"); ok {
		hint, name = testHint, rest
	}
	return fakeapi.JSONResponse(http.StatusNotFound, map[string]any{
		"code": 404, "message": `The requested webhook "POST ` + name + `" is not registered.`, "hint": hint,
	})
}

// Credentials issues a production webhook on s and returns credentials of
// the n8n integration that send to it.
func Credentials(s *Server) hookbridge.Credentials {
	return hookbridge.Credentials{n8n.FieldWebhookURL: s.NewHook("3f6c1a9e-52d7-4b8e-9c0a-7d2e4f1b6a35/payments")}
}
