package hookbridge

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
)

// Integration is a kind of destination: a plain webhook, or a tool such as
// Customer.io or Segment. Each lives in its own package under integration/.
type Integration interface {
	// Info describes the integration for the catalogue and the dashboard.
	Info() IntegrationInfo
	// Prepare turns a transformed request into the one to send: it moves
	// it to the credentials' region, adds the idempotency key, and attaches
	// authentication — only when the request goes to one of Info().Hosts.
	Prepare(req *OutboundRequest, creds Credentials, sc SendContext) error
	// Validate checks a prepared request against the destination's API and
	// lists what the destination would reject or silently drop, and what it
	// would accept but file or act on differently than meant (warnings).
	// now is the send time, for rules that depend on an event's age.
	Validate(req *OutboundRequest, now time.Time) []Problem
}

// IntegrationInfo describes an integration.
type IntegrationInfo struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Group is the catalogue group its card is shown in (see the Group
	// constants).
	Group string `json:"group"`
	// Logo is an SVG image.
	Logo string `json:"logo"`
	// DefaultURL is webhook.url before the handler runs, when the endpoint
	// has no URL of its own.
	DefaultURL string `json:"default_url,omitempty"`
	// URLCredential names the credential that holds the destination URL,
	// for tools whose URL carries a token (a Slack incoming webhook): the
	// URL is a secret, kept with the credentials rather than in the
	// endpoint's url, and webhook.url starts as its value.
	URLCredential string `json:"url_credential,omitempty"`
	// Hosts are the destination's API hosts: credentials go only there.
	Hosts       []string          `json:"hosts"`
	Credentials []CredentialField `json:"credentials"`
	Templates   []Template        `json:"templates"`
	// RequiresTransformation is true for tools whose API does not take the
	// payments platform's event as it is.
	RequiresTransformation bool `json:"requires_transformation"`
	// RateLimit is the rate limit a new endpoint gets unless it sets its
	// own: what the tool allows; nil means none.
	RateLimit *RateLimitDefault `json:"rate_limit,omitempty"`
	// Docs is the integration's documentation page, relative to the
	// repository (docs/integrations/<id>.md); "" if it has none.
	Docs string `json:"docs,omitempty"`
}

// The catalogue groups, in display order.
const (
	GroupPlainURL          = "Plain URL"
	GroupAnalytics         = "Analytics"
	GroupCustomerMessaging = "Customer messaging"
	GroupTeamNotifications = "Team notifications"
	GroupAutomation        = "Automation"
	GroupEmail             = "Email"
	GroupCRM               = "CRM"
)

// RateLimitDefault is an integration's default rate limit: Requests per
// Period (one second when zero), Burst at once (1 when zero).
type RateLimitDefault struct {
	Requests int      `json:"requests"`
	Period   Duration `json:"period,omitempty"`
	Burst    int      `json:"burst,omitempty"`
}

// DestinationURL returns where a request for an endpoint of this
// integration starts: the endpoint's own URL, else the URL credential's
// value, else DefaultURL.
func (info IntegrationInfo) DestinationURL(e *Endpoint) string {
	switch {
	case e.URL != "":
		return e.URL
	case info.URLCredential != "" && e.Credentials[info.URLCredential] != "":
		return e.Credentials[info.URLCredential]
	}
	return info.DefaultURL
}

// CredentialField describes one credential an integration needs.
type CredentialField struct {
	Name     string   `json:"name"`
	Label    string   `json:"label"`
	Help     string   `json:"help,omitempty"`
	Secret   bool     `json:"secret"`
	Required bool     `json:"required"`
	Choices  []string `json:"choices,omitempty"`
	Default  string   `json:"default,omitempty"`
	// Generate, if set, makes a value when none is given.
	Generate func() (string, error) `json:"-"`
	// Check, if set, validates a given value; it returns a message.
	Check func(string) string `json:"-"`
	// Hidden marks a field hookbridge sets itself (the previous secret
	// during a rotation, see RotatedFields): forms do not ask for it.
	Hidden bool `json:"hidden,omitempty"`
}

// RotationGrace is how long a rotated secret keeps being used beside the
// new one, so that a receiver can switch over without missing an event.
const RotationGrace = 24 * time.Hour

// RotatedFields names the hidden fields that keep a rotated secret field's
// previous value and the time (RFC 3339) until which it is still used. An
// integration whose secret can be rotated declares both.
func RotatedFields(field string) (previous, expires string) {
	return "previous_" + field, "previous_" + field + "_expires_at"
}

// RotatableSecret names the secret that hookbridge generates for the
// integration and can rotate (the webhook signing secret): one that
// declares the fields of RotatedFields. "" if there is none.
func (info IntegrationInfo) RotatableSecret() string {
	for _, f := range info.Credentials {
		if f.Secret && f.Generate != nil && info.canRotate(f.Name) {
			return f.Name
		}
	}
	return ""
}

// canRotate reports whether the integration declares field and the
// hidden fields its rotation keeps.
func (info IntegrationInfo) canRotate(field string) bool {
	previous, expires := RotatedFields(field)
	found := 0
	for _, f := range info.Credentials {
		if f.Name == field || f.Name == previous || f.Name == expires {
			found++
		}
	}
	return found == 3
}

// Rotate returns creds with a new value for the secret field: the current
// value becomes the previous one, used until now+RotationGrace. It fails
// if the integration does not declare the fields a rotation needs.
func Rotate(info IntegrationInfo, creds Credentials, field, value string, now time.Time) (Credentials, error) {
	previous, expires := RotatedFields(field)
	if !info.canRotate(field) {
		return nil, fmt.Errorf("%s has no %s that can be rotated", info.Name, field)
	}
	out := maps.Clone(creds)
	if out == nil {
		out = Credentials{}
	}
	if current := out[field]; current != "" {
		out[previous] = current
		out[expires] = now.Add(RotationGrace).UTC().Format(time.RFC3339)
	}
	out[field] = value
	return out, nil
}

// Template is a ready transformation for an integration.
type Template struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	EventTypes  []string `json:"event_types"`
	Code        string   `json:"code"`
	// FromDocs marks the handlers quoted verbatim from the source
	// documents; some of them send requests the real API rejects.
	FromDocs bool `json:"from_docs"`
}

// OutboundRequest is an HTTP request on its way to a destination.
type OutboundRequest struct {
	Method  string
	URL     string
	Headers map[string]string
	// Body is what is sent. It is replaced, never changed in place; Object
	// reads it once (see Object).
	Body []byte

	parsed    *parsedBody
	bodyReads int
}

// Host returns the lower-cased host name of the request URL.
func (r *OutboundRequest) Host() string {
	u, err := url.Parse(r.URL)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// SetHeader sets a header, replacing any of the same name in any case.
func (r *OutboundRequest) SetHeader(name, value string) {
	if r.Headers == nil {
		r.Headers = map[string]string{}
	}
	for k := range r.Headers {
		if strings.EqualFold(k, name) {
			delete(r.Headers, k)
		}
	}
	r.Headers[name] = value
}

// Header returns a header's value, whatever the case of its name.
func (r *OutboundRequest) Header(name string) string {
	for k, v := range r.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// Record returns the request as it is kept in attempts and shown to users:
// every secret value is masked wherever it appears (see Masker), and every
// header named like a credential always is (see MaskHeaderValue).
func (r *OutboundRequest) Record(secrets []string) RecordedRequest {
	return r.RecordWith(NewMasker(secrets...))
}

// RecordWith is Record with a Masker made before.
func (r *OutboundRequest) RecordWith(m *Masker) RecordedRequest {
	headers := make(map[string]string, len(r.Headers))
	for k, v := range r.Headers {
		if IsCredentialHeader(k) {
			v = MaskHeaderValue(v)
		}
		headers[k] = m.Mask(v)
	}
	return RecordedRequest{Method: r.Method, URL: m.Mask(r.URL), Headers: headers, Body: m.Mask(string(r.Body))}
}

// MaskHeaderValue masks the value of a header that carries a credential,
// keeping an authorization scheme ("Basic ********").
func MaskHeaderValue(v string) string {
	if scheme, _, ok := strings.Cut(v, " "); ok && isAuthScheme(scheme) {
		return scheme + " ********"
	}
	return Mask(v)
}

// isAuthScheme reports whether s can be an authorization scheme: a word of
// letters (Basic, Bearer, Token …).
func isAuthScheme(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-') {
			return false
		}
	}
	return true
}

// SendContext carries what Prepare needs besides the request.
type SendContext struct {
	// IdempotencyKey is stable for one message and endpoint.
	IdempotencyKey string
	MessageID      string
	Now            time.Time
}

// Problem is one reason a destination would reject or drop a request.
type Problem struct {
	// Field is a path into the request body ("action", "identifiers.id"),
	// or "url", "method", "headers".
	Field   string `json:"field"`
	Message string `json:"message"`
	// Fix suggests what to change in the transformation.
	Fix string `json:"fix,omitempty"`
	// Warning marks a problem the destination does not reject the request
	// for (a field it ignores, a host it does not own): the request is still
	// sent, and the warning is shown when testing.
	Warning bool `json:"warning,omitempty"`
}

// Blocking returns the problems that stop a request from being sent.
func Blocking(problems []Problem) []Problem {
	var out []Problem
	for _, p := range problems {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// Warnings returns the problems that do not stop a request from being
// sent.
func Warnings(problems []Problem) []Problem {
	var out []Problem
	for _, p := range problems {
		if p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// Integrations is the catalogue of known integrations, in display order.
type Integrations struct {
	list []Integration
	byID map[string]Integration
}

// NewIntegrations makes a catalogue.
func NewIntegrations(list ...Integration) *Integrations {
	r := &Integrations{byID: map[string]Integration{}}
	for _, in := range list {
		r.list = append(r.list, in)
		r.byID[in.Info().ID] = in
	}
	return r
}

// Get finds an integration by id.
func (r *Integrations) Get(id string) (Integration, bool) {
	in, ok := r.byID[id]
	return in, ok
}

// All returns every integration in display order.
func (r *Integrations) All() []Integration { return r.list }

// CheckCredentials validates creds against the integration's fields,
// fills defaults and generated values, and returns the completed set.
// Unknown fields are errors, so that a typo is not silently ignored.
func CheckCredentials(info IntegrationInfo, creds Credentials) (Credentials, error) {
	var verr ValidationError
	out := Credentials{}
	known := map[string]bool{}
	for _, f := range info.Credentials {
		known[f.Name] = true
		v, given := creds[f.Name]
		v = strings.TrimSpace(v)
		switch {
		case v == "" && f.Default != "":
			v = f.Default
		case v == "" && f.Generate != nil:
			gen, err := f.Generate()
			if err != nil {
				return nil, err
			}
			v = gen
		}
		if v == "" {
			if f.Required {
				verr.Add("credentials."+f.Name, "%s is required", f.Label)
			}
			continue
		}
		if len(f.Choices) > 0 && !slices.Contains(f.Choices, v) {
			verr.Add("credentials."+f.Name, "must be one of %s", strings.Join(f.Choices, ", "))
			continue
		}
		if f.Check != nil && given {
			if msg := f.Check(v); msg != "" {
				verr.Add("credentials."+f.Name, "%s", msg)
				continue
			}
		}
		out[f.Name] = v
	}
	var unknown []string
	for k := range creds {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		verr.Add("credentials."+k, "unknown credential for %s", info.Name)
	}
	if err := verr.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// EndpointSecrets returns every secret value of an endpoint of the
// integration: its secret credentials and its secret headers, for masking.
func EndpointSecrets(info IntegrationInfo, e *Endpoint) []string {
	return append(SecretValues(info, e.Credentials), e.SecretHeaderValues()...)
}

// SecretValues returns the values of the secret credential fields, for
// masking.
func SecretValues(info IntegrationInfo, creds Credentials) []string {
	var out []string
	for _, f := range info.Credentials {
		if f.Secret && creds[f.Name] != "" {
			out = append(out, secretPart(info, f.Name, creds[f.Name]))
		}
	}
	return out
}

// secretPart is what to mask of a secret credential: all of it, except
// for the URL credential, whose path and query (where the token is) are
// masked and its host left to show where a request went — unless they are
// too short to hold a token.
func secretPart(info IntegrationInfo, field, value string) string {
	if field != info.URLCredential {
		return value
	}
	u, err := url.Parse(value)
	if err != nil || u.Host == "" {
		return value
	}
	_, rest, _ := strings.Cut(value, u.Host)
	if len(strings.Trim(rest, "/")) < 8 {
		return value
	}
	return rest
}
