package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/retention"
)

// appSettingsInput is the body of PATCH /api/v1/apps/{app}. Every field is
// optional; an absent field is left as it is.
type appSettingsInput struct {
	// RetentionDays is how long the app keeps its messages: 1 to
	// retention.MaxDays, or 0 or null for the installation's default.
	RetentionDays json.RawMessage `json:"retention_days"`
	// Name is the app's display name (its id stays).
	Name *string `json:"name"`
	// The delivery settings: retry_schedule, disable_endpoint_after.
	appDeliveryInput
}

// appView is an app as the API shows it: the stored app and its settings
// kept beside it.
type appView struct {
	*hookbridge.App
	// RetentionDays is the app's own retention period, null when it uses
	// the installation's default.
	RetentionDays *int `json:"retention_days"`
}

// updateAppSettings changes an app's settings. It needs an admin token: a
// retention period decides how much the installation stores.
func (s *Server) updateAppSettings(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	app, err := s.appFor(r)
	if err != nil {
		return err
	}
	var in appSettingsInput
	if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
		return err
	}
	// Every field is checked before anything is stored, so that a
	// rejected request changes nothing.
	var retentionDays int
	if in.RetentionDays != nil {
		if retentionDays, err = parseRetentionDays(in.RetentionDays); err != nil {
			var verr hookbridge.ValidationError
			verr.Add("retention_days", "%v", err)
			return verr.Err()
		}
	}
	if err := checkAppName(in.Name); err != nil {
		return err
	}
	if err := s.applyAppDelivery(r.Context(), app, &in.appDeliveryInput); err != nil {
		return err
	}
	if err := s.renameApp(r.Context(), app, in.Name); err != nil {
		return err
	}
	if in.RetentionDays != nil {
		if err := s.setRetentionDays(r.Context(), app.ID, retentionDays); err != nil {
			return err
		}
	}
	view, err := s.appView(r.Context(), app)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, view)
}

func (s *Server) setRetentionDays(ctx context.Context, appID string, days int) error {
	store, err := s.retentionStore()
	if err != nil {
		return err
	}
	return store.SetAppRetentionDays(ctx, appID, days)
}

// parseRetentionDays reads retention_days: a whole number of days, or null
// (0) for the default.
func parseRetentionDays(raw json.RawMessage) (int, error) {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return 0, nil
	}
	var days int
	if err := json.Unmarshal(raw, &days); err != nil {
		return 0, fmt.Errorf("must be a whole number of days, or null for the default (%d days)", retention.DefaultDays)
	}
	if err := retention.ValidateDays(days); err != nil {
		return 0, err
	}
	return days, nil
}

// appView adds the app's settings to the stored app.
func (s *Server) appView(ctx context.Context, app *hookbridge.App) (*appView, error) {
	view := &appView{App: app}
	store, err := s.retentionStore()
	if err != nil {
		return nil, err
	}
	days, err := store.AppRetentionDays(ctx, app.ID)
	if err != nil {
		return nil, err
	}
	if days > 0 {
		view.RetentionDays = &days
	}
	return view, nil
}

var errNoRetention = errors.New("the store does not keep retention settings")

// retentionStore is the store's retention side; both stores have one.
func (s *Server) retentionStore() (retention.Store, error) {
	rs, ok := s.store.(retention.Store)
	if !ok {
		return nil, errNoRetention
	}
	return rs, nil
}
