package httpapi

import (
	"net/http"
	"time"

	"github.com/hookbridge/hookbridge"
)

func (s *Server) listDeliveries(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	return s.writeDeliveries(w, r, app.ID, r.URL.Query().Get("endpoint_id"))
}

func (s *Server) listEndpointDeliveries(w http.ResponseWriter, r *http.Request, ep *hookbridge.Endpoint) error {
	return s.writeDeliveries(w, r, ep.AppID, ep.ID)
}

func (s *Server) writeDeliveries(w http.ResponseWriter, r *http.Request, appID, endpointID string) error {
	q := r.URL.Query()
	f := hookbridge.DeliveryFilter{
		EndpointID: endpointID, MessageID: q.Get("message_id"), EventType: q.Get("event_type"),
		Status: hookbridge.DeliveryStatus(q.Get("status")), Before: q.Get("before"),
	}
	var verr hookbridge.ValidationError
	if f.Status != "" && !f.Status.Valid() {
		verr.Add("status", "must be one of pending, succeeded, failed, skipped, cancelled")
	}
	f.Since = parseTimeParam(q.Get("since"), "since", &verr)
	f.Until = parseTimeParam(q.Get("until"), "until", &verr)
	f.Limit = parseLimit(q.Get("limit"), &verr)
	if err := verr.Err(); err != nil {
		return err
	}
	dels, err := s.listSelected(r.Context(), appID, deliverySelection{DeliveryFilter: f, Customer: q.Get("customer")})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page(dels, f.Limit, func(d *hookbridge.Delivery) string { return d.ID }))
}

func (s *Server) getDelivery(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	d, err := s.store.GetDelivery(r.Context(), app.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (s *Server) listAttempts(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	atts, err := s.store.ListAttempts(r.Context(), app.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"data": nonNil(atts)})
}

func (s *Server) retryDelivery(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	d, err := s.store.RetryDelivery(r.Context(), app.ID, r.PathValue("id"), s.now().UTC())
	if err != nil {
		return err
	}
	s.notify()
	return writeJSON(w, http.StatusAccepted, map[string]any{"queued": 1, "delivery": d})
}

type recoverInput struct {
	Since time.Time  `json:"since"`
	Until *time.Time `json:"until"`
}

func (s *Server) recoverEndpoint(w http.ResponseWriter, r *http.Request, ep *hookbridge.Endpoint) error {
	var in recoverInput
	if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
		return err
	}
	now := s.now().UTC()
	until := now
	if in.Until != nil {
		until = *in.Until
	}
	if in.Since.IsZero() || !in.Since.Before(until) {
		return fieldError("since", "is required and must be before until (RFC 3339 times)")
	}
	failed, err := s.store.RecoverDeliveries(r.Context(), ep.AppID, ep.ID, in.Since, until, now)
	if err != nil {
		return err
	}
	missed, err := s.store.BackfillDeliveries(r.Context(), ep.AppID, ep.ID, in.Since, until, now)
	if err != nil {
		return err
	}
	if failed+missed > 0 {
		s.notify()
	}
	return writeJSON(w, http.StatusAccepted, map[string]any{"queued": failed + missed, "failed": failed, "missed": missed})
}
