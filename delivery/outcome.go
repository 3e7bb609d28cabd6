package delivery

import (
	"net/http"
	"time"

	"github.com/hookbridge/hookbridge"
)

// decide turns a destination's answer to one delivery into the delivery's
// outcome and what the answer says about the endpoint:
//   - 2xx succeeds, and ends the endpoint's failing streak;
//   - a permanent failure (a 4xx other than 408, 409, 425, 429; a refused
//     destination; webhook-delivery: abort-message) fails for good, and
//     410 Gone disables the endpoint at once;
//   - 429 retries, and holds back the whole endpoint until its Retry-After
//     (at least MinPause), without counting against its health;
//   - anything else retries on the app's schedule, honouring Retry-After.
//
// Every failure but a 429 starts or continues the endpoint's failing
// streak, which disables it once it lasts longer than the app allows. An
// answer cut short by shutdown is due again at once. The endpoint's
// integration reads the answer to req first (hookbridge.AnswerReader): it
// may fail a 2xx that reports an error, name the tool's error and its fix,
// or ask for a retry delay given in the body. It also returns what the
// attempt records as its error: "" for an accepted answer.
func (d *Dispatcher) decide(c *hookbridge.Claim, req *hookbridge.OutboundRequest, resp Response, interrupted bool) (hookbridge.Outcome, string) {
	return d.decideIn(c, req, 0, resp, interrupted)
}

// decideIn is decide for a request that carried batchSize deliveries'
// items (0 when it was one delivery's), which the integration reads the
// answer knowing.
func (d *Dispatcher) decideIn(c *hookbridge.Claim, req *hookbridge.OutboundRequest, batchSize int, resp Response, interrupted bool) (hookbridge.Outcome, string) {
	now := d.clock.Now()
	if interrupted && resp.Status == 0 {
		// The destination may or may not have the request: it is sent again
		// at once (by whoever claims it next), with the same idempotency key.
		why := interruptedPrefix + errText(resp.Err)
		return hookbridge.Outcome{Status: hookbridge.DeliveryPending, NextAttemptAt: now, LastError: why}, why
	}
	report := &hookbridge.EndpointReport{At: now, DisableAfter: c.App.DisableAfter()}
	reading := d.readAnswer(c.Endpoint, req, batchSize, resp)
	v, why := judgeRead(resp, reading)
	switch v {
	case verdictSuccess:
		report.Health = hookbridge.HealthOK
		return hookbridge.Outcome{Status: hookbridge.DeliverySucceeded, Endpoint: report}, ""
	case verdictPermanent:
		report.Health = hookbridge.HealthFailing
		if resp.Status == http.StatusGone {
			report.DisableReason = "the destination answered 410 Gone: it no longer takes these events"
		}
		return d.final(c, why, report), why
	}
	retryAfter := d.retry.retryAfter(resp.Headers, now)
	if reading.RetryAfter > retryAfter {
		retryAfter = min(reading.RetryAfter, d.retry.maxRetryAfter())
	}
	if resp.Status == http.StatusTooManyRequests {
		report.PauseUntil = now.Add(max(retryAfter, d.cfg.MinPause))
	} else {
		report.Health = hookbridge.HealthFailing
	}
	return d.retryOrGiveUp(c, retryAfter, why, report), why
}

// readAnswer has the endpoint's integration read an answer to req (a
// batch of batchSize deliveries' items, or one delivery's request when 0).
func (d *Dispatcher) readAnswer(ep *hookbridge.Endpoint, req *hookbridge.OutboundRequest, batchSize int, resp Response) hookbridge.AnswerReading {
	if ep == nil {
		return hookbridge.AnswerReading{}
	}
	integ, _ := d.planner.Integrations.Get(ep.Integration)
	return readAnswer(integ, req, batchSize, resp)
}

// readAnswer has integ (nil: none) read resp, the answer to req (a batch
// of batchSize deliveries' items, or one delivery's request when 0); an
// answer that never arrived is not read.
func readAnswer(integ hookbridge.Integration, req *hookbridge.OutboundRequest, batchSize int, resp Response) hookbridge.AnswerReading {
	if integ == nil || resp.Status == 0 {
		return hookbridge.AnswerReading{}
	}
	return hookbridge.ReadAnswer(integ, req, hookbridge.Answer{Status: resp.Status, Headers: resp.Headers, Body: []byte(resp.Body), BatchSize: batchSize})
}

// interruptedPrefix starts the error of an attempt cut short by shutdown.
const interruptedPrefix = "interrupted by shutdown: "

func errText(err error) string {
	if err == nil {
		return "no answer"
	}
	return err.Error()
}

// retryOrGiveUp schedules the next attempt on the app's schedule, or fails
// the delivery for good when the schedule is spent.
func (d *Dispatcher) retryOrGiveUp(c *hookbridge.Claim, retryAfter time.Duration, why string, report *hookbridge.EndpointReport) hookbridge.Outcome {
	o := d.policyFor(c.App).next(c.Delivery.Attempts+1, d.clock.Now(), retryAfter, why)
	o.Endpoint = report
	if o.Status == hookbridge.DeliveryFailed {
		o.Events = d.exhausted(c, o.LastError)
	}
	return o
}

// final fails a delivery for good.
func (d *Dispatcher) final(c *hookbridge.Claim, why string, report *hookbridge.EndpointReport) hookbridge.Outcome {
	return hookbridge.Outcome{Status: hookbridge.DeliveryFailed, LastError: why, Endpoint: report, Events: d.exhausted(c, why)}
}

// exhausted is the delivery.exhausted event of a delivery that failed for
// good after its current attempt.
func (d *Dispatcher) exhausted(c *hookbridge.Claim, lastErr string) []hookbridge.OperationalEvent {
	return []hookbridge.OperationalEvent{hookbridge.DeliveryExhaustedEvent(hookbridge.DeliveryExhaustedData{
		AppID: c.Delivery.AppID, EndpointID: c.Delivery.EndpointID, DeliveryID: c.Delivery.ID,
		MessageID: c.Delivery.MessageID, EventType: c.Delivery.EventType,
		Attempts: c.Delivery.Attempts + 1, LastError: keepText(d.maskerFor(c.Endpoint), lastErr),
	}, d.clock.Now())}
}

// policyFor is the retry policy of an app: its own schedule, if it has one.
func (d *Dispatcher) policyFor(app *hookbridge.App) RetryPolicy {
	p := d.retry
	if s := app.Schedule(); s != nil {
		p.Schedule = s
	}
	return p
}
