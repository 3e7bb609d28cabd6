package httpapi

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/netguard"
)

// endpointInput is the body of POST and PATCH on endpoints. Pointers tell
// "absent" (keep) from "zero" (set) for PATCH.
type endpointInput struct {
	Name           *string              `json:"name"`
	Integration    *string              `json:"integration"`
	URL            *string              `json:"url"`
	Credentials    map[string]string    `json:"credentials"`
	EventTypes     *[]string            `json:"event_types"`
	Transformation *transformationInput `json:"transformation"`
	// Template names one of the integration's templates to start from.
	Template *string            `json:"template"`
	Headers  *map[string]string `json:"headers"`
	// SecretHeaders marks headers as secrets besides those named like
	// credentials (hookbridge.IsCredentialHeader).
	SecretHeaders *[]string `json:"secret_headers"`
	RateLimit     *int      `json:"rate_limit"`
	// RateLimitPeriod makes RateLimit count per this period ("10s");
	// absent or "" keeps it, "0s" sets one second.
	RateLimitPeriod *hookbridge.Duration `json:"rate_limit_period"`
	Disabled        *bool                `json:"disabled"`
	deliveryOptionsInput
	saveOptions
}

type transformationInput struct {
	Code    *string `json:"code"`
	Enabled *bool   `json:"enabled"`
}

// endpointView is an endpoint as the API shows it: secret credentials and
// secret headers masked.
type endpointView struct {
	*hookbridge.Endpoint
	Credentials   map[string]string `json:"credentials"`
	Headers       map[string]string `json:"headers"`
	SecretHeaders []string          `json:"secret_headers"`
	// GeneratedSecrets holds secrets hookbridge generated (a webhook
	// signing secret), shown in full this once.
	GeneratedSecrets map[string]string `json:"generated_secrets,omitempty"`
	// Recovery, in the answer that re-enables an endpoint, says what it
	// missed and how to have it sent.
	Recovery *recoveryOffer `json:"recovery,omitempty"`
}

func (s *Server) viewEndpoint(ep *hookbridge.Endpoint) endpointView {
	masked := map[string]string{}
	secret := map[string]bool{}
	if integ, ok := s.integrations.Get(ep.Integration); ok {
		for _, f := range integ.Info().Credentials {
			secret[f.Name] = f.Secret
		}
	}
	for k, v := range ep.Credentials {
		if secret[k] {
			v = hookbridge.Mask(v)
		}
		masked[k] = v
	}
	return endpointView{Endpoint: ep, Credentials: masked, Headers: maskedHeaders(ep), SecretHeaders: nonNil(ep.SecretHeaders)}
}

// maskedHeaders returns the endpoint's headers with the secret ones masked
// (hookbridge.MaskHeaderValue).
func maskedHeaders(ep *hookbridge.Endpoint) map[string]string {
	out := make(map[string]string, len(ep.Headers))
	for k, v := range ep.Headers {
		if ep.IsSecretHeader(k) {
			v = hookbridge.MaskHeaderValue(v)
		}
		out[k] = v
	}
	return out
}

// nonNil returns list, or an empty list for nil: an empty list is [] in
// JSON, never null.
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

func (s *Server) createEndpoint(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	var in endpointInput
	if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
		return err
	}
	if err := s.checkEndpointRoom(r.Context(), app.ID); err != nil {
		return err
	}
	now := s.now().UTC()
	ep := &hookbridge.Endpoint{
		ID: hookbridge.NewID("ep"), AppID: app.ID, Integration: "webhook",
		EventTypes: []string{}, Headers: map[string]string{}, Version: 1,
		CreatedAt: now, UpdatedAt: now,
	}
	if in.Transformation != nil && in.Transformation.Enabled == nil {
		in.Transformation.Enabled = ptr(true)
	}
	generated, err := s.applyEndpointInput(r.Context(), ep, &in, nil)
	if err != nil {
		return notAdmitted(w, err)
	}
	if in.RateLimit == nil {
		s.applyDefaultRateLimit(ep)
	}
	report, err := s.checkSave(r.Context(), ep, in.saveOptions)
	if err != nil {
		return err
	}
	ep.Save = hookbridge.VersionNote{By: savedBy(r)}
	if err := s.store.CreateEndpoint(r.Context(), ep); err != nil {
		return err
	}
	view := s.viewEndpoint(ep)
	view.GeneratedSecrets = generated
	return writeJSON(w, http.StatusCreated, withSaveReport(view, report))
}

// applyDefaultRateLimit gives a new endpoint that sets no rate limit its
// integration's default: what the tool allows.
func (s *Server) applyDefaultRateLimit(ep *hookbridge.Endpoint) {
	integ, ok := s.integrations.Get(ep.Integration)
	if !ok || integ.Info().RateLimit == nil {
		return
	}
	def := integ.Info().RateLimit
	ep.RateLimit, ep.RateLimitPeriod = def.Requests, def.Period
	ep.Burst = cmp.Or(ep.Burst, def.Burst)
}

func (s *Server) updateEndpoint(w http.ResponseWriter, r *http.Request, ep *hookbridge.Endpoint) error {
	var in endpointInput
	if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
		return err
	}
	if in.Integration != nil && *in.Integration != ep.Integration {
		return fieldError("integration", "cannot be changed; create a new endpoint for another integration")
	}
	before := *ep
	generated, err := s.applyEndpointInput(r.Context(), ep, &in, ep.Credentials)
	if err != nil {
		return notAdmitted(w, err)
	}
	report, err := s.checkUpdate(r.Context(), &before, ep, in.saveOptions)
	if err != nil {
		return err
	}
	ep.UpdatedAt = s.now().UTC()
	ep.Save = hookbridge.VersionNote{By: savedBy(r)}
	if err := s.store.UpdateEndpoint(r.Context(), ep); err != nil {
		return err
	}
	view := s.viewEndpoint(ep)
	view.GeneratedSecrets = generated
	if before.Disabled && !ep.Disabled {
		if view.Recovery, err = s.recoveryOfferFor(r.Context(), &before); err != nil {
			return err
		}
	}
	return writeJSON(w, http.StatusOK, withSaveReport(view, report))
}

// applyEndpointInput sets the given fields on ep and validates the result.
// Credentials are merged over current ones (an empty value removes a key).
// It returns secrets that were generated because none was given. Code
// that changed is checked once admitted (see validateCodeAdmitted).
func (s *Server) applyEndpointInput(ctx context.Context, ep *hookbridge.Endpoint, in *endpointInput, current hookbridge.Credentials) (map[string]string, error) {
	storedCode := ep.Transformation.Code
	setIf(&ep.Name, in.Name)
	setIf(&ep.Integration, in.Integration)
	setIf(&ep.URL, in.URL)
	setIf(&ep.EventTypes, in.EventTypes)
	if err := applyHeaders(ep, in); err != nil {
		return nil, err
	}
	setIf(&ep.RateLimit, in.RateLimit)
	setIf(&ep.RateLimitPeriod, in.RateLimitPeriod)
	setIf(&ep.Disabled, in.Disabled)
	in.deliveryOptionsInput.apply(ep)
	if in.Transformation != nil {
		setIf(&ep.Transformation.Code, in.Transformation.Code)
		setIf(&ep.Transformation.Enabled, in.Transformation.Enabled)
	}
	integ, ok := s.integrations.Get(ep.Integration)
	if !ok {
		return nil, fieldError("integration", "unknown integration %q; GET /api/v1/integrations lists them", ep.Integration)
	}
	info := integ.Info()
	if err := applyTemplate(ep, in, info); err != nil {
		return nil, err
	}
	if strings.TrimSpace(ep.Transformation.Code) == "" {
		ep.Transformation.Template = "" // nothing is left of it
	}
	if strings.TrimSpace(ep.Name) == "" {
		ep.Name = info.Name
	}
	var verr hookbridge.ValidationError
	s.validateEndpoint(ep, info, &verr)
	if err := s.validateCodeAdmitted(ctx, ep, info, ep.Transformation.Code != storedCode, &verr); err != nil {
		return nil, err
	}
	creds, credErr := s.mergeCredentials(info, current, in.Credentials)
	var cv *hookbridge.ValidationError
	if errors.As(credErr, &cv) {
		verr.Fields = append(verr.Fields, cv.Fields...)
	} else if credErr != nil {
		return nil, credErr
	}
	if err := verr.Err(); err != nil {
		return nil, err
	}
	generated := map[string]string{}
	for _, f := range info.Credentials {
		if f.Secret && f.Generate != nil && creds[f.Name] != "" && in.Credentials[f.Name] == "" && creds[f.Name] != current[f.Name] {
			generated[f.Name] = creds[f.Name]
		}
	}
	ep.Credentials = creds
	if len(generated) == 0 {
		generated = nil
	}
	return generated, nil
}

// applyHeaders sets the endpoint's headers and the names of its secret
// headers from a POST or PATCH. Secret headers are write-only: a PATCH
// whose headers leave a stored secret header out, or give it as the API
// shows it (masked), keeps its value; an empty value removes a header.
// Other headers are replaced by those given. A header that
// stops being a secret must be given its value again, so that the API never
// shows a value it kept hidden.
func applyHeaders(ep *hookbridge.Endpoint, in *endpointInput) error {
	stored := &hookbridge.Endpoint{Headers: ep.Headers, SecretHeaders: ep.SecretHeaders}
	kept := map[string]bool{}
	if in.Headers != nil {
		ep.Headers, kept = mergeHeaders(stored, *in.Headers)
	} else {
		for k := range ep.Headers {
			kept[k] = true
		}
	}
	if in.SecretHeaders != nil {
		ep.SecretHeaders = *in.SecretHeaders
	}
	var verr hookbridge.ValidationError
	marked := make([]string, 0, len(ep.SecretHeaders))
	for _, name := range ep.SecretHeaders {
		k, ok := headerName(ep.Headers, name)
		switch {
		case ok:
			marked = append(marked, k)
		case in.SecretHeaders != nil:
			verr.Add("secret_headers", "%q is not one of the endpoint's headers", name)
		}
	}
	ep.SecretHeaders = nil
	if len(marked) > 0 {
		ep.SecretHeaders = slices.Compact(slices.Sorted(slices.Values(marked)))
	}
	for k := range ep.Headers {
		if kept[k] && stored.IsSecretHeader(k) && !ep.IsSecretHeader(k) {
			verr.Add("headers."+k, "give its value again to stop treating it as a secret")
		}
	}
	return verr.Err()
}

// mergeHeaders returns the headers given over the stored ones, as
// applyHeaders describes, and which of them kept their stored value.
func mergeHeaders(stored *hookbridge.Endpoint, given map[string]string) (map[string]string, map[string]bool) {
	out := make(map[string]string, len(given))
	kept := map[string]bool{}
	for k, v := range given {
		if v == "" {
			continue
		}
		if old, ok := headerName(stored.Headers, k); ok && stored.IsSecretHeader(old) && v == hookbridge.MaskHeaderValue(stored.Headers[old]) {
			v, kept[k] = stored.Headers[old], true
		}
		out[k] = v
	}
	for k, v := range stored.Headers {
		if _, mentioned := headerName(given, k); !mentioned && stored.IsSecretHeader(k) {
			out[k], kept[k] = v, true
		}
	}
	return out, kept
}

// headerName finds name among the keys of h, without case.
func headerName(h map[string]string, name string) (string, bool) {
	if _, ok := h[name]; ok {
		return name, true
	}
	for k := range h {
		if strings.EqualFold(k, name) {
			return k, true
		}
	}
	return "", false
}

func (s *Server) mergeCredentials(info hookbridge.IntegrationInfo, current, given map[string]string) (hookbridge.Credentials, error) {
	merged := maps.Clone(current)
	if merged == nil {
		merged = map[string]string{}
	}
	for k, v := range given {
		if v == "" {
			delete(merged, k)
		} else {
			merged[k] = v
		}
		// A secret set by hand replaces the one before at once (it may
		// have leaked); only rotate-secret keeps the old one for a while.
		previous, expires := hookbridge.RotatedFields(k)
		if _, keep := given[previous]; !keep {
			delete(merged, previous)
			delete(merged, expires)
		}
	}
	return hookbridge.CheckCredentials(info, merged)
}

// rotateEndpointSecret gives an endpoint a new signing secret (generated,
// or the one given) and keeps signing with the current one beside it for
// hookbridge.RotationGrace, so that the receiver can switch over without
// refusing a single event. The new secret is shown in full this once.
func (s *Server) rotateEndpointSecret(w http.ResponseWriter, r *http.Request, ep *hookbridge.Endpoint) error {
	given, err := s.readSecretInput(w, r)
	if err != nil {
		return err
	}
	integ, ok := s.integrations.Get(ep.Integration)
	if !ok {
		return errorf(http.StatusUnprocessableEntity, "not_rotatable", "the endpoint's integration %q is not installed", ep.Integration)
	}
	field := integ.Info().RotatableSecret()
	if field == "" {
		return errorf(http.StatusUnprocessableEntity, "not_rotatable",
			"%s endpoints have no signing secret to rotate; change their credentials with PATCH", integ.Info().Name)
	}
	secret, err := newSecret(given)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	creds, err := hookbridge.Rotate(integ.Info(), ep.Credentials, field, secret, now)
	if err == nil {
		creds, err = hookbridge.CheckCredentials(integ.Info(), creds)
	}
	if err != nil {
		return err
	}
	ep.Credentials, ep.UpdatedAt = creds, now
	if err := s.store.UpdateEndpoint(r.Context(), ep); err != nil {
		return err
	}
	view := s.viewEndpoint(ep)
	view.GeneratedSecrets = map[string]string{field: secret}
	return writeJSON(w, http.StatusOK, view)
}

// applyTemplate loads a template's code (and event types, unless given),
// and records that the transformation came from it (also when the code
// given with it is the template's, edited).
func applyTemplate(ep *hookbridge.Endpoint, in *endpointInput, info hookbridge.IntegrationInfo) error {
	if in.Template == nil || *in.Template == "" {
		return nil
	}
	for _, t := range info.Templates {
		if t.ID != *in.Template {
			continue
		}
		if in.Transformation == nil || in.Transformation.Code == nil {
			ep.Transformation.Code, ep.Transformation.Enabled = t.Code, true
		}
		ep.Transformation.Template = t.ID
		if in.EventTypes == nil {
			ep.EventTypes = slices.Clone(t.EventTypes)
		}
		return nil
	}
	ids := make([]string, len(info.Templates))
	for i, t := range info.Templates {
		ids[i] = t.ID
	}
	return fieldError("template", "%s has no template %q; choose one of: %s", info.Name, *in.Template, strings.Join(ids, ", "))
}

const (
	maxNameLen   = 200
	maxHeaders   = 50
	maxRateLimit = 100000
	// maxRateLimitPeriod is the longest period a rate limit may count over.
	maxRateLimitPeriod = 24 * time.Hour
	maxEventTypes      = 100
)

func (s *Server) validateEndpoint(ep *hookbridge.Endpoint, info hookbridge.IntegrationInfo, verr *hookbridge.ValidationError) {
	if len(ep.Name) > maxNameLen {
		verr.Add("name", "must be at most %d characters", maxNameLen)
	}
	switch {
	case info.URLCredential != "":
		if ep.URL != "" {
			verr.Add("url", "%s endpoints keep their URL in credentials.%s, where it is encrypted and masked: it holds a token", info.Name, info.URLCredential)
		}
	case ep.URL == "" && info.DefaultURL == "":
		verr.Add("url", "is required for %s endpoints", info.Name)
	case ep.URL != "":
		if msg := checkURL(ep.URL); msg != "" {
			verr.Add("url", "%s", msg)
		}
	}
	s.validateEventTypes(ep, verr)
	validateHeaders(ep.Headers, verr)
	if ep.RateLimit < 0 || ep.RateLimit > maxRateLimit {
		verr.Add("rate_limit", "must be between 0 (no limit) and %d requests per period", maxRateLimit)
	}
	if p := time.Duration(ep.RateLimitPeriod); p != 0 && (p < time.Millisecond || p > maxRateLimitPeriod) {
		verr.Add("rate_limit_period", "must be between 1ms and %s (or 0s: one second)", hookbridge.FormatDuration(maxRateLimitPeriod))
	}
	s.validateDeliveryOptions(ep, verr)
}

func (s *Server) validateEventTypes(ep *hookbridge.Endpoint, verr *hookbridge.ValidationError) {
	if ep.EventTypes == nil {
		ep.EventTypes = []string{}
	}
	if len(ep.EventTypes) > maxEventTypes {
		verr.Add("event_types", "at most %d event types", maxEventTypes)
	}
	seen := map[string]bool{}
	unique := ep.EventTypes[:0]
	for _, name := range ep.EventTypes {
		if _, ok := s.eventByName[name]; !ok {
			verr.Add("event_types", "unknown event type %q; GET /api/v1/event-types lists them", name)
			continue
		}
		if !seen[name] {
			seen[name] = true
			unique = append(unique, name)
		}
	}
	ep.EventTypes = unique
}

func (s *Server) validateCode(ep *hookbridge.Endpoint, info hookbridge.IntegrationInfo, verr *hookbridge.ValidationError) {
	code := ep.Transformation.Code
	if strings.TrimSpace(code) == "" {
		if info.RequiresTransformation {
			verr.Add("transformation.code", "%s needs a transformation that shapes events for its API; start from a template (field \"template\": %s)",
				info.Name, strings.Join(templateIDs(info), ", "))
		}
		return
	}
	var codeErr *hookbridge.CodeError
	if err := s.transformer.Check(code); errors.As(err, &codeErr) {
		verr.Fields = append(verr.Fields, hookbridge.FieldError{Field: "transformation.code", Message: codeErr.Message, Line: codeErr.Line})
	} else if err != nil {
		verr.Add("transformation.code", "%v", err)
	}
}

func templateIDs(info hookbridge.IntegrationInfo) []string {
	var ids []string
	for _, t := range info.Templates {
		if !t.FromDocs {
			ids = append(ids, t.ID)
		}
	}
	return ids
}

func validateHeaders(h map[string]string, verr *hookbridge.ValidationError) {
	if len(h) > maxHeaders {
		verr.Add("headers", "at most %d headers", maxHeaders)
	}
	for name, value := range h {
		switch {
		case !validHeaderName(name):
			verr.Add("headers."+name, "is not a valid header name")
		case strings.ContainsAny(value, "\r\n\x00"):
			verr.Add("headers."+name, "must not contain line breaks")
		case strings.EqualFold(name, "Host") || strings.EqualFold(name, "Content-Length"):
			verr.Add("headers."+name, "is set by hookbridge and cannot be overridden")
		}
	}
}

func validHeaderName(name string) bool {
	if name == "" || len(name) > 256 {
		return false
	}
	for _, c := range name {
		if c > 0x7e || c <= ' ' || strings.ContainsRune("\"(),/:;<=>?@[\\]{}", c) {
			return false
		}
	}
	return true
}

// checkURL returns what is wrong with a destination URL, or "".
func checkURL(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "is not a valid URL"
	case u.Scheme != "http" && u.Scheme != "https":
		return "must start with http:// or https://"
	case u.Host == "":
		return "must name a host"
	case u.User != nil:
		return "must not carry a user name or password; use credentials or headers"
	case !validPort(u.Port()):
		return "has a port that is not a number from 1 to 65535"
	case netguard.CheckHost(u.Hostname()) != nil:
		return "has a host that is a number but not an IP address (such as 0x7f000001 or 0177.0.0.1); write the address as 127.0.0.1 or use a host name"
	}
	return ""
}

// validPort reports whether port, from a URL, is empty or a number from 1
// to 65535.
func validPort(port string) bool {
	if port == "" {
		return true
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535
}

func (s *Server) listEndpoints(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	eps, err := s.store.ListEndpoints(r.Context(), app.ID)
	if err != nil {
		return err
	}
	views := make([]endpointView, len(eps))
	for i, ep := range eps {
		views[i] = s.viewEndpoint(ep)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"data": views})
}

func (s *Server) getEndpoint(w http.ResponseWriter, r *http.Request, ep *hookbridge.Endpoint) error {
	return writeJSON(w, http.StatusOK, s.viewEndpoint(ep))
}

func (s *Server) deleteEndpoint(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	return writeNoContent(w, s.store.DeleteEndpoint(r.Context(), app.ID, r.PathValue("id")))
}

func fieldError(field, format string, args ...any) error {
	var verr hookbridge.ValidationError
	verr.Add(field, format, args...)
	return &verr
}

func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

func ptr[T any](v T) *T { return &v }

// endpointFor loads the {id} endpoint of the path's app, if the caller's
// token may see that app.
func (s *Server) endpointFor(r *http.Request) (*hookbridge.Endpoint, error) {
	app, err := s.appFor(r)
	if err != nil {
		return nil, err
	}
	return s.store.GetEndpoint(r.Context(), app.ID, r.PathValue("id"))
}
