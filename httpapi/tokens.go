package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
)

// App-scoped API tokens. An admin token, or a token of the app, may make
// and revoke tokens of the app. The secret is shown once, in the answer to
// the call that made it; only its hash is stored. A token never outlives
// the token that makes it: one made with an expiring token (such as the
// token of a portal session) expires with it at the latest.

type tokenInput struct {
	Name      string     `json:"name"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// tokenView is a token as the API shows it, with the secret when it was
// just made.
type tokenView struct {
	*hookbridge.Token
	Secret string `json:"token,omitempty"`
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	var in tokenInput
	if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
		return err
	}
	now := s.now().UTC()
	name := strings.TrimSpace(in.Name)
	var verr hookbridge.ValidationError
	switch {
	case name == "":
		name = "API token"
	case len(name) > maxNameLen:
		verr.Add("name", "must be at most %d characters", maxNameLen)
	}
	if in.ExpiresAt != nil && !in.ExpiresAt.After(now) {
		verr.Add("expires_at", "must lie in the future (an RFC 3339 time)")
	}
	if err := verr.Err(); err != nil {
		return err
	}
	secret, tok, err := NewToken(app.ID, name, now)
	if err != nil {
		return err
	}
	if in.ExpiresAt != nil {
		at := in.ExpiresAt.UTC()
		tok.ExpiresAt = &at
	}
	capExpiry(tok, tokenFrom(r.Context()))
	if err := s.store.CreateToken(r.Context(), tok); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, tokenView{Token: tok, Secret: secret})
}

// capExpiry makes tok expire no later than maker, the token that makes it.
func capExpiry(tok, maker *hookbridge.Token) {
	if maker == nil || maker.ExpiresAt == nil {
		return
	}
	if tok.ExpiresAt == nil || tok.ExpiresAt.After(*maker.ExpiresAt) {
		at := maker.ExpiresAt.UTC()
		tok.ExpiresAt = &at
	}
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	tokens, err := s.store.ListTokens(r.Context(), app.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"data": nonNil(tokens)})
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	return writeNoContent(w, s.revokeStoredToken(r.Context(), app.ID, r.PathValue("id"), s.now().UTC()))
}
