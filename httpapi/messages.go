package httpapi

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/hookbridge/hookbridge"
)

type messageInput struct {
	EventType string          `json:"event_type"`
	Payload   json.RawMessage `json:"payload"`
	EventID   string          `json:"event_id"`
}

func (s *Server) createMessage(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	body, err := readBody(w, r, s.maxIngest)
	if err != nil {
		return describeDecodeError(err, s.maxIngest)
	}
	var in messageInput
	if err := decodeMessageInput(body, s.maxIngest, &in); err != nil {
		return err
	}
	var verr hookbridge.ValidationError
	if _, ok := s.eventByName[in.EventType]; !ok {
		verr.Add("event_type", "unknown event type %q; GET /api/v1/event-types lists them", in.EventType)
	}
	if !isJSONObject(in.Payload) {
		verr.Add("payload", "must be a JSON object (the event envelope {business_id, type, timestamp, data})")
	}
	if err := checkEventID(in.EventID); err != nil {
		verr.Add("event_id", "%v; an event id is at most %d bytes of UTF-8 text without control characters", err, MaxEventIDBytes)
	}
	if err := verr.Err(); err != nil {
		return err
	}
	msg, created, err := s.ingest(r.Context(), app.ID, "", in.EventType, in.EventID, in.Payload)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, messageAccepted{
		ID: msg.ID, EventID: msg.EventID, EventType: msg.EventType,
		CreatedAt: msg.CreatedAt, Duplicate: !created,
	})
}

// messageAccepted is the answer to posting a message. Its fields are in
// the order of their names, as encoding/json writes the keys of a map, so
// the answer is what it was when it was one.
type messageAccepted struct {
	CreatedAt time.Time `json:"created_at"`
	Duplicate bool      `json:"duplicate"`
	EventID   string    `json:"event_id"`
	EventType string    `json:"event_type"`
	ID        string    `json:"id"`
}

// ingest stores a message with its deliveries and tells the dispatcher of
// the deliveries queued. It is the one way events enter hookbridge, from
// the API and from sources. The message keeps payload, which the caller
// must not change afterwards.
func (s *Server) ingest(ctx context.Context, appID, sourceID, eventType, eventID string, payload []byte) (*hookbridge.Message, bool, error) {
	msg := &hookbridge.Message{
		ID: hookbridge.NewID("msg"), AppID: appID, SourceID: sourceID, EventType: eventType,
		EventID: eventID, Payload: payload, CreatedAt: s.now().UTC(),
	}
	msg.EventID = cmp.Or(msg.EventID, msg.ID)
	in, err := s.store.CreateMessage(ctx, msg)
	if err != nil {
		return nil, false, err
	}
	s.observer.MessageIngested(ingestedVia(sourceID), !in.Created)
	s.queued(in.Queued)
	return in.Message, in.Created, nil
}

func isJSONObject(raw []byte) bool {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	return len(raw) > 0 && raw[0] == '{'
}

func (s *Server) listMessages(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	q := r.URL.Query()
	f := hookbridge.MessageFilter{EventType: q.Get("event_type"), SourceID: q.Get("source_id"), Search: q.Get("search"), Before: q.Get("before")}
	var verr hookbridge.ValidationError
	f.Since = parseTimeParam(q.Get("since"), "since", &verr)
	f.Until = parseTimeParam(q.Get("until"), "until", &verr)
	f.Limit = parseLimit(q.Get("limit"), &verr)
	if err := verr.Err(); err != nil {
		return err
	}
	msgs, err := s.store.ListMessages(r.Context(), app.ID, f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page(msgs, f.Limit, func(m *hookbridge.Message) string { return m.ID }))
}

func (s *Server) getMessage(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	msg, err := s.store.GetMessage(r.Context(), app.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	dels, err := s.store.ListDeliveries(r.Context(), app.ID, hookbridge.DeliveryFilter{MessageID: msg.ID, Limit: maxLimit})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		*hookbridge.Message
		Deliveries []*hookbridge.Delivery `json:"deliveries"`
	}{msg, nonNil(dels)})
}

const (
	defaultLimit = 50
	maxLimit     = 250
)

func parseLimit(v string, verr *hookbridge.ValidationError) int {
	if v == "" {
		return defaultLimit
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxLimit {
		verr.Add("limit", "must be a whole number from 1 to %d", maxLimit)
	}
	return n
}

func parseTimeParam(v, name string, verr *hookbridge.ValidationError) time.Time {
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		verr.Add(name, "must be an RFC 3339 time such as 2025-08-04T05:30:45Z")
	}
	return t
}

// page wraps a list with the cursor for the next page.
func page[T any](items []T, limit int, id func(T) string) map[string]any {
	out := map[string]any{"data": nonNil(items)}
	if len(items) == limit && limit > 0 {
		out["next_before"] = id(items[len(items)-1])
	}
	return out
}
