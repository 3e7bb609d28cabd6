package hookbridge

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Endpoint is a destination of an app's messages: a plain URL (integration
// "webhook") or an integration such as Customer.io or Segment, with its
// credentials and an optional JavaScript transformation.
type Endpoint struct {
	ID          string `json:"id"`
	AppID       string `json:"app_id"`
	Name        string `json:"name"`
	Integration string `json:"integration"`
	URL         string `json:"url,omitempty"`
	// Credentials are write-only: stored encrypted, never returned by the
	// API in full, never logged.
	Credentials    Credentials    `json:"-"`
	EventTypes     []string       `json:"event_types"`
	Transformation Transformation `json:"transformation"`
	// Headers are sent with every request. Those named like credentials
	// (IsCredentialHeader) and those named in SecretHeaders are secrets:
	// stored encrypted, masked in every answer of the API and in every
	// recorded request.
	Headers map[string]string `json:"headers"`
	// SecretHeaders names headers of Headers that are secrets although
	// their names do not say so (compared without case). Stores keep the
	// names that are among Headers.
	SecretHeaders []string `json:"secret_headers"`
	// RateLimit is the most requests sent to this endpoint per
	// RateLimitPeriod (per second when that is zero); 0 means no limit.
	RateLimit int `json:"rate_limit"`
	// RateLimitPeriod is the period RateLimit counts over; zero means one
	// second. A tool that states its limit as 100 per 10 s is given
	// RateLimit 100 and RateLimitPeriod 10 s.
	RateLimitPeriod Duration `json:"rate_limit_period,omitempty"`
	// Burst is how many requests may go at once after a quiet spell when
	// RateLimit is set; 0 means 1 (requests evenly spaced).
	Burst int `json:"burst"`
	// TimeoutSeconds bounds each request to this endpoint; 0 means the
	// server's request timeout (15 s by default).
	TimeoutSeconds int `json:"timeout_seconds"`
	// Batching sends deliveries that are due together in one request, for
	// integrations whose API takes batches (see Batcher).
	Batching bool `json:"batching"`
	// Ordering delivers the events of one customer one at a time, in order.
	Ordering Ordering `json:"ordering"`
	Disabled bool     `json:"disabled"`
	// Operational marks the endpoint that receives the app's operational
	// events (endpoint.disabled, delivery.exhausted). Messages of the app
	// are never fanned out to it.
	Operational bool `json:"operational,omitempty"`

	// The endpoint's health, kept by the dispatcher and read-only through
	// UpdateEndpoint (re-enabling an endpoint clears it).
	//
	// FailingSince is when the endpoint began failing without a success in
	// between; nil while it is healthy.
	FailingSince *time.Time `json:"failing_since,omitempty"`
	// PausedUntil holds back its deliveries after a 429 answer.
	PausedUntil *time.Time `json:"paused_until,omitempty"`
	// DisabledAt and DisabledReason say when and why it was disabled.
	DisabledAt     *time.Time `json:"disabled_at,omitempty"`
	DisabledReason string     `json:"disabled_reason,omitempty"`

	// Version grows with every update; compiled code is cached per version.
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`

	// Save says who creates or updates the endpoint, for the version of
	// its transformation that CreateEndpoint or UpdateEndpoint records. It
	// is kept in that version, not with the endpoint.
	Save VersionNote `json:"-"`
}

// Ordering makes an endpoint receive the events of one key (by default
// one customer) one at a time, in the order they arrived: a delivery is not
// attempted while an older one of the same endpoint and key is pending.
// Events of different keys go in parallel; an event without the key is not
// ordered.
type Ordering struct {
	Enabled bool `json:"enabled"`
	// KeyPath is a dotted path into the event payload; empty means
	// DefaultOrderingKeyPath.
	KeyPath string `json:"key_path,omitempty"`
}

// DefaultOrderingKeyPath is the customer id of the payments platform's
// events.
const DefaultOrderingKeyPath = "data.customer.customer_id"

// OrderingKey returns the key that orders the delivery of payload to the
// endpoint, or "" when the endpoint is not ordered or the payload has no
// such key.
func (e *Endpoint) OrderingKey(payload []byte) string {
	if !e.Ordering.Enabled {
		return ""
	}
	path := cmp.Or(e.Ordering.KeyPath, DefaultOrderingKeyPath)
	return KeyAt(payload, path)
}

// Timeout returns how long a request to the endpoint may take, given the
// server's default.
func (e *Endpoint) Timeout(def time.Duration) time.Duration {
	if e.TimeoutSeconds > 0 {
		return time.Duration(e.TimeoutSeconds) * time.Second
	}
	return def
}

// Throttle returns the endpoint's rate limit; its Requests is 0 when the
// endpoint has none.
func (e *Endpoint) Throttle() RateLimit {
	return RateLimit{Requests: e.RateLimit, Period: time.Duration(e.RateLimitPeriod), Burst: e.Burst}
}

// Transformation is an endpoint's JavaScript handler:
// function handler(webhook) { …; return webhook }.
type Transformation struct {
	Code    string `json:"code"`
	Enabled bool   `json:"enabled"`
	// Template is the id of the integration's template the code came
	// from, "" if none: set by a save that names a template and kept by
	// later saves that edit the code.
	Template string `json:"template,omitempty"`
	// Version is the number of the TransformationVersion this is. Stores
	// set it; the value given to CreateEndpoint or UpdateEndpoint is
	// ignored.
	Version int `json:"version"`
}

// SameAs reports whether t and u do the same to events: the same code,
// enabled flag and template, whatever their version numbers.
func (t Transformation) SameAs(u Transformation) bool {
	return t.Code == u.Code && t.Enabled == u.Enabled && t.Template == u.Template
}

// Credentials are an endpoint's secret settings, by field name (site_id,
// api_key, write_key, region, signing_secret …).
type Credentials map[string]string

// Accepts reports whether the endpoint subscribes to the event type: an
// empty list means every type.
func (e *Endpoint) Accepts(eventType string) bool {
	return len(e.EventTypes) == 0 || slices.Contains(e.EventTypes, eventType)
}

// CodeKey identifies the endpoint's current code version, for caching
// compiled programs.
func (e *Endpoint) CodeKey() string {
	return e.ID + "@" + strconv.Itoa(e.Version)
}

// IsCredentialHeader reports whether a header's name says that it carries
// a credential: Authorization, Proxy-Authorization, Cookie, X-Api-Key and
// names ending in -Token, -Secret, -Key (but not Idempotency-Key),
// -Password or -Auth, compared without case.
func IsCredentialHeader(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "authorization", "proxy-authorization", "cookie", "x-api-key", "apikey", "api-key":
		return true
	}
	if strings.HasSuffix(n, "idempotency-key") {
		return false
	}
	for _, suffix := range []string{"-token", "-secret", "-key", "-password", "-auth", "_token", "_secret", "_key"} {
		if strings.HasSuffix(n, suffix) {
			return true
		}
	}
	return false
}

// IsSecretHeader reports whether the endpoint's header of that name is a
// secret: named like a credential, or named in SecretHeaders.
func (e *Endpoint) IsSecretHeader(name string) bool {
	return IsCredentialHeader(name) || slices.ContainsFunc(e.SecretHeaders, func(s string) bool { return strings.EqualFold(s, name) })
}

// SplitHeaders returns the endpoint's headers in two: those that are not
// secrets, and those that are. Either may be empty, never nil.
func (e *Endpoint) SplitHeaders() (plain, secret map[string]string) {
	plain, secret = map[string]string{}, map[string]string{}
	for k, v := range e.Headers {
		if e.IsSecretHeader(k) {
			secret[k] = v
		} else {
			plain[k] = v
		}
	}
	return plain, secret
}

// JoinHeaders sets the endpoint's Headers from the two parts SplitHeaders
// made, and SecretHeaders to the secret ones not named like credentials
// (nil if there are none). A secret header wins over a plain one of the
// same name.
func (e *Endpoint) JoinHeaders(plain, secret map[string]string) {
	e.Headers = maps.Clone(plain)
	if e.Headers == nil {
		e.Headers = map[string]string{}
	}
	e.SecretHeaders = nil
	for _, k := range slices.Sorted(maps.Keys(secret)) {
		e.Headers[k] = secret[k]
		if !IsCredentialHeader(k) {
			e.SecretHeaders = append(e.SecretHeaders, k)
		}
	}
}

// SecretHeaderValues returns the values of the endpoint's secret headers,
// and of each the part after an authorization scheme ("Bearer …"), for
// masking.
func (e *Endpoint) SecretHeaderValues() []string {
	var out []string
	for k, v := range e.Headers {
		if !e.IsSecretHeader(k) {
			continue
		}
		out = append(out, v)
		if _, token, ok := strings.Cut(v, " "); ok {
			out = append(out, strings.TrimSpace(token))
		}
	}
	return out
}
