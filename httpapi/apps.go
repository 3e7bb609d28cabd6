package httpapi

import (
	"cmp"
	"net/http"
	"strings"

	"github.com/hookbridge/hookbridge"
)

type appInput struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func (s *Server) createApp(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	var in appInput
	if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
		return err
	}
	app := &hookbridge.App{ID: strings.TrimSpace(in.ID), Name: strings.TrimSpace(in.Name), CreatedAt: s.now().UTC()}
	if app.ID == "" {
		app.ID = strings.ToLower(hookbridge.NewID("app"))
	}
	var verr hookbridge.ValidationError
	if !hookbridge.ValidAppID(app.ID) {
		verr.Add("id", "use 1 to 63 lower-case letters, digits, '-' or '_', starting with a letter or digit")
	}
	app.Name = cmp.Or(app.Name, app.ID)
	if len(app.Name) > 200 {
		verr.Add("name", "must be at most 200 characters")
	}
	if err := verr.Err(); err != nil {
		return err
	}
	if err := s.store.CreateApp(r.Context(), app); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, app)
}

func (s *Server) listApps(w http.ResponseWriter, r *http.Request) error {
	apps, err := s.store.ListApps(r.Context())
	if err != nil {
		return err
	}
	tok := tokenFrom(r.Context())
	visible := make([]*hookbridge.App, 0, len(apps))
	for _, a := range apps {
		if tok.CanAccess(a.ID) {
			visible = append(visible, a)
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"data": visible})
}

func (s *Server) getApp(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	view, err := s.appView(r.Context(), app)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, view)
}
