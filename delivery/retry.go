package delivery

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/netguard"
)

// DefaultSchedule is the payments platform's own: at once, then 5 s, 5 min,
// 30 min, 2 h, 5 h, 10 h and 10 h — eight attempts over about 27.6 hours.
// Entry i is the wait before attempt i+1.
var DefaultSchedule = []time.Duration{
	0, 5 * time.Second, 5 * time.Minute, 30 * time.Minute,
	2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour,
}

// RetryPolicy decides what happens after each attempt.
type RetryPolicy struct {
	// Schedule lists the wait before each attempt; its length is the number
	// of attempts. Empty means DefaultSchedule.
	Schedule []time.Duration
	// Jitter spreads each wait by up to ± this fraction (0 means the
	// default 0.2; a negative value turns jitter off).
	Jitter float64
	// MaxRetryAfter caps how long a Retry-After header can delay a retry.
	MaxRetryAfter time.Duration
}

func (p RetryPolicy) schedule() []time.Duration {
	if len(p.Schedule) == 0 {
		return DefaultSchedule
	}
	return p.Schedule
}

func (p RetryPolicy) jitter() float64 {
	if p.Jitter == 0 {
		return 0.2
	}
	return max(p.Jitter, 0)
}

// verdict is how one answer is judged.
type verdict int

const (
	verdictSuccess verdict = iota
	verdictRetry
	verdictPermanent
)

// judgeRead classifies an answer as its integration read it: a verdict
// of the reading overrides the status code's, and its reason (with the
// fix) replaces the status text of a failure.
func judgeRead(r Response, reading hookbridge.AnswerReading) (verdict, string) {
	v, why := judge(r)
	switch reading.Verdict {
	case hookbridge.AnswerFailed:
		v = verdictPermanent
	case hookbridge.AnswerRetry:
		v = verdictRetry
	case hookbridge.AnswerAccepted:
		return verdictSuccess, ""
	}
	if v == verdictSuccess || reading.Reason == "" {
		return v, why
	}
	if why == "" { // a 2xx the tool reports as an error
		why = statusError(r)
	}
	why += " — " + reading.Reason
	if reading.Fix != "" {
		why += ": " + reading.Fix
	}
	return v, why
}

// judge classifies a destination's answer.
func judge(r Response) (verdict, string) {
	if r.Err != nil && r.Status == 0 {
		if refused(r.Err) {
			return verdictPermanent, r.Err.Error()
		}
		return verdictRetry, r.Err.Error()
	}
	switch {
	case r.Status >= 200 && r.Status < 300:
		return verdictSuccess, ""
	case strings.EqualFold(r.Headers["Webhook-Delivery"], "abort-message"):
		return verdictPermanent, fmt.Sprintf("the destination answered %d with webhook-delivery: abort-message", r.Status)
	case r.Status == http.StatusRequestTimeout, r.Status == http.StatusConflict,
		r.Status == http.StatusTooEarly, r.Status == http.StatusTooManyRequests:
		return verdictRetry, statusError(r)
	case r.Status >= 400 && r.Status < 500:
		return verdictPermanent, statusError(r) + " (a client error: retrying would not help)"
	default:
		return verdictRetry, statusError(r)
	}
}

func statusError(r Response) string {
	msg := fmt.Sprintf("HTTP %d %s", r.Status, http.StatusText(r.Status))
	if body := strings.TrimSpace(r.Body); body != "" {
		if len(body) > 300 {
			body = body[:300] + "…"
		}
		msg += ": " + body
	}
	return msg
}

// next decides the outcome after attempt number attempts (1-based) ended
// with a retryable failure: pending again later, or failed for good.
func (p RetryPolicy) next(attempts int, now time.Time, retryAfter time.Duration, lastErr string) hookbridge.Outcome {
	sched := p.schedule()
	if attempts >= len(sched) {
		return hookbridge.Outcome{
			Status:    hookbridge.DeliveryFailed,
			LastError: fmt.Sprintf("gave up after %d attempts: %s", attempts, lastErr),
		}
	}
	wait := p.spread(sched[attempts])
	if retryAfter > wait {
		wait = retryAfter
	}
	return hookbridge.Outcome{Status: hookbridge.DeliveryPending, NextAttemptAt: now.Add(wait), LastError: lastErr}
}

func (p RetryPolicy) spread(d time.Duration) time.Duration {
	j := p.jitter()
	if d <= 0 || j == 0 {
		return d
	}
	factor := 1 + j*(2*rand.Float64()-1)
	return time.Duration(float64(d) * factor)
}

// refused reports whether the client refused to send at all, for reasons
// that a retry cannot change (a forbidden address, scheme, host or
// redirect).
func refused(err error) bool {
	var blocked *netguard.BlockedError
	return errors.As(err, &blocked) || errors.Is(err, netguard.ErrUnsupportedScheme) ||
		errors.Is(err, netguard.ErrTooManyRedirects) || errors.Is(err, netguard.ErrInvalidHost) ||
		errors.Is(err, netguard.ErrLeavesLoopback)
}

// retryAfter reads a Retry-After header (seconds or an HTTP date), capped.
func (p RetryPolicy) retryAfter(headers map[string]string, now time.Time) time.Duration {
	v := strings.TrimSpace(headers["Retry-After"])
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		d = time.Duration(secs) * time.Second
	} else if at, err := http.ParseTime(v); err == nil {
		d = at.Sub(now)
	}
	return min(max(d, 0), p.maxRetryAfter())
}

// maxRetryAfter is MaxRetryAfter, or a day when it is not set.
func (p RetryPolicy) maxRetryAfter() time.Duration {
	if p.MaxRetryAfter <= 0 {
		return 24 * time.Hour
	}
	return p.MaxRetryAfter
}

// Judgement is how the dispatcher would take an answer, as the test API
// shows it.
type Judgement struct {
	// Outcome is "accepted", "retried" or "failed".
	Outcome string `json:"outcome"`
	// Reason says why an answer is not accepted, with the fix the
	// integration knows.
	Reason string `json:"reason,omitempty"`
}

// Judge says how the dispatcher would take resp, the answer to req from a
// destination of integ (nil for none).
func Judge(integ hookbridge.Integration, req *hookbridge.OutboundRequest, resp Response) Judgement {
	v, why := judgeRead(resp, readAnswer(integ, req, 0, resp))
	switch v {
	case verdictSuccess:
		return Judgement{Outcome: "accepted"}
	case verdictRetry:
		return Judgement{Outcome: "retried", Reason: why}
	}
	return Judgement{Outcome: "failed", Reason: why}
}
