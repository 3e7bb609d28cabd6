package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/hookbridge/hookbridge"
)

// verifyTimeout bounds a credentials check's call to the tool.
const verifyTimeout = 10 * time.Second

// verifyInput is the body of POST …/integrations/{integration}/verify: the
// credentials as a form holds them before the endpoint is created.
type verifyInput struct {
	Credentials map[string]string `json:"credentials"`
	// EndpointID names a saved endpoint of the same integration whose
	// secret credentials stand in for those left empty (its settings form
	// never shows them), so that a change of region can be checked
	// before it is saved.
	EndpointID string `json:"endpoint_id"`
}

// verifyAnswer is what a credentials check found.
type verifyAnswer struct {
	Integration string `json:"integration"`
	EndpointID  string `json:"endpoint_id,omitempty"`
	hookbridge.Verification
	DurationMS float64   `json:"duration_ms"`
	CheckedAt  time.Time `json:"checked_at"`
}

// verifyEndpoint checks a saved endpoint's credentials with one harmless
// call to its tool.
func (s *Server) verifyEndpoint(w http.ResponseWriter, r *http.Request, ep *hookbridge.Endpoint) error {
	integ, ok := s.integrations.Get(ep.Integration)
	if !ok {
		return errorf(http.StatusConflict, "unknown_integration", "the endpoint's integration %q is not known to this server", ep.Integration)
	}
	s.answerVerification(w, r, integ, ep.ID, ep.Credentials)
	return nil
}

// verifyCredentials checks credentials given in a form, before the
// endpoint exists.
func (s *Server) verifyCredentials(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	integ, ok := s.integrations.Get(r.PathValue("integration"))
	if !ok {
		return errorf(http.StatusNotFound, "not_found", "unknown integration %q; GET /api/v1/integrations lists them", r.PathValue("integration"))
	}
	var in verifyInput
	if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
		return err
	}
	given, err := s.withSavedSecrets(r.Context(), app.ID, integ.Info(), in.EndpointID, in.Credentials)
	if err != nil {
		return err
	}
	creds, err := hookbridge.CheckCredentials(integ.Info(), given)
	if err != nil {
		return err
	}
	s.answerVerification(w, r, integ, in.EndpointID, creds)
	return nil
}

// withSavedSecrets returns the credentials of a form with the secret ones
// left empty filled from the saved endpoint endpointID names, if any: the
// settings page shows secrets masked, so a person checks or tests an edit
// without typing them again.
func (s *Server) withSavedSecrets(ctx context.Context, appID string, info hookbridge.IntegrationInfo, endpointID string, credentials map[string]string) (map[string]string, error) {
	given := map[string]string{}
	for k, v := range credentials {
		given[k] = v
	}
	if endpointID == "" {
		return given, nil
	}
	ep, err := s.store.GetEndpoint(ctx, appID, endpointID)
	if err != nil {
		return nil, err
	}
	if ep.Integration != info.ID {
		return nil, fieldError("endpoint_id", "endpoint %s is a %s endpoint, not %s", ep.ID, ep.Integration, info.ID)
	}
	for _, f := range info.Credentials {
		if f.Secret && given[f.Name] == "" && ep.Credentials[f.Name] != "" {
			given[f.Name] = ep.Credentials[f.Name]
		}
	}
	return given, nil
}

// answerVerification runs the check, masks every secret in what it found,
// keeps the result in the audit entry and the log, and answers it.
func (s *Server) answerVerification(w http.ResponseWriter, r *http.Request, integ hookbridge.Integration, endpointID string, creds hookbridge.Credentials) {
	info := integ.Info()
	start := time.Now()
	v := s.verify(r.Context(), integ, creds)
	m := hookbridge.NewMasker(hookbridge.SecretValues(info, creds)...)
	v.Message = hookbridge.CapText(m.Mask(v.Message), hookbridge.MaxRecordedError)
	v.Fix = m.Mask(v.Fix)
	v.Call = m.Mask(v.Call)
	setAuditOutcome(w, v.Result)
	s.log.InfoContext(r.Context(), "credentials checked", "integration", info.ID, "endpoint_id", endpointID,
		"result", v.Result, "status", v.Status)
	writeJSON(w, http.StatusOK, verifyAnswer{
		Integration: info.ID, EndpointID: endpointID, Verification: v,
		DurationMS: ms(time.Since(start)), CheckedAt: s.now().UTC(),
	})
}

// verify makes the integration's verify call through the server's guarded
// sender, or says why none is made.
func (s *Server) verify(ctx context.Context, integ hookbridge.Integration, creds hookbridge.Credentials) hookbridge.Verification {
	name := integ.Info().Name
	verifier, ok := integ.(hookbridge.Verifier)
	if !ok {
		return hookbridge.Verification{Result: hookbridge.VerifyCannotCheck,
			Message: "cannot be checked: a " + name + " endpoint has no tool credentials to check",
			Fix:     "send a test event from the Test panel"}
	}
	req, early := verifier.VerifyRequest(creds)
	if req == nil {
		return *early
	}
	call := req.Method + " " + req.URL
	if s.sender == nil {
		return hookbridge.Verification{Result: hookbridge.VerifyCannotCheck, Call: call,
			Message: "cannot be checked: this server sends no requests to tools"}
	}
	resp := s.sender.SendWithin(ctx, req, verifyTimeout)
	if resp.Err != nil {
		return hookbridge.Verification{Result: hookbridge.VerifyCannotCheck, Call: call,
			Message: "cannot be checked: " + name + " could not be reached: " + resp.Err.Error(),
			Fix:     "try again; if it persists, check that this server may reach " + req.Host()}
	}
	v := verifier.ReadVerify(creds, hookbridge.Answer{Status: resp.Status, Headers: resp.Headers, Body: []byte(resp.Body)})
	v.Call = call
	return v
}
