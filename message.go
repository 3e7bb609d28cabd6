package hookbridge

import (
	"encoding/json"
	"time"
)

// Message is one event of an app, as it arrived: the payments platform's
// envelope {business_id, type, timestamp, data}, kept byte for byte.
type Message struct {
	ID        string `json:"id"`
	AppID     string `json:"app_id"`
	EventType string `json:"event_type"`
	// EventID is the idempotency key of ingest: the same event id twice in
	// one app yields the same message. For signed webhooks it is the
	// webhook-id header; when a caller gives none it is the message id.
	EventID   string          `json:"event_id"`
	SourceID  string          `json:"source_id,omitempty"`
	Payload   json.RawMessage `json:"payload"`
	CreatedAt time.Time       `json:"created_at"`
}

// Ingested is what MessageStore.CreateMessage did with a message.
type Ingested struct {
	// Message is the stored message: the one given, or the one stored
	// earlier with the same EventID.
	Message *Message
	// Created is false when a message with the same EventID was stored
	// earlier: then nothing was written and Queued is empty.
	Created bool
	// Queued are the deliveries the message was queued for, due at once.
	Queued []*Delivery
}

// MessageFilter selects messages for listing. Zero fields do not filter.
type MessageFilter struct {
	EventType string
	// SourceID keeps messages that arrived through one source.
	SourceID string
	// Search matches a substring of the payload (a customer id or email).
	Search string
	Since  time.Time
	Until  time.Time
	// Before is a cursor: only messages with an id lower than it.
	Before string
	Limit  int
}
