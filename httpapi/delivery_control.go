package httpapi

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
)

// resendInput is the body of POST …/messages/{id}/resend.
type resendInput struct {
	EndpointID string `json:"endpoint_id"`
}

// resendMessage queues one more delivery of a message to one endpoint of
// its app, whatever became of the earlier ones.
func (s *Server) resendMessage(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	var in resendInput
	if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.EndpointID) == "" {
		return fieldError("endpoint_id", "is required: the endpoint to send the message to")
	}
	msg, err := s.store.GetMessage(r.Context(), app.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if _, err := s.store.GetEndpoint(r.Context(), app.ID, in.EndpointID); err != nil {
		return err
	}
	d := &hookbridge.Delivery{AppID: app.ID, MessageID: msg.ID, EndpointID: in.EndpointID,
		EventType: msg.EventType, CreatedAt: s.now().UTC()}
	if err := s.store.CreateDelivery(r.Context(), d); err != nil {
		return err
	}
	s.notify()
	return writeJSON(w, http.StatusAccepted, map[string]any{"queued": 1, "delivery": d})
}

// Stats windows: the default, and the longest a caller may ask for.
const (
	defaultStatsWindow = 24 * time.Hour
	maxStatsWindow     = 90 * 24 * time.Hour
)

// endpointStatsView is GET …/endpoints/{id}/stats.
type endpointStatsView struct {
	EndpointID string    `json:"endpoint_id"`
	Since      time.Time `json:"since"`
	Until      time.Time `json:"until"`
	Attempts   int       `json:"attempts"`
	Succeeded  int       `json:"succeeded"`
	// AttemptSuccessRate is Succeeded / Attempts, null without attempts.
	AttemptSuccessRate *float64 `json:"attempt_success_rate"`
	// Condition is the endpoint's health over the window, as the
	// dashboard shows it (hookbridge.EndpointCondition).
	Condition hookbridge.EndpointCondition `json:"condition"`
	// LatencyMS holds the p50, p95 and p99 of the attempts' durations in
	// milliseconds.
	LatencyMS          map[string]float64                `json:"latency_ms"`
	DeliveriesByStatus map[hookbridge.DeliveryStatus]int `json:"deliveries_by_status"`
	LastError          string                            `json:"last_error,omitempty"`
	LastErrorAt        *time.Time                        `json:"last_error_at,omitempty"`
	LastSuccessAt      *time.Time                        `json:"last_success_at,omitempty"`
	FailingSince       *time.Time                        `json:"failing_since,omitempty"`
	PausedUntil        *time.Time                        `json:"paused_until,omitempty"`
	Disabled           bool                              `json:"disabled"`
}

// endpointStats summarises an endpoint's recent deliveries: over the last
// ?window (a duration such as "1h" or "7d", default 24h).
func (s *Server) endpointStats(w http.ResponseWriter, r *http.Request, ep *hookbridge.Endpoint) error {
	window, err := parseWindow(r.URL.Query().Get("window"))
	if err != nil {
		return err
	}
	until := s.now().UTC()
	st, err := s.store.EndpointStats(r.Context(), ep.AppID, ep.ID, until.Add(-window), until)
	if err != nil {
		return err
	}
	view := endpointStatsView{
		EndpointID: ep.ID, Since: st.Since, Until: st.Until, Attempts: st.Attempts, Succeeded: st.Succeeded,
		LatencyMS:          map[string]float64{},
		DeliveriesByStatus: st.DeliveriesByStatus,
		LastError:          st.LastError, LastErrorAt: st.LastErrorAt, LastSuccessAt: st.LastSuccessAt,
		FailingSince: ep.FailingSince, PausedUntil: ep.PausedUntil, Disabled: ep.Disabled,
	}
	view.Condition = hookbridge.ConditionOf(ep, st, until)
	if st.Attempts > 0 {
		rate := st.SuccessRate()
		view.AttemptSuccessRate = &rate
	}
	for name, p := range map[string]float64{"p50": 50, "p95": 95, "p99": 99} {
		view.LatencyMS[name] = float64(st.Percentile(p)) / float64(time.Millisecond)
	}
	return writeJSON(w, http.StatusOK, view)
}

func parseWindow(v string) (time.Duration, error) {
	if v == "" {
		return defaultStatsWindow, nil
	}
	d, err := hookbridge.ParseDuration(v)
	if err != nil || d <= 0 || d > maxStatsWindow {
		return 0, fieldError("window", "must be a duration from 1s to 90d, such as 1h or 7d")
	}
	return d, nil
}

// operationalWebhookInput is the body of PUT …/operational-webhook.
type operationalWebhookInput struct {
	URL string `json:"url"`
}

// operationalWebhookView shows an app's operational webhook.
type operationalWebhookView struct {
	EndpointID string   `json:"endpoint_id"`
	URL        string   `json:"url"`
	EventTypes []string `json:"event_types"`
	Disabled   bool     `json:"disabled"`
	// SigningSecret is the Standard Webhooks secret the events are signed
	// with, shown only in the answer that created it.
	SigningSecret string `json:"signing_secret,omitempty"`
}

func viewOperational(ep *hookbridge.Endpoint) *operationalWebhookView {
	return &operationalWebhookView{EndpointID: ep.ID, URL: ep.URL, EventTypes: hookbridge.OperationalEventTypes, Disabled: ep.Disabled}
}

// operationalEndpoint finds the app's operational endpoint.
func (s *Server) operationalEndpoint(ctx context.Context, appID string) (*hookbridge.Endpoint, error) {
	eps, err := s.store.ListEndpoints(ctx, appID)
	if err != nil {
		return nil, err
	}
	for _, ep := range eps {
		if ep.Operational {
			return ep, nil
		}
	}
	return nil, errorf(http.StatusNotFound, "not_found", "this app has no operational webhook; PUT one with {\"url\": …}")
}

func (s *Server) getOperationalWebhook(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	ep, err := s.operationalEndpoint(r.Context(), app.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewOperational(ep))
}

// putOperationalWebhook sets where the app's operational events go. The
// first time, it makes the operational endpoint: a plain webhook whose
// requests are signed (Standard Webhooks) with a secret generated and shown
// in this answer only. Later calls change its URL.
func (s *Server) putOperationalWebhook(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	var in operationalWebhookInput
	if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
		return err
	}
	in.URL = strings.TrimSpace(in.URL)
	if msg := checkURL(in.URL); msg != "" {
		return fieldError("url", "%s", msg)
	}
	now := s.now().UTC()
	ep, err := s.operationalEndpoint(r.Context(), app.ID)
	if err == nil {
		ep.URL, ep.UpdatedAt = in.URL, now
		if err := s.store.UpdateEndpoint(r.Context(), ep); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, viewOperational(ep))
	}
	ep, secret, err := s.newOperationalEndpoint(app.ID, in.URL, now)
	if err != nil {
		return err
	}
	if err := s.store.CreateEndpoint(r.Context(), ep); err != nil {
		return err
	}
	view := viewOperational(ep)
	view.SigningSecret = secret
	return writeJSON(w, http.StatusCreated, view)
}

// newOperationalEndpoint makes the operational endpoint of an app, with a
// generated signing secret. Its event types are empty: messages are never
// fanned out to it, operational events are queued to it directly.
func (s *Server) newOperationalEndpoint(appID, url string, now time.Time) (*hookbridge.Endpoint, string, error) {
	integ, ok := s.integrations.Get("webhook")
	if !ok {
		return nil, "", errorf(http.StatusInternalServerError, "internal", "the webhook integration is missing")
	}
	creds, err := hookbridge.CheckCredentials(integ.Info(), hookbridge.Credentials{})
	if err != nil {
		return nil, "", err
	}
	ep := &hookbridge.Endpoint{
		ID: hookbridge.NewID("ep"), AppID: appID, Name: "Operational webhook", Integration: "webhook",
		URL: url, Credentials: creds, EventTypes: []string{}, Headers: map[string]string{},
		Operational: true, Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	return ep, creds["signing_secret"], nil
}

func (s *Server) deleteOperationalWebhook(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	ep, err := s.operationalEndpoint(r.Context(), app.ID)
	if err != nil {
		return err
	}
	return writeNoContent(w, s.store.DeleteEndpoint(r.Context(), app.ID, ep.ID))
}

// appDeliveryInput holds the fields of PATCH /api/v1/apps/{app} that tune
// the app's deliveries. Absent fields are left as they are.
type appDeliveryInput struct {
	// RetrySchedule is the wait before each attempt, the first "0s"; []
	// restores the platform's schedule.
	RetrySchedule *[]hookbridge.Duration `json:"retry_schedule"`
	// DisableEndpointAfter is how long an endpoint may fail before it is
	// disabled; "0s" restores the default (5 days).
	DisableEndpointAfter *hookbridge.Duration `json:"disable_endpoint_after"`
}

// Bounds of an app's delivery settings.
const (
	maxScheduleLen      = 20
	maxScheduleWait     = 7 * 24 * time.Hour
	minDisableAfter     = time.Minute
	maxDisableAfter     = 90 * 24 * time.Hour
	durationFieldFormat = `such as "5s", "30m", "2h" or "5d"`
)

// given reports whether the body sets any delivery setting.
func (in *appDeliveryInput) given() bool {
	return in.RetrySchedule != nil || in.DisableEndpointAfter != nil
}

// applyAppDelivery validates the delivery settings given and stores them.
func (s *Server) applyAppDelivery(ctx context.Context, app *hookbridge.App, in *appDeliveryInput) error {
	if !in.given() {
		return nil
	}
	if in.RetrySchedule != nil {
		app.RetrySchedule = *in.RetrySchedule
	}
	if in.DisableEndpointAfter != nil {
		app.DisableEndpointAfter = *in.DisableEndpointAfter
	}
	if err := validateAppDelivery(app); err != nil {
		return err
	}
	err := s.store.UpdateAppDelivery(ctx, app)
	// Dropped even on an error: the change may have been stored.
	s.appChanged(app.ID)
	return err
}

// validateAppDelivery checks an app's retry schedule and disabling time.
func validateAppDelivery(app *hookbridge.App) error {
	var verr hookbridge.ValidationError
	schedule := app.RetrySchedule
	switch {
	case len(schedule) > maxScheduleLen:
		verr.Add("retry_schedule", "at most %d attempts", maxScheduleLen)
	case len(schedule) > 0 && schedule[0] != 0:
		verr.Add("retry_schedule", `the first entry is the wait before the first attempt and must be "0s": a delivery is tried at once`)
	}
	for i, d := range schedule {
		if d < 0 || time.Duration(d) > maxScheduleWait {
			verr.Add("retry_schedule", "entry %d: each wait must be from 0s to %s, %s", i, hookbridge.FormatDuration(maxScheduleWait), durationFieldFormat)
		}
	}
	if d := time.Duration(app.DisableEndpointAfter); d != 0 && (d < minDisableAfter || d > maxDisableAfter) {
		verr.Add("disable_endpoint_after", "must be from %s to %s, or \"0s\" for the default (%s)",
			hookbridge.FormatDuration(minDisableAfter), hookbridge.FormatDuration(maxDisableAfter),
			hookbridge.FormatDuration(hookbridge.DefaultDisableEndpointAfter))
	}
	return verr.Err()
}
