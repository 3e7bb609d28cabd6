package httpapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/internal/jsonbody"
	"github.com/hookbridge/hookbridge/signing"
)

// ingestWebhook receives a Standard Webhooks request from the payments
// platform, its headers named webhook-* or svix-* (see signing.ReadHeaders).
// Nothing is stored unless the signature verifies over the exact body, the
// webhook-id is a valid event id and the body is an event; a platform retry
// (same webhook-id) is answered 200 and stored once.
func (s *Server) ingestWebhook(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(w, r, s.maxIngest)
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return errorf(http.StatusRequestEntityTooLarge, "too_large", "the body is larger than the limit of %d bytes", s.maxIngest)
		}
		return errorf(http.StatusBadRequest, "unreadable_body", "the body could not be read: %v", err)
	}
	src, err := s.store.GetSource(r.Context(), "", r.PathValue("source"))
	if errors.Is(err, hookbridge.ErrNotFound) {
		return errorf(http.StatusNotFound, "not_found", "no source %q: check the webhook URL", r.PathValue("source"))
	}
	if err != nil {
		return err
	}
	now := s.now()
	if err := signing.Verify(src.ActiveSecrets(now), r.Header, body, now, 0); err != nil {
		return signatureError(err)
	}
	webhookID := signing.ReadHeaders(r.Header).ID
	if err := checkEventID(webhookID); err != nil {
		return errorf(http.StatusBadRequest, "invalid_webhook_id",
			"the webhook-id %v: it becomes the message's event id, at most %d bytes of UTF-8 text without control characters", err, MaxEventIDBytes)
	}
	eventType, err := envelopeType(body)
	if err != nil {
		return err
	}
	msg, created, err := s.ingest(r.Context(), src.AppID, src.ID, eventType, webhookID, body)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"id": msg.ID, "event_type": msg.EventType, "duplicate": !created})
}

// signatureError maps a verification failure to its answer: 401 when the
// sender is not proven, 400 when the request is malformed or stale.
func signatureError(err error) error {
	switch {
	case errors.Is(err, signing.ErrTimestampTooOld), errors.Is(err, signing.ErrTimestampTooNew):
		return errorf(http.StatusBadRequest, "stale_timestamp", "%v (allowed: 5 minutes either way; check the sender's clock, or this is a replay)", err)
	case errors.Is(err, signing.ErrMalformedTimestamp):
		return errorf(http.StatusBadRequest, "invalid_timestamp", "%v", err)
	case errors.Is(err, signing.ErrSignatureHeaderTooLarge):
		return errorf(http.StatusBadRequest, "signature_header_too_large", "%v (a sender needs one entry per secret it signs with)", err)
	case errors.Is(err, signing.ErrMissingHeaders):
		return errorf(http.StatusUnauthorized, "missing_signature", "%v: send the Standard Webhooks headers webhook-id, webhook-timestamp and webhook-signature (or their Svix names)", err)
	case errors.Is(err, signing.ErrInvalidSecret):
		return err // a stored secret is broken: a server fault
	default:
		return errorf(http.StatusUnauthorized, "invalid_signature", "the signature does not match: check that the platform uses this source's secret (%v)", err)
	}
}

// sourceRules are the rules for a body from a source: those of the API,
// except that a member named twice is taken (the last one counts), as
// senders other than hookbridge's clients may repeat names.
var sourceRules = jsonbody.Rules{MaxDepth: jsonbody.MaxDepth, AllowDuplicateNames: true}

// envelopeType reads the event type from a body that must be a JSON
// object, by sourceRules, with a string "type".
func envelopeType(body []byte) (string, error) {
	members, err := jsonbody.Members(body, sourceRules)
	var kindErr *jsonbody.KindError
	switch {
	case errors.As(err, &kindErr):
		return "", errorf(http.StatusBadRequest, "invalid_event", "the body must be a JSON object with a \"type\" (the event envelope {business_id, type, timestamp, data})")
	case err != nil:
		return "", describeJSONError(err)
	}
	var typ string
	for _, m := range members {
		if m.Name == "type" {
			typ, _ = jsonbody.Unquote(body[m.Start:m.End])
		}
	}
	if strings.TrimSpace(typ) == "" || len(typ) > 100 {
		return "", errorf(http.StatusBadRequest, "invalid_event", "the body's \"type\" must be a non-empty string such as \"payment.succeeded\"")
	}
	return typ, nil
}
