package hookbridge

import (
	"encoding/json"
	"fmt"
	"time"
)

// Operational events are what hookbridge itself tells an app about its
// endpoints and deliveries. They go to the app's operational endpoint (an
// Endpoint with Operational set, a plain webhook signed with its own
// secret) as messages whose SourceID is OperationalSourceID, so they are
// stored, retried and shown like any other delivery.
const (
	// EventEndpointDisabled: an endpoint was disabled because it failed
	// for too long, or its destination answered 410 Gone.
	EventEndpointDisabled = "endpoint.disabled"
	// EventDeliveryExhausted: a delivery failed for good (its retries ran
	// out, or the destination refused it permanently).
	EventDeliveryExhausted = "delivery.exhausted"
)

// OperationalEventTypes lists the operational event types.
var OperationalEventTypes = []string{EventEndpointDisabled, EventDeliveryExhausted}

// OperationalSourceID is the SourceID of the messages that carry
// operational events.
const OperationalSourceID = "hookbridge"

// OperationalEvent is one event about an app's endpoints or deliveries.
type OperationalEvent struct {
	Type string
	// ID is the event's idempotency key: queueing the same ID twice for
	// one app queues it once.
	ID        string
	Payload   json.RawMessage
	CreatedAt time.Time
}

// Message returns the message that carries e to appID's operational
// endpoint.
func (e OperationalEvent) Message(appID string) *Message {
	return &Message{
		ID: NewID("msg"), AppID: appID, EventType: e.Type, EventID: e.ID,
		SourceID: OperationalSourceID, Payload: e.Payload, CreatedAt: e.CreatedAt,
	}
}

// operationalEnvelope is the payload of an operational event, in the
// payments platform's own shape.
type operationalEnvelope struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      any       `json:"data"`
}

func newOperationalEvent(typ, id string, at time.Time, data any) OperationalEvent {
	at = at.UTC().Truncate(time.Microsecond)
	payload, err := json.Marshal(operationalEnvelope{Type: typ, Timestamp: at, Data: data})
	if err != nil {
		// The data are plain structs of strings, numbers and times.
		panic(fmt.Sprintf("hookbridge: encode %s event: %v", typ, err))
	}
	return OperationalEvent{Type: typ, ID: id, Payload: payload, CreatedAt: at}
}

// EndpointDisabledData is the data of an endpoint.disabled event.
type EndpointDisabledData struct {
	AppID        string     `json:"app_id"`
	EndpointID   string     `json:"endpoint_id"`
	EndpointName string     `json:"endpoint_name"`
	FailingSince *time.Time `json:"failing_since,omitempty"`
	DisabledAt   time.Time  `json:"disabled_at"`
	Reason       string     `json:"reason"`
}

// EndpointDisabledEvent describes an endpoint disabled at the given time.
func EndpointDisabledEvent(d EndpointDisabledData) OperationalEvent {
	id := fmt.Sprintf("%s:%s:%d", EventEndpointDisabled, d.EndpointID, d.DisabledAt.UnixMicro())
	return newOperationalEvent(EventEndpointDisabled, id, d.DisabledAt, d)
}

// DeliveryExhaustedData is the data of a delivery.exhausted event.
type DeliveryExhaustedData struct {
	AppID      string `json:"app_id"`
	EndpointID string `json:"endpoint_id"`
	DeliveryID string `json:"delivery_id"`
	MessageID  string `json:"message_id"`
	EventType  string `json:"event_type"`
	Attempts   int    `json:"attempts"`
	LastError  string `json:"last_error"`
}

// DeliveryExhaustedEvent describes a delivery that failed for good at the
// given time, after the given number of attempts.
func DeliveryExhaustedEvent(d DeliveryExhaustedData, at time.Time) OperationalEvent {
	id := fmt.Sprintf("%s:%s:%d", EventDeliveryExhausted, d.DeliveryID, d.Attempts)
	return newOperationalEvent(EventDeliveryExhausted, id, at, d)
}
