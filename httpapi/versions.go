package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
)

// The versions of an endpoint's transformation. Every save that changes
// the transformation's code, enabled flag or template (POST and PATCH on
// the endpoint, and restore) records a numbered version saying who saved
// it and when; the store keeps the newest
// hookbridge.MaxTransformationVersions. They can be listed, read, compared
// as a unified line diff, and restored: a restore saves version n's
// transformation as a new version, through the same save check as PATCH.

// versionSummary is a version as the listing shows it: all but its code.
type versionSummary struct {
	Number       int       `json:"number"`
	Enabled      bool      `json:"enabled"`
	Template     string    `json:"template,omitempty"`
	SavedBy      string    `json:"saved_by"`
	RestoredFrom int       `json:"restored_from,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	// Lines counts the lines of its code.
	Lines int `json:"lines"`
	// Live marks the version the endpoint runs.
	Live bool `json:"live"`
}

// versionView is a version with its code.
type versionView struct {
	*hookbridge.TransformationVersion
	Live bool `json:"live"`
}

// versionDiff compares two versions.
type versionDiff struct {
	// From is nil when the diff starts from nothing (before version 1).
	From *versionSummary `json:"from"`
	To   versionSummary  `json:"to"`
	// Diff is the unified line diff of their code, "" when it is the same.
	Diff    string `json:"diff"`
	Added   int    `json:"added"`
	Removed int    `json:"removed"`
}

func summarise(v *hookbridge.TransformationVersion, ep *hookbridge.Endpoint) versionSummary {
	return versionSummary{
		Number: v.Number, Enabled: v.Enabled, Template: v.Template, SavedBy: v.SavedBy,
		RestoredFrom: v.RestoredFrom, CreatedAt: v.CreatedAt, Lines: len(splitLines(v.Code)),
		Live: v.Number == ep.Transformation.Version,
	}
}

// savedBy names the caller for the versions it saves: its token's name,
// with " (dashboard)" after it when it signed in to the dashboard (a
// request without an Authorization header was authenticated by its
// session cookie).
func savedBy(r *http.Request) string {
	tok := tokenFrom(r.Context())
	if tok == nil {
		return ""
	}
	if r.Header.Get("Authorization") == "" {
		return tok.Name + " (dashboard)"
	}
	return tok.Name
}

func (s *Server) listVersions(w http.ResponseWriter, r *http.Request, ep *hookbridge.Endpoint) error {
	versions, err := s.store.ListTransformationVersions(r.Context(), ep.AppID, ep.ID)
	if err != nil {
		return err
	}
	out := make([]versionSummary, len(versions))
	for i, v := range versions {
		out[i] = summarise(v, ep)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"data": out})
}

func (s *Server) getVersion(w http.ResponseWriter, r *http.Request, ep *hookbridge.Endpoint) error {
	n, err := versionNumber("n", r.PathValue("n"))
	if err != nil {
		return err
	}
	v, err := s.version(r.Context(), ep, n)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, versionView{TransformationVersion: v, Live: n == ep.Transformation.Version})
}

// diffVersions compares version from with version to: by default the
// live version with the one before it.
func (s *Server) diffVersions(w http.ResponseWriter, r *http.Request, ep *hookbridge.Endpoint) error {
	from, to, err := diffRange(r, ep)
	if err != nil {
		return err
	}
	toVersion, err := s.version(r.Context(), ep, to)
	if err != nil {
		return err
	}
	out := versionDiff{To: summarise(toVersion, ep)}
	fromCode := ""
	if from > 0 {
		fromVersion, err := s.version(r.Context(), ep, from)
		if err != nil {
			return err
		}
		summary := summarise(fromVersion, ep)
		out.From, fromCode = &summary, fromVersion.Code
	}
	d := diffTexts(fromCode, toVersion.Code)
	out.Diff = d.unified(versionFileName(from), versionFileName(to))
	out.Added, out.Removed = d.added, d.removed
	return writeJSON(w, http.StatusOK, out)
}

// diffRange reads the from and to query parameters: to defaults to the
// live version, from to the version before to (0, nothing, before
// version 1).
func diffRange(r *http.Request, ep *hookbridge.Endpoint) (from, to int, err error) {
	q := r.URL.Query()
	to = ep.Transformation.Version
	if v := q.Get("to"); v != "" {
		if to, err = versionNumber("to", v); err != nil {
			return 0, 0, err
		}
	}
	from = to - 1
	if v := q.Get("from"); v != "" {
		if from, err = versionNumber("from", v); err != nil {
			return 0, 0, err
		}
	}
	return from, to, nil
}

func versionFileName(n int) string {
	if n == 0 {
		return "/dev/null"
	}
	return "version " + strconv.Itoa(n)
}

// restoreInput is the optional body of a restore.
type restoreInput struct {
	saveOptions
}

// restoreVersion saves version n's transformation as a new version, after
// the save check PATCH runs.
func (s *Server) restoreVersion(w http.ResponseWriter, r *http.Request, ep *hookbridge.Endpoint) error {
	n, err := versionNumber("n", r.PathValue("n"))
	if err != nil {
		return err
	}
	var in restoreInput
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
			return err
		}
	}
	v, err := s.version(r.Context(), ep, n)
	if err != nil {
		return err
	}
	before := *ep
	ep.Transformation = v.Transformation()
	if err := s.validateRestored(r.Context(), &before, ep); err != nil {
		return notAdmitted(w, err)
	}
	report, err := s.checkUpdate(r.Context(), &before, ep, in.saveOptions)
	if err != nil {
		return err
	}
	ep.UpdatedAt = s.now().UTC()
	ep.Save = hookbridge.VersionNote{By: savedBy(r), RestoredFrom: n}
	if err := s.store.UpdateEndpoint(r.Context(), ep); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, withSaveReport(s.viewEndpoint(ep), report))
}

// validateRestored checks a restored transformation as a save checks
// code: the rules may have changed since the version was saved.
func (s *Server) validateRestored(ctx context.Context, before, ep *hookbridge.Endpoint) error {
	integ, ok := s.integrations.Get(ep.Integration)
	if !ok {
		return errorf(http.StatusUnprocessableEntity, "invalid", "the endpoint's integration %q is not installed", ep.Integration)
	}
	var verr hookbridge.ValidationError
	changed := ep.Transformation.Code != before.Transformation.Code
	if err := s.validateCodeAdmitted(ctx, ep, integ.Info(), changed, &verr); err != nil {
		return err
	}
	return verr.Err()
}

// version loads version n of ep's transformation; a version the store
// does not keep is a 404 that says which it keeps.
func (s *Server) version(ctx context.Context, ep *hookbridge.Endpoint, n int) (*hookbridge.TransformationVersion, error) {
	v, err := s.store.GetTransformationVersion(ctx, ep.AppID, ep.ID, n)
	if errors.Is(err, hookbridge.ErrNotFound) {
		return nil, errorf(http.StatusNotFound, "not_found",
			"the endpoint's transformation has no version %d (versions run from 1 to %d; the newest %d are kept)",
			n, ep.Transformation.Version, hookbridge.MaxTransformationVersions)
	}
	return v, err
}

// versionNumber reads a version number, a whole number from 1.
func versionNumber(field, raw string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || n < 1 {
		return 0, fieldError(field, "must be a version number, a whole number from 1 (got %q)", raw)
	}
	return n, nil
}
