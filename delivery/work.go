package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/admission"
)

// deliverOne takes a slot of the endpoint's rate limit, plans, sends and
// records one claimed delivery. The slot comes first: a delivery handed
// back to wait for its slot costs no transformation run.
func (d *Dispatcher) deliverOne(ctx context.Context, c *hookbridge.Claim) {
	log := d.logFor(c)
	slot, deferTo, err := d.takeSlot(ctx, c.Endpoint)
	if err != nil || !deferTo.IsZero() {
		d.holdBack(ctx, log, []*hookbridge.Claim{c}, deferTo, err)
		return
	}
	plan, settled := d.prepare(ctx, log, c)
	if settled {
		return
	}
	if !d.missedSlot(c.Endpoint, slot) {
		if err := d.waitForSlot(ctx, c.Endpoint, slot); err != nil {
			d.release(log, c)
			return
		}
	}
	if d.missedSlot(c.Endpoint, slot) {
		// Planning outlasted the slot, or the worker woke long after it
		// (a machine too busy to run it on time): sent now, the request
		// would crowd those of the slots after it. It takes a slot afresh.
		d.sendPlanned(ctx, log, c, plan)
		return
	}
	d.send(ctx, log, c, plan)
}

// sendPlanned sends a planned delivery on its own, once its endpoint's
// rate limit allows, and records the attempt and its outcome.
func (d *Dispatcher) sendPlanned(ctx context.Context, log *slog.Logger, c *hookbridge.Claim, plan *Plan) {
	slot, deferTo, err := d.takeSlot(ctx, c.Endpoint)
	if err == nil && deferTo.IsZero() {
		err = d.waitForSlot(ctx, c.Endpoint, slot)
	}
	if err != nil || !deferTo.IsZero() {
		d.holdBack(ctx, log, []*hookbridge.Claim{c}, deferTo, err)
		return
	}
	d.send(ctx, log, c, plan)
}

// send makes the request of a planned delivery and records the attempt
// and its outcome.
func (d *Dispatcher) send(ctx context.Context, log *slog.Logger, c *hookbridge.Claim, plan *Plan) {
	started := d.clock.Now()
	resp := d.sender.SendWithin(ctx, plan.Request, d.timeoutFor(c.Endpoint))
	d.observe.AttemptSent(c.Endpoint.Integration, resp.Duration, resp.Status)
	a := d.newAttempt(c, plan.Recorded(), started)
	o := d.decide(c, resp, ctx.Err() != nil)
	recordResponse(a, resp, o)
	maskEchoes(a, &o, plan.Secrets)
	d.complete(ctx, log, c, a, o)
}

// maskEchoes masks the credential values a destination echoed back (an
// error message quoting the API key it refused, say) in what the attempt
// and the outcome keep of its answer, as they are masked in the request.
func maskEchoes(a *hookbridge.Attempt, o *hookbridge.Outcome, secrets []string) {
	if len(secrets) == 0 {
		return
	}
	a.ResponseBody = hookbridge.MaskSecrets(a.ResponseBody, secrets)
	if a.ResponseHeaders != nil {
		headers := make(map[string]string, len(a.ResponseHeaders))
		for k, v := range a.ResponseHeaders {
			headers[k] = hookbridge.MaskSecrets(v, secrets)
		}
		a.ResponseHeaders = headers
	}
	a.Error = hookbridge.MaskSecrets(a.Error, secrets)
	o.LastError = hookbridge.MaskSecrets(o.LastError, secrets)
}

// recordResponse puts what the destination answered into the attempt.
func recordResponse(a *hookbridge.Attempt, resp Response, o hookbridge.Outcome) {
	a.ResponseStatus, a.ResponseHeaders, a.ResponseBody, a.Duration = resp.Status, resp.Headers, resp.Body, resp.Duration
	switch {
	case resp.Err != nil:
		a.Error = resp.Err.Error()
	case resp.Status < 200 || resp.Status > 299:
		a.Error = statusError(resp)
	}
	if strings.HasPrefix(o.LastError, interruptedPrefix) {
		a.Error = o.LastError
	}
}

// prepare plans a claimed delivery. When there is nothing to send — the
// endpoint is gone, the transformation failed or skipped the event, the
// destination would refuse the request, or ctx ended — it settles the
// delivery itself and reports settled.
func (d *Dispatcher) prepare(ctx context.Context, log *slog.Logger, c *hookbridge.Claim) (plan *Plan, settled bool) {
	if c.Endpoint == nil {
		d.complete(ctx, log, c, nil, hookbridge.Outcome{Status: hookbridge.DeliveryCancelled, LastError: "the endpoint was deleted"})
		return nil, true
	}
	ep, msg := c.Endpoint, c.Message
	started := d.clock.Now()
	plan, err := d.planner.Plan(ctx, ep, Input{
		MessageID: msg.ID, EventType: msg.EventType, Payload: msg.Payload,
		CreatedAt: msg.CreatedAt, CodeKey: ep.CodeKey(),
	}, started)
	switch {
	case ctx.Err() != nil:
		d.release(log, c) // interrupted before anything was sent
		return nil, true
	case errors.Is(err, admission.ErrBusy):
		d.awaitAdmission(ctx, log, c, err)
		return nil, true
	case err != nil:
		a := d.newAttempt(c, hookbridge.RecordedRequest{}, started)
		a.Error = err.Error()
		d.complete(ctx, log, c, a, d.planFailed(c, err))
		return nil, true
	case plan.Skipped():
		d.complete(ctx, log, c, nil, hookbridge.Outcome{Status: hookbridge.DeliverySkipped, LastError: plan.SkipReason})
		return nil, true
	}
	if blocking := hookbridge.Blocking(plan.Problems); len(blocking) > 0 {
		a := d.newAttempt(c, plan.Recorded(), started)
		a.Error = describeProblems(ep.Integration, blocking)
		d.complete(ctx, log, c, a, d.final(c, a.Error, nil))
		return nil, true
	}
	return plan, false
}

// AdmissionRetry is how long after its transformation could not be
// admitted (see Planner.AdmissionWait) a delivery is due again.
const AdmissionRetry = time.Second

// DefaultAdmissionWait is how long the transformation of a delivery
// waits to be admitted before the delivery is handed back: a small part
// of the default lease (Config.Lease), so that a delivery that waits,
// runs and sends keeps its lease.
const DefaultAdmissionWait = 10 * time.Second

// awaitAdmission hands back a delivery whose transformation could not be
// admitted, due again after AdmissionRetry, without an attempt: the other
// runs in progress held it back, not its code or its destination.
func (d *Dispatcher) awaitAdmission(ctx context.Context, log *slog.Logger, c *hookbridge.Claim, err error) {
	log.Debug("transformation not admitted; the delivery waits its turn", "err", err)
	d.complete(ctx, log, c, nil, hookbridge.Outcome{
		Status: hookbridge.DeliveryPending, NextAttemptAt: d.clock.Now().Add(AdmissionRetry), LastError: c.Delivery.LastError,
	})
}

// planFailed decides what follows a failed plan: a transformation that
// throws or returns nonsense fails for good (retrying runs the same code
// on the same event); one that ran out of time or was stopped by the
// process-wide memory watch (possibly for another run's allocation), or an
// unknown failure, is retried.
func (d *Dispatcher) planFailed(c *hookbridge.Claim, err error) hookbridge.Outcome {
	var codeErr *hookbridge.CodeError
	if errors.As(err, &codeErr) && codeErr.Kind != "timeout" && codeErr.Kind != "memory" {
		return d.final(c, err.Error(), nil)
	}
	return d.retryOrGiveUp(c, 0, err.Error(), nil)
}

func (d *Dispatcher) newAttempt(c *hookbridge.Claim, req hookbridge.RecordedRequest, at time.Time) *hookbridge.Attempt {
	return &hookbridge.Attempt{ID: hookbridge.NewID("att"), DeliveryID: c.Delivery.ID, Request: req, CreatedAt: at}
}

// timeoutFor is how long a request to ep may take: the endpoint's own
// timeout or the default, and never so long that the lease could run out
// meanwhile.
func (d *Dispatcher) timeoutFor(ep *hookbridge.Endpoint) time.Duration {
	return min(ep.Timeout(d.timeout), d.cfg.Lease*3/4)
}

func (d *Dispatcher) logFor(c *hookbridge.Claim) *slog.Logger {
	return d.log.With("delivery_id", c.Delivery.ID, "message_id", c.Delivery.MessageID, "endpoint_id", c.Delivery.EndpointID)
}

// describeProblems turns validation problems into the error a user reads.
func describeProblems(integration string, problems []hookbridge.Problem) string {
	parts := make([]string, len(problems))
	for i, p := range problems {
		s := p.Field + ": " + p.Message
		if p.Fix != "" {
			s += " Fix: " + p.Fix
		}
		parts[i] = s
	}
	return fmt.Sprintf("not sent: %s would not accept this request — %s", integration, strings.Join(parts, "; "))
}

// storeTimeout bounds bookkeeping writes, which must happen even while
// shutting down.
const storeTimeout = 10 * time.Second

func (d *Dispatcher) complete(ctx context.Context, log *slog.Logger, c *hookbridge.Claim, a *hookbridge.Attempt, o hookbridge.Outcome) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	if err := d.store.CompleteAttempt(ctx, c, a, o); err != nil {
		log.Error("record delivery outcome", "err", err)
		return
	}
	if o.Status == hookbridge.DeliveryPending || o.Status == hookbridge.DeliveryFailed {
		// Rescheduled, or failing: the endpoint's health may have queued
		// operational events.
		d.mayHaveWork()
	}
	if c.Endpoint != nil {
		d.observe.DeliveryFinished(c.Endpoint.Integration, o.Status)
	}
	switch {
	case o.Status == hookbridge.DeliveryPending && a == nil:
		log.Debug("delivery waits for its endpoint's rate limit", "at", o.NextAttemptAt)
	case o.Status == hookbridge.DeliveryPending:
		log.Info("delivery will be retried", "at", o.NextAttemptAt, "reason", o.LastError)
	case o.Status == hookbridge.DeliveryFailed:
		log.Warn("delivery failed", "reason", o.LastError)
	default:
		log.Debug("delivery finished", "status", o.Status)
	}
	if o.Endpoint != nil && o.Endpoint.DisableReason != "" {
		log.Warn("endpoint disabled", "reason", o.Endpoint.DisableReason)
	}
}

func (d *Dispatcher) release(log *slog.Logger, c *hookbridge.Claim) {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if err := d.store.ReleaseClaim(ctx, c); err != nil {
		log.Error("release delivery", "err", err)
	}
	d.mayHaveWork()
}

// holdBack hands deliveries back without an attempt: due again at until
// (about when their endpoint's rate limit has a slot), or at once when
// taking a slot was interrupted or failed. Until then the endpoint is also
// paused — until a slot is within MaxThrottleWait — so that claims leave
// its other deliveries alone instead of taking and handing them back.
func (d *Dispatcher) holdBack(ctx context.Context, log *slog.Logger, claims []*hookbridge.Claim, until time.Time, err error) {
	if err != nil && ctx.Err() == nil {
		log.Error("take a rate-limit slot", "err", err)
	}
	for _, c := range claims {
		if until.IsZero() {
			d.release(log, c)
			continue
		}
		d.complete(ctx, log, c, nil, hookbridge.Outcome{
			Status: hookbridge.DeliveryPending, NextAttemptAt: until, LastError: c.Delivery.LastError,
			Endpoint: &hookbridge.EndpointReport{At: d.clock.Now(), PauseUntil: until.Add(-d.cfg.MaxThrottleWait)},
		})
	}
}
