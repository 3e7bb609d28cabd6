package httpapi

import (
	"net/http"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/identifiers"
)

// maxTimelineLimit bounds a page of a customer's timeline: each entry
// carries its deliveries and their last attempts.
const maxTimelineLimit = 100

// timelinePage is the answer of GET …/customers/{customer}/timeline.
type timelinePage struct {
	// Customer is the id or e-mail address asked for, as it was asked.
	Customer   string          `json:"customer"`
	Data       []timelineEntry `json:"data"`
	NextBefore string          `json:"next_before,omitempty"`
}

// timelineEntry is one message about the customer and what became of it
// at each endpoint.
type timelineEntry struct {
	*hookbridge.Message
	Deliveries []timelineDelivery `json:"deliveries"`
}

// timelineDelivery is a delivery's outcome, with what its last attempt
// sent the tool to name the customer.
type timelineDelivery struct {
	ID         string `json:"id"`
	EndpointID string `json:"endpoint_id"`
	// EndpointName and Integration are empty when the endpoint was
	// deleted since.
	EndpointName  string                    `json:"endpoint_name"`
	Integration   string                    `json:"integration"`
	Status        hookbridge.DeliveryStatus `json:"status"`
	Attempts      int                       `json:"attempts"`
	LastError     string                    `json:"last_error,omitempty"`
	NextAttemptAt time.Time                 `json:"next_attempt_at"`
	UpdatedAt     time.Time                 `json:"updated_at"`
	LastAttempt   *timelineAttempt          `json:"last_attempt"`
	// Identifiers are the fields of the last attempt's request that named
	// the customer to the tool; empty before the first attempt and for
	// destinations whose requests hookbridge cannot read them from.
	Identifiers []identifiers.Identifier `json:"identifiers"`
}

// timelineAttempt summarises an attempt; GET …/deliveries/{id}/attempts
// has it whole.
type timelineAttempt struct {
	ID             string    `json:"id"`
	Method         string    `json:"method"`
	URL            string    `json:"url"`
	ResponseStatus int       `json:"response_status"`
	Error          string    `json:"error,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
}

func (s *Server) customerTimeline(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	q := r.URL.Query()
	f := hookbridge.TimelineFilter{Customer: r.PathValue("customer"), Before: q.Get("before"), Limit: defaultLimit}
	if v := q.Get("limit"); v != "" {
		var verr hookbridge.ValidationError
		if f.Limit = parseLimit(v, &verr); f.Limit > maxTimelineLimit {
			verr.Add("limit", "must be a whole number from 1 to %d", maxTimelineLimit)
		}
		if err := verr.Err(); err != nil {
			return err
		}
	}
	entries, err := s.store.CustomerTimeline(r.Context(), app.ID, f)
	if err != nil {
		return err
	}
	endpoints, err := s.store.ListEndpoints(r.Context(), app.ID)
	if err != nil {
		return err
	}
	out := timelinePage{Customer: f.Customer, Data: timelineView(entries, endpointsByID(endpoints))}
	if len(entries) == f.Limit {
		out.NextBefore = entries[len(entries)-1].Message.ID
	}
	return writeJSON(w, http.StatusOK, out)
}

func endpointsByID(endpoints []*hookbridge.Endpoint) map[string]*hookbridge.Endpoint {
	byID := make(map[string]*hookbridge.Endpoint, len(endpoints))
	for _, e := range endpoints {
		byID[e.ID] = e
	}
	return byID
}

func timelineView(entries []*hookbridge.TimelineEntry, endpoints map[string]*hookbridge.Endpoint) []timelineEntry {
	out := make([]timelineEntry, len(entries))
	for i, e := range entries {
		deliveries := make([]timelineDelivery, len(e.Deliveries))
		for j, d := range e.Deliveries {
			deliveries[j] = timelineDeliveryView(d, endpoints[d.Delivery.EndpointID])
		}
		out[i] = timelineEntry{Message: e.Message, Deliveries: deliveries}
	}
	return out
}

// timelineDeliveryView describes a delivery to e (nil if deleted).
func timelineDeliveryView(td *hookbridge.TimelineDelivery, e *hookbridge.Endpoint) timelineDelivery {
	d := td.Delivery
	v := timelineDelivery{
		ID: d.ID, EndpointID: d.EndpointID, Status: d.Status, Attempts: d.Attempts, LastError: d.LastError,
		NextAttemptAt: d.NextAttemptAt, UpdatedAt: d.UpdatedAt, Identifiers: []identifiers.Identifier{},
	}
	if e != nil {
		v.EndpointName, v.Integration = e.Name, e.Integration
	}
	if a := td.LastAttempt; a != nil {
		v.LastAttempt = &timelineAttempt{ID: a.ID, Method: a.Request.Method, URL: a.Request.URL,
			ResponseStatus: a.ResponseStatus, Error: a.Error, CreatedAt: a.CreatedAt}
		v.Identifiers = identifiers.Sent(v.Integration, a.Request)
	}
	return v
}
