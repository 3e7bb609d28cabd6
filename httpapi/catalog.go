package httpapi

import (
	"net/http"

	"github.com/hookbridge/hookbridge"
)

func (s *Server) listIntegrations(w http.ResponseWriter, r *http.Request) error {
	infos := make([]hookbridge.IntegrationInfo, 0, len(s.integrations.All()))
	for _, in := range s.integrations.All() {
		infos = append(infos, in.Info())
	}
	return writeJSON(w, http.StatusOK, map[string]any{"data": infos})
}

func (s *Server) listEventTypes(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]any{"data": s.eventTypes})
}

func (s *Server) getEventType(w http.ResponseWriter, r *http.Request) error {
	et, ok := s.eventByName[r.PathValue("name")]
	if !ok {
		return errorf(http.StatusNotFound, "not_found", "no event type %q; GET /api/v1/event-types lists them", r.PathValue("name"))
	}
	return writeJSON(w, http.StatusOK, et)
}
