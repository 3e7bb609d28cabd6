package hookbridge

import "time"

// The statuses of an endpoint's condition, worst first.
const (
	// ConditionDisabled: it receives nothing until it is enabled again.
	ConditionDisabled = "disabled"
	// ConditionFailing: its failing streak goes on and a delivery of the
	// window failed for good.
	ConditionFailing = "failing"
	// ConditionRetrying: its latest attempt failed (a failing streak) but no
	// delivery of the window failed for good: deliveries wait for their
	// retries.
	ConditionRetrying = "retrying"
	// ConditionPaused: the tool asked it to wait (a 429); nothing failed.
	ConditionPaused = "paused"
	// ConditionHealthy: none of the above.
	ConditionHealthy = "healthy"
)

// EndpointCondition is an endpoint's health over a window: the one
// definition that the API's endpoint stats and the dashboard both show.
// (EndpointHealth is what one attempt reports of it.)
//
// Status comes from the endpoint's own state (disabled, a pause a 429
// asked for), from whether its latest attempt failed — its failing streak,
// or an attempt stopped before sending (the validator refused the
// request), which is no fault of the destination but fails deliveries all
// the same — and from whether a delivery of the window failed for good. The success rate is
// over the deliveries of the window that finished: a delivery retried
// until it succeeded counts once, as a success; one still waiting for a
// retry does not count yet; one never sent (the validator stopped it, the
// transformation failed) counts as failed. So "retrying" beside 100 % says
// what happens: every finished delivery succeeded, and the latest attempt
// failed and will be retried.
type EndpointCondition struct {
	Status string `json:"status"`
	// SuccessRate is Succeeded / (Succeeded + Failed), nil when no
	// delivery of the window finished.
	SuccessRate *float64 `json:"success_rate"`
	Succeeded   int      `json:"succeeded"`
	Failed      int      `json:"failed"`
	// Waiting counts the window's deliveries still pending: due, or
	// waiting for a retry.
	Waiting      int        `json:"waiting"`
	FailingSince *time.Time `json:"failing_since,omitempty"`
	PausedUntil  *time.Time `json:"paused_until,omitempty"`
}

// ConditionOf judges an endpoint's condition at now from its state and
// its stats over the window.
func ConditionOf(e *Endpoint, st *EndpointStats, now time.Time) EndpointCondition {
	byStatus := st.DeliveriesByStatus
	h := EndpointCondition{
		Succeeded: byStatus[DeliverySucceeded], Failed: byStatus[DeliveryFailed], Waiting: byStatus[DeliveryPending],
		FailingSince: e.FailingSince,
	}
	if e.PausedUntil != nil && e.PausedUntil.After(now) {
		h.PausedUntil = e.PausedUntil
	}
	if finished := h.Succeeded + h.Failed; finished > 0 {
		rate := float64(h.Succeeded) / float64(finished)
		h.SuccessRate = &rate
	}
	latestFailed := e.FailingSince != nil ||
		st.LastErrorAt != nil && (st.LastSuccessAt == nil || st.LastErrorAt.After(*st.LastSuccessAt))
	switch {
	case e.Disabled:
		h.Status = ConditionDisabled
	case latestFailed && h.Failed > 0:
		h.Status = ConditionFailing
	case h.PausedUntil != nil:
		h.Status = ConditionPaused
	case latestFailed:
		h.Status = ConditionRetrying
	default:
		h.Status = ConditionHealthy
	}
	return h
}
