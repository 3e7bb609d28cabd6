package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/signing"
)

const maxSourceSecrets = 10

type sourceInput struct {
	Name   *string `json:"name"`
	Secret *string `json:"secret"`
}

type sourceView struct {
	*hookbridge.Source
	IngestURL string       `json:"ingest_url"`
	Secrets   []secretView `json:"secrets"`
	// Secret is the newly generated or given secret, shown in full only in
	// the answer to the call that created it.
	Secret string `json:"secret,omitempty"`
}

type secretView struct {
	Masked    string     `json:"masked"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

func viewSource(r *http.Request, src *hookbridge.Source) sourceView {
	v := sourceView{Source: src, IngestURL: baseURL(r) + "/ingest/" + src.ID, Secrets: []secretView{}}
	for _, sec := range src.Secrets {
		v.Secrets = append(v.Secrets, secretView{Masked: hookbridge.Mask(sec.Secret), CreatedAt: sec.CreatedAt, ExpiresAt: sec.ExpiresAt})
	}
	return v
}

// baseURL is how the caller reached this server.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// newSecret validates a given secret, or generates one.
func newSecret(given *string) (string, error) {
	if given == nil || *given == "" {
		return signing.GenerateSecret()
	}
	if _, err := signing.ParseSecret(*given); err != nil {
		return "", fieldError("secret", "must be a Standard Webhooks secret: whsec_ followed by base64 of 24 to 64 bytes")
	}
	return *given, nil
}

// readSecretInput reads the optional body of a rotate-secret request,
// {"secret": "whsec_…"}: the secret given, or nil.
func (s *Server) readSecretInput(w http.ResponseWriter, r *http.Request) (*string, error) {
	var in struct {
		Secret *string `json:"secret"`
	}
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
			return nil, err
		}
	}
	return in.Secret, nil
}

func (s *Server) createSource(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	var in sourceInput
	if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
		return err
	}
	secret, err := newSecret(in.Secret)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	src := &hookbridge.Source{
		ID: hookbridge.NewID("src"), AppID: app.ID, Name: "Payments platform",
		Secrets:   []hookbridge.SourceSecret{{Secret: secret, CreatedAt: now}},
		CreatedAt: now, UpdatedAt: now,
	}
	if err := applySourceName(src, in.Name); err != nil {
		return err
	}
	if err := s.store.CreateSource(r.Context(), src); err != nil {
		return err
	}
	v := viewSource(r, src)
	v.Secret = secret
	return writeJSON(w, http.StatusCreated, v)
}

func applySourceName(src *hookbridge.Source, name *string) error {
	if name == nil {
		return nil
	}
	n := strings.TrimSpace(*name)
	if n == "" || len(n) > maxNameLen {
		return fieldError("name", "must be 1 to %d characters", maxNameLen)
	}
	src.Name = n
	return nil
}

func (s *Server) listSources(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	srcs, err := s.store.ListSources(r.Context(), app.ID)
	if err != nil {
		return err
	}
	views := make([]sourceView, len(srcs))
	for i, src := range srcs {
		views[i] = viewSource(r, src)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"data": views})
}

func (s *Server) getSource(w http.ResponseWriter, r *http.Request, src *hookbridge.Source) error {
	return writeJSON(w, http.StatusOK, viewSource(r, src))
}

func (s *Server) sourceFor(r *http.Request) (*hookbridge.Source, error) {
	app, err := s.appFor(r)
	if err != nil {
		return nil, err
	}
	return s.store.GetSource(r.Context(), app.ID, r.PathValue("id"))
}

func (s *Server) updateSource(w http.ResponseWriter, r *http.Request, src *hookbridge.Source) error {
	var in struct {
		Name *string `json:"name"`
	}
	if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
		return err
	}
	if err := applySourceName(src, in.Name); err != nil {
		return err
	}
	src.UpdatedAt = s.now().UTC()
	if err := s.store.UpdateSource(r.Context(), src); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewSource(r, src))
}

func (s *Server) deleteSource(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	return writeNoContent(w, s.store.DeleteSource(r.Context(), app.ID, r.PathValue("id")))
}

// rotateSourceSecret adds a new secret; the current ones keep verifying
// for hookbridge.RotationGrace (as the payments platform does for its own
// secrets), then stop. Expired secrets are dropped.
func (s *Server) rotateSourceSecret(w http.ResponseWriter, r *http.Request, src *hookbridge.Source) error {
	given, err := s.readSecretInput(w, r)
	if err != nil {
		return err
	}
	secret, err := newSecret(given)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	src.Secrets = rotateSecrets(src.Secrets, secret, now)
	src.UpdatedAt = now
	if err := s.store.UpdateSource(r.Context(), src); err != nil {
		return err
	}
	v := viewSource(r, src)
	v.Secret = secret
	return writeJSON(w, http.StatusOK, v)
}

func rotateSecrets(current []hookbridge.SourceSecret, secret string, now time.Time) []hookbridge.SourceSecret {
	graceEnd := now.Add(hookbridge.RotationGrace)
	out := []hookbridge.SourceSecret{{Secret: secret, CreatedAt: now}}
	for _, old := range current {
		if old.ExpiresAt != nil && !now.Before(*old.ExpiresAt) {
			continue
		}
		if old.ExpiresAt == nil || old.ExpiresAt.After(graceEnd) {
			old.ExpiresAt = &graceEnd
		}
		if len(out) < maxSourceSecrets {
			out = append(out, old)
		}
	}
	return out
}
