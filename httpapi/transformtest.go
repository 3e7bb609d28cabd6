package httpapi

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
)

// testInput is the body of POST …/transformations/test.
type testInput struct {
	Integration string            `json:"integration"`
	Code        string            `json:"code"`
	Template    string            `json:"template"`
	EventType   string            `json:"event_type"`
	Payload     json.RawMessage   `json:"payload"`
	Credentials map[string]string `json:"credentials"`
	URL         string            `json:"url"`
	Headers     map[string]string `json:"headers"`
	// SecretHeaders marks headers as secrets, as on an endpoint.
	SecretHeaders []string `json:"secret_headers"`
	// Send asks to send the request for real and report the answer.
	Send bool `json:"send"`
	// EndpointID names a saved endpoint of the same integration whose
	// secret credentials fill those left empty (the settings page's test).
	EndpointID string `json:"endpoint_id"`
}

// testResult says what a delivery of the event would do.
type testResult struct {
	// Status is "ready" (would be sent; problems may still hold warnings),
	// "invalid" (the destination would reject or drop it), "skipped" or
	// "error" (the transformation failed).
	Status     string                `json:"status"`
	Request    *testRequest          `json:"request,omitempty"`
	SkipReason string                `json:"skip_reason,omitempty"`
	Problems   []hookbridge.Problem  `json:"problems"`
	Error      *hookbridge.CodeError `json:"error,omitempty"`
	Console    []string              `json:"console"`
	DurationMS float64               `json:"duration_ms"`
	Warnings   []string              `json:"warnings,omitempty"`
	Response   *testResponse         `json:"response,omitempty"`
}

type testRequest struct {
	hookbridge.RecordedRequest
	// BodyJSON is the body parsed, for pretty display; absent if the body
	// is not JSON.
	BodyJSON json.RawMessage `json:"body_json,omitempty"`
}

type testResponse struct {
	Status     int               `json:"status"`
	Headers    map[string]string `json:"headers"`
	Body       string            `json:"body"`
	DurationMS float64           `json:"duration_ms"`
	Error      string            `json:"error,omitempty"`
	// Judgement is how a delivery would take this answer: accepted,
	// retried or failed, and why.
	Judgement delivery.Judgement `json:"judgement"`
}

func (s *Server) testTransformation(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	var in testInput
	if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
		return err
	}
	ep, payload, warnings, err := s.testEndpoint(r.Context(), app.ID, &in)
	if err != nil {
		return err
	}
	// The app's scratch key: trying out the same code again reuses its
	// runtimes, as deliveries do, instead of building one per run.
	plan, err := s.planner.Plan(r.Context(), ep, delivery.Input{
		MessageID: hookbridge.NewID("msg"), EventType: in.EventType, Payload: payload, CreatedAt: s.now(),
		CodeKey: hookbridge.ScratchKey(app.ID),
	}, s.now())
	res := &testResult{Problems: []hookbridge.Problem{}, Console: []string{}, Warnings: warnings}
	var codeErr *hookbridge.CodeError
	switch {
	case errors.As(err, &codeErr):
		shown := *codeErr
		shown.Message = hookbridge.CapText(shown.Message, hookbridge.MaxRecordedError)
		res.Status, res.Error = "error", &shown
		if codeErr.Console != nil {
			res.Console = codeErr.Console
		}
		return writeJSON(w, http.StatusOK, res)
	case err != nil:
		return notAdmitted(w, err)
	}
	s.describePlan(res, plan)
	if in.Send && plan.Request != nil {
		if len(warnings) > 0 {
			return fieldError("credentials", "cannot send for real with incomplete credentials: %s", strings.Join(warnings, "; "))
		}
		res.Response = s.sendForTest(r, ep, plan)
	}
	return writeJSON(w, http.StatusOK, res)
}

// sendForTest sends a test's request for real and says what came back,
// with the endpoint's secrets masked wherever the destination echoed them
// and every text capped, as an attempt keeps them.
func (s *Server) sendForTest(r *http.Request, ep *hookbridge.Endpoint, plan *delivery.Plan) *testResponse {
	m := plan.Masker()
	resp := s.sender.Send(r.Context(), plan.Request).Masked(m)
	integ, _ := s.integrations.Get(ep.Integration)
	judgement := delivery.Judge(integ, plan.Request, resp)
	judgement.Reason = hookbridge.CapText(judgement.Reason, hookbridge.MaxRecordedError)
	out := &testResponse{
		Judgement:  judgement,
		Status:     resp.Status,
		Headers:    hookbridge.CapHeaders(resp.Headers),
		Body:       hookbridge.CapText(resp.Body, hookbridge.MaxRecordedBody),
		DurationMS: ms(resp.Duration),
	}
	if resp.Err != nil {
		out.Error = hookbridge.CapText(m.Mask(resp.Err.Error()), hookbridge.MaxRecordedError)
	}
	return out
}

// testEndpoint builds the endpoint a test runs on, and the payload. Missing
// credentials do not stop a dry run: they become warnings.
func (s *Server) testEndpoint(ctx context.Context, appID string, in *testInput) (*hookbridge.Endpoint, json.RawMessage, []string, error) {
	in.Integration = cmp.Or(in.Integration, "webhook")
	integ, ok := s.integrations.Get(in.Integration)
	if !ok {
		return nil, nil, nil, fieldError("integration", "unknown integration %q; GET /api/v1/integrations lists them", in.Integration)
	}
	info := integ.Info()
	et, ok := s.eventByName[in.EventType]
	if !ok {
		return nil, nil, nil, fieldError("event_type", "unknown event type %q; GET /api/v1/event-types lists them", in.EventType)
	}
	payload := in.Payload
	if len(payload) == 0 || string(payload) == "null" {
		payload = et.Sample
	} else if !isJSONObject(payload) {
		return nil, nil, nil, fieldError("payload", "must be a JSON object (the event envelope)")
	}
	ep := &hookbridge.Endpoint{ID: "ep_test", AppID: appID, Integration: info.ID, URL: in.URL, Headers: in.Headers, SecretHeaders: in.SecretHeaders}
	tin := &endpointInput{Template: &in.Template}
	if err := applyTemplate(ep, tin, info); err != nil {
		return nil, nil, nil, err
	}
	if in.Code != "" {
		ep.Transformation = hookbridge.Transformation{Code: in.Code, Enabled: true}
	}
	if in.URL != "" {
		if msg := checkURL(in.URL); msg != "" {
			return nil, nil, nil, fieldError("url", "%s", msg)
		}
	}
	given, err := s.withSavedSecrets(ctx, appID, info, in.EndpointID, in.Credentials)
	if err != nil {
		return nil, nil, nil, err
	}
	creds, warnings := testCredentials(info, given)
	ep.Credentials = creds
	return ep, payload, warnings, nil
}

func testCredentials(info hookbridge.IntegrationInfo, given map[string]string) (hookbridge.Credentials, []string) {
	creds, err := hookbridge.CheckCredentials(info, given)
	if err == nil {
		return creds, nil
	}
	var warnings []string
	var verr *hookbridge.ValidationError
	if errors.As(err, &verr) {
		for _, f := range verr.Fields {
			warnings = append(warnings, f.Field+": "+f.Message)
		}
	}
	// Use what was given, with defaults, so the dry run still shows the
	// request's shape.
	partial := hookbridge.Credentials{}
	for _, f := range info.Credentials {
		if v := given[f.Name]; v != "" {
			partial[f.Name] = v
		} else if f.Default != "" {
			partial[f.Name] = f.Default
		}
	}
	return partial, warnings
}

func (s *Server) describePlan(res *testResult, plan *delivery.Plan) {
	if plan.Console != nil {
		res.Console = plan.Console
	}
	res.DurationMS = ms(plan.TransformDuration)
	if plan.Skipped() {
		res.Status, res.SkipReason = "skipped", plan.SkipReason
		return
	}
	rec := plan.Recorded()
	res.Request = &testRequest{RecordedRequest: rec}
	if json.Valid([]byte(rec.Body)) {
		res.Request.BodyJSON = json.RawMessage(rec.Body)
	}
	res.Status = "ready"
	if len(plan.Problems) > 0 {
		res.Problems = plan.Problems
	}
	if len(hookbridge.Blocking(plan.Problems)) > 0 {
		res.Status = "invalid"
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
