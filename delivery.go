package hookbridge

import (
	"cmp"
	"fmt"
	"time"
)

// DeliveryStatus is where a delivery stands.
type DeliveryStatus string

// The statuses of a delivery. Pending is the only one that is not final.
const (
	DeliveryPending   DeliveryStatus = "pending"
	DeliverySucceeded DeliveryStatus = "succeeded"
	DeliveryFailed    DeliveryStatus = "failed"
	DeliverySkipped   DeliveryStatus = "skipped"
	DeliveryCancelled DeliveryStatus = "cancelled"
)

// Valid reports whether s is one of the known statuses.
func (s DeliveryStatus) Valid() bool {
	switch s {
	case DeliveryPending, DeliverySucceeded, DeliveryFailed, DeliverySkipped, DeliveryCancelled:
		return true
	}
	return false
}

// Delivery is one message on its way to one endpoint.
type Delivery struct {
	ID         string         `json:"id"`
	AppID      string         `json:"app_id"`
	MessageID  string         `json:"message_id"`
	EndpointID string         `json:"endpoint_id"`
	EventType  string         `json:"event_type"`
	Status     DeliveryStatus `json:"status"`
	// Attempts counts the HTTP tries (and failed preparations) so far.
	Attempts      int       `json:"attempts"`
	NextAttemptAt time.Time `json:"next_attempt_at"`
	// LastError explains the last failure, or why the delivery was skipped.
	LastError string `json:"last_error,omitempty"`
	// OrderingKey is the key (a customer id) that orders this delivery
	// among those of its endpoint, set when the endpoint is ordered.
	OrderingKey string    `json:"ordering_key,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// FillNew fills in what a new delivery leaves unset: a new id, the
// pending status, creation at now, and its update and due times at its
// creation.
func (d *Delivery) FillNew(now time.Time) {
	if d.ID == "" {
		d.ID = NewID("dlv")
	}
	d.Status = cmp.Or(d.Status, DeliveryPending)
	if d.CreatedAt.IsZero() {
		d.CreatedAt = now
	}
	if d.UpdatedAt.IsZero() {
		d.UpdatedAt = d.CreatedAt
	}
	if d.NextAttemptAt.IsZero() {
		d.NextAttemptAt = d.CreatedAt
	}
}

// DeliveryFilter selects deliveries for listing. Zero fields do not filter.
type DeliveryFilter struct {
	EndpointID string
	MessageID  string
	Status     DeliveryStatus
	EventType  string
	Since      time.Time
	Until      time.Time
	Before     string
	Limit      int
}

// Attempt is one try at delivering: the request as sent (secrets masked),
// and what came back.
type Attempt struct {
	ID         string          `json:"id"`
	DeliveryID string          `json:"delivery_id"`
	Request    RecordedRequest `json:"request"`
	// ResponseStatus is 0 when no response arrived (network error, or the
	// request was never sent because preparing it failed).
	ResponseStatus  int               `json:"response_status"`
	ResponseHeaders map[string]string `json:"response_headers,omitempty"`
	// ResponseBody holds at most MaxRecordedBody bytes (see Cap).
	ResponseBody string `json:"response_body,omitempty"`
	// Duration is how long the request took; it is zero exactly when the
	// request was not sent (the validator stopped it, or it could not be
	// prepared or built): a request sent takes time even when no answer
	// comes.
	Duration time.Duration `json:"duration_ns"`
	Error    string        `json:"error,omitempty"`
	// Warnings are what the destination's validator found it would accept
	// but file or act on differently than meant (an event too old to
	// trigger a campaign, a number sent as text): the request was still
	// sent. Secrets are masked in them as in Request.
	Warnings []Problem `json:"warnings,omitempty"`
	// Batch is set when the request carried several deliveries; Request
	// then holds the batch's method, URL and headers and this delivery's
	// item as its body.
	Batch *AttemptBatch `json:"batch,omitempty"`
	// TransformationVersion is the number of the endpoint's transformation
	// version (TransformationVersion) that produced the request; 0 when not
	// known.
	TransformationVersion int       `json:"transformation_version,omitempty"`
	CreatedAt             time.Time `json:"created_at"`
}

// AttemptBatch places an attempt's delivery in a batched request.
type AttemptBatch struct {
	// Size is how many deliveries the request carried; Index is this one's
	// place among them (0-based).
	Size  int `json:"size"`
	Index int `json:"index"`
}

// RecordedRequest is a request as it was (or would be) sent, with
// credentials masked.
type RecordedRequest struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

// Outcome is what a worker decided after trying a delivery: the new
// status and, if still pending, when to try again.
type Outcome struct {
	Status        DeliveryStatus
	NextAttemptAt time.Time
	LastError     string
	// Endpoint, if set, is what the attempt says about its endpoint's
	// health; it is recorded in the same transaction.
	Endpoint *EndpointReport
	// Events are operational events (delivery.exhausted) queued, in the
	// same transaction, to the app's operational endpoint if it has one.
	Events []OperationalEvent
}

// EndpointReport is what one attempt says about its endpoint.
type EndpointReport struct {
	// At is when the attempt ended.
	At time.Time
	// Health is how the destination answered.
	Health EndpointHealth
	// PauseUntil, if later than the endpoint's PausedUntil, holds back the
	// endpoint's deliveries until then (the destination answered 429).
	PauseUntil time.Time
	// DisableAfter disables the endpoint once it has been failing for this
	// long without a success (0: never).
	DisableAfter time.Duration
	// DisableReason, if set, disables the endpoint at once, for this reason
	// (the destination answered 410 Gone).
	DisableReason string
}

// EndpointHealth is how an attempt's answer reflects on its endpoint.
type EndpointHealth int

const (
	// HealthUnknown says nothing about the endpoint: the request was not
	// sent, or the destination asked to slow down.
	HealthUnknown EndpointHealth = iota
	// HealthOK ends the endpoint's failing streak.
	HealthOK
	// HealthFailing starts a failing streak unless one runs already.
	HealthFailing
)

// Claim is a delivery leased to one worker, with what it needs to send it.
type Claim struct {
	Delivery *Delivery
	Message  *Message
	// Endpoint is nil if it was deleted after the delivery was queued.
	Endpoint *Endpoint
	// App holds the delivery's app and its delivery settings.
	App *App
	// LeaseID proves the worker still holds the lease when it records.
	LeaseID string
}

// AttachClaimed gives each claim the message, endpoint and app of its
// delivery, found by id among those a store read for them. A claim whose
// endpoint is not among them keeps a nil Endpoint (it was deleted); one
// whose message is not among them is an error.
func AttachClaimed(claims []*Claim, messages []*Message, endpoints []*Endpoint, apps []*App) error {
	messageByID := make(map[string]*Message, len(messages))
	for _, m := range messages {
		messageByID[m.ID] = m
	}
	endpointByID := make(map[string]*Endpoint, len(endpoints))
	for _, e := range endpoints {
		endpointByID[e.ID] = e
	}
	appByID := make(map[string]*App, len(apps))
	for _, a := range apps {
		appByID[a.ID] = a
	}
	for _, c := range claims {
		c.Message = messageByID[c.Delivery.MessageID]
		if c.Message == nil {
			return fmt.Errorf("delivery %s: message %s is missing", c.Delivery.ID, c.Delivery.MessageID)
		}
		c.Endpoint = endpointByID[c.Delivery.EndpointID]
		c.App = appByID[c.Delivery.AppID]
	}
	return nil
}

// Completion is what a worker records when it is done with a claimed
// delivery: the attempt it made (nil if none) and the outcome.
type Completion struct {
	Claim   *Claim
	Attempt *Attempt
	Outcome Outcome
}
