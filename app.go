package hookbridge

import (
	"regexp"
	"time"
)

// DefaultAppID is the app created at first start of a single-user install.
const DefaultAppID = "default"

// App is a tenant: every source, message and endpoint belongs to one app.
type App struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	// RetrySchedule lists the wait before each attempt of the app's
	// deliveries (the first is 0: at once); its length is the number of
	// attempts. Empty means the platform's schedule.
	RetrySchedule []Duration `json:"retry_schedule,omitempty"`
	// DisableEndpointAfter is how long an endpoint of the app may fail
	// continuously before it is disabled; zero means
	// DefaultDisableEndpointAfter.
	DisableEndpointAfter Duration `json:"disable_endpoint_after,omitempty"`
}

// DefaultDisableEndpointAfter is how long an endpoint may fail without a
// single success before it is disabled, unless its app says otherwise.
const DefaultDisableEndpointAfter = 5 * 24 * time.Hour

// DisableAfter returns how long an endpoint of the app may fail
// continuously before it is disabled.
func (a *App) DisableAfter() time.Duration {
	if a == nil || a.DisableEndpointAfter <= 0 {
		return DefaultDisableEndpointAfter
	}
	return time.Duration(a.DisableEndpointAfter)
}

// Schedule returns the app's retry schedule as durations, nil if it uses
// the default.
func (a *App) Schedule() []time.Duration {
	if a == nil || len(a.RetrySchedule) == 0 {
		return nil
	}
	out := make([]time.Duration, len(a.RetrySchedule))
	for i, d := range a.RetrySchedule {
		out[i] = time.Duration(d)
	}
	return out
}

var appIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// ValidAppID reports whether id can name an app: lower-case letters, digits,
// '-' and '_', starting with a letter or digit, at most 63 characters.
func ValidAppID(id string) bool { return appIDPattern.MatchString(id) }

// Token is an API bearer token. Only the SHA-256 hash of the secret is
// stored. An empty AppID means an admin token that sees every app.
type Token struct {
	ID        string     `json:"id"`
	AppID     string     `json:"app_id,omitempty"`
	Name      string     `json:"name"`
	Hash      []byte     `json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// IsAdmin reports whether the token may act on every app.
func (t *Token) IsAdmin() bool { return t.AppID == "" }

// Usable reports whether the token may be used at time now.
func (t *Token) Usable(now time.Time) bool {
	if t.RevokedAt != nil {
		return false
	}
	return t.ExpiresAt == nil || now.Before(*t.ExpiresAt)
}

// CanAccess reports whether the token may act on the given app.
func (t *Token) CanAccess(appID string) bool { return t.IsAdmin() || t.AppID == appID }
