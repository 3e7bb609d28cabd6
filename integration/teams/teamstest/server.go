package teamstest

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/internal/fakeapi"
)

// The webhooks the fake knows.
const (
	WorkflowID = "3f2c9a1e7b5d4c8e9a0b1c2d3e4f5a6b"
	// Signature is the sig= of the workflow's URL.
	Signature = "fakeSig_Tq8Lw2Kx9Vm4Rb7Hn5Yc0Zp"

	PowerPlatformHost = "default0a1b2c3d4e5f.4e.environment.api.powerplatform.com"
	LogicAppsHost     = "prod-23.westeurope.logic.azure.com"
	ConnectorHost     = "acme.webhook.office.com"

	// ConnectorPath is the path of the legacy incoming webhook; its last
	// segments are its secret.
	ConnectorPath = "/webhookb2/0f8e2a3c-1111-4222-8333-944455556666@7a1b2c3d-7777-4888-9999-aaaabbbbcccc/IncomingWebhook/5d1e9c7a3b2f4e6d8c0a1b2c3d4e5f60/1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f/V2fakeSecret_Lm6Wq9Kx3Tn7Rb5Vh8Jd"
)

// maxMessage is the message size Teams posts: 28 KB.
const maxMessage = 28 << 10

// Request is one request the fake received.
type Request = fakeapi.Request

// Post is a message Teams posted to the channel.
type Post struct {
	// Via is "workflow" or "connector".
	Via  string
	Body map[string]any
}

// FailedRun is a Workflows request the trigger accepted (202) and the
// flow then failed to post.
type FailedRun struct {
	Body   []byte
	Reason string
}

// Server is a fake of Teams' webhooks. Its methods are safe for
// concurrent use.
type Server struct {
	*fakeapi.Server

	mu        sync.Mutex
	posts     []Post
	failed    []FailedRun
	throttled int
}

// New starts a fake. If t is not nil the server is closed when the test
// ends; otherwise call Close.
func New(t testing.TB) *Server {
	s := &Server{}
	s.Server = fakeapi.Start(fakeapi.Config{}, s.handle)
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// WorkflowURL is the URL of the fake's workflow on host (PowerPlatformHost
// or LogicAppsHost), as the trigger shows it.
func WorkflowURL(host string) string {
	path := "/workflows/" + WorkflowID + "/triggers/manual/paths/invoke"
	version := "2016-06-01"
	if host == PowerPlatformHost {
		path = "/powerautomate/automations/direct" + path
		version = "1"
	}
	q := url.Values{"api-version": {version}, "sp": {"/triggers/manual/run"}, "sv": {"1.0"}, "sig": {Signature}}
	return "https://" + host + ":443" + path + "?" + q.Encode()
}

// ConnectorURL is the URL of the fake's legacy incoming webhook.
func ConnectorURL() string { return "https://" + ConnectorHost + ConnectorPath }

// Credentials returns credentials for the teams integration with the
// workflow's URL on Power Platform.
func (s *Server) Credentials() hookbridge.Credentials {
	return hookbridge.Credentials{"webhook_url": WorkflowURL(PowerPlatformHost)}
}

// Posts returns the messages posted to the channel.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.posts)
}

// FailedRuns returns the Workflows requests accepted whose flow run
// failed.
func (s *Server) FailedRuns() []FailedRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.failed)
}

// ThrottleConnectorNext makes the legacy webhook answer the next n
// requests as Teams does when throttled: 200 with an HTTP error 429 in
// the body.
func (s *Server) ThrottleConnectorNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttled += n
}

var workflowPath = regexp.MustCompile(`^(?:/powerautomate/automations/direct)?/workflows/([^/]+)/triggers/manual/paths/invoke/?$`)

func (s *Server) handle(r *http.Request, body []byte) fakeapi.Response {
	if m := workflowPath.FindStringSubmatch(r.URL.Path); m != nil {
		return s.workflow(r, m[1], body)
	}
	if strings.HasPrefix(r.URL.Path, "/webhookb2/") {
		return s.connector(r, body)
	}
	return fakeapi.TextResponse(http.StatusNotFound, "Not Found")
}

// workflow answers as a flow's webhook trigger.
func (s *Server) workflow(r *http.Request, id string, body []byte) fakeapi.Response {
	q := r.URL.Query()
	switch {
	case r.Method != http.MethodPost:
		return logicError(http.StatusMethodNotAllowed, "InvalidRequestMethod", "The trigger 'manual' accepts POST requests only.")
	case q.Get("sp") == "" || q.Get("sv") == "" || q.Get("sig") == "":
		return logicError(http.StatusUnauthorized, "DirectApiAuthorizationRequired",
			"The request must be authenticated only by Shared Access scheme.")
	case id != WorkflowID:
		return logicError(http.StatusNotFound, "WorkflowNotFound", fmt.Sprintf("The workflow '%s' could not be found.", id))
	case q.Get("sig") != Signature:
		return logicError(http.StatusUnauthorized, "DirectApiInvalidAuthorizationSignature",
			"The provided authorization token is not valid. The request should have a valid authorization header with 'Bearer' scheme or Shared Access Signature.")
	}
	if mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mediaType != "application/json" {
		return logicError(http.StatusBadRequest, "InvalidRequestContent", fmt.Sprintf(
			"The input body for trigger 'manual' of type 'Request' must be of type JSON, but was of type '%s'.", r.Header.Get("Content-Type")))
	}
	var msg map[string]any
	if json.Unmarshal(body, &msg) != nil {
		return logicError(http.StatusBadRequest, "InvalidRequestContent", "The request content is not valid JSON.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if reason := postable(msg, len(body)); reason != "" {
		s.failed = append(s.failed, FailedRun{Body: body, Reason: reason})
	} else {
		s.posts = append(s.posts, Post{Via: "workflow", Body: msg})
	}
	return fakeapi.Response{Status: http.StatusAccepted}
}

// connector answers as a legacy incoming webhook.
func (s *Server) connector(r *http.Request, body []byte) fakeapi.Response {
	switch {
	case r.URL.Path != ConnectorPath:
		return fakeapi.TextResponse(http.StatusNotFound, "Webhook not found")
	case r.Method != http.MethodPost:
		return fakeapi.TextResponse(http.StatusMethodNotAllowed, "Method Not Allowed")
	}
	var msg map[string]any
	if json.Unmarshal(body, &msg) != nil || msg == nil {
		return fakeapi.TextResponse(http.StatusBadRequest, "Bad payload received by generic incoming webhook.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.throttled > 0 {
		s.throttled--
		return deliveryFailed(http.StatusTooManyRequests)
	}
	if len(body) > maxMessage {
		return deliveryFailed(http.StatusRequestEntityTooLarge)
	}
	if msg["@type"] == "MessageCard" {
		if msg["summary"] == nil && msg["text"] == nil {
			return fakeapi.TextResponse(http.StatusBadRequest, "Summary or Text is required.")
		}
	} else if reason := postable(msg, len(body)); reason != "" {
		return deliveryFailed(http.StatusBadRequest)
	}
	s.posts = append(s.posts, Post{Via: "connector", Body: msg})
	return fakeapi.TextResponse(http.StatusOK, "1")
}

// deliveryFailed is a connector's 200 that reports Teams' refusal.
func deliveryFailed(status int) fakeapi.Response {
	return fakeapi.TextResponse(http.StatusOK, fmt.Sprintf(
		"Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error %d with ContextId tcid=0,server=msgapi-fake,cv=Qx7Lm2Vr6Nt9Hb4Wc.0..", status))
}

// postable says why Teams cannot post a message, "" if it can: a message
// with Adaptive Cards of version 1.5 or lower whose elements are typed,
// 28 KB at most.
func postable(msg map[string]any, size int) string {
	if size > maxMessage {
		return fmt.Sprintf("the message is %d bytes, over 28 KB", size)
	}
	if msg["type"] != "message" {
		return `type is not "message"`
	}
	attachments, _ := msg["attachments"].([]any)
	if len(attachments) == 0 {
		return "no attachments"
	}
	for i, raw := range attachments {
		if reason := postableCard(raw); reason != "" {
			return fmt.Sprintf("attachment %d: %s", i, reason)
		}
	}
	return ""
}

func postableCard(raw any) string {
	a, _ := raw.(map[string]any)
	if a["contentType"] != "application/vnd.microsoft.card.adaptive" {
		return fmt.Sprintf("contentType %v is not an Adaptive Card", a["contentType"])
	}
	card, _ := a["content"].(map[string]any)
	if card == nil || card["type"] != "AdaptiveCard" {
		return "content is not an AdaptiveCard"
	}
	version, _ := card["version"].(string)
	major, minor, _ := strings.Cut(version, ".")
	ma, err1 := strconv.Atoi(major)
	mi, err2 := strconv.Atoi(minor)
	if err1 != nil || err2 != nil || ma > 1 || (ma == 1 && mi > 5) {
		return fmt.Sprintf("card version %q is not one Teams renders (up to 1.5)", version)
	}
	body, _ := card["body"].([]any)
	for _, el := range body {
		e, _ := el.(map[string]any)
		if t, _ := e["type"].(string); t == "" {
			return "a body element has no type"
		}
	}
	return ""
}

// logicError is a Logic Apps / Power Automate trigger's JSON error.
func logicError(status int, code, message string) fakeapi.Response {
	return fakeapi.JSONResponse(status, map[string]any{"error": map[string]any{"code": code, "message": message}})
}
