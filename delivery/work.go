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

// deliverOne takes a turn of the endpoint's rate limit, plans, sends and
// records one claimed delivery. The turn comes first: a delivery handed
// back to wait for its turn costs no transformation run.
func (d *Dispatcher) deliverOne(ctx context.Context, c *hookbridge.Claim) {
	log := d.logFor(c)
	turn, deferTo, err := d.takeTurn(ctx, c.Endpoint)
	if err != nil || !deferTo.IsZero() {
		d.holdBack(ctx, log, []*hookbridge.Claim{c}, deferTo, err)
		return
	}
	plan, settled := d.prepare(ctx, log, c)
	if settled {
		return
	}
	if !d.missedTurn(c.Endpoint, turn) {
		if err := d.waitForTurn(ctx, c.Endpoint, turn); err != nil {
			d.release(log, c)
			return
		}
	}
	if d.missedTurn(c.Endpoint, turn) {
		// Planning outlasted the turn, or the worker woke long after it
		// (a machine too busy to run it on time): sent now, the request
		// would crowd those of the turns after it. It takes a turn afresh.
		d.sendPlanned(ctx, log, c, plan)
		return
	}
	d.send(ctx, log, c, plan)
}

// sendPlanned sends a planned delivery on its own, once its endpoint's
// rate limit allows, and records the attempt and its outcome.
func (d *Dispatcher) sendPlanned(ctx context.Context, log *slog.Logger, c *hookbridge.Claim, plan *Plan) {
	turn, deferTo, err := d.takeTurn(ctx, c.Endpoint)
	if err == nil && deferTo.IsZero() {
		err = d.waitForTurn(ctx, c.Endpoint, turn)
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
	resp := d.sender.SendWithin(ctx, plan.Request, d.timeoutFor(c.Endpoint)).Masked(plan.Masker())
	d.observe.AttemptSent(c.Endpoint.Integration, resp.Duration, resp.Status)
	a := d.newAttempt(c, plan.Recorded(), started)
	a.Warnings = plan.Warnings()
	o, why := d.decide(c, plan.Request, resp, ctx.Err() != nil)
	recordResponse(a, resp, why)
	d.complete(ctx, log, c, a, o)
}

// keepable makes an attempt and its outcome fit to be recorded: the
// endpoint's secrets masked in the texts that may quote them (an error
// quoting the API key it refused) — the request is masked when it is
// recorded (Plan.Recorded) and the answer as it arrives (Response.Masked)
// — and every text capped (hookbridge.Attempt.Cap). Every attempt and
// outcome is recorded through it (see complete).
func (d *Dispatcher) keepable(c *hookbridge.Claim, a *hookbridge.Attempt, o *hookbridge.Outcome) {
	var m *hookbridge.Masker // nil hides nothing: most outcomes have no error
	if o.LastError != "" || (a != nil && a.Error != "") {
		m = d.maskerFor(c.Endpoint)
	}
	o.LastError = keepText(m, o.LastError)
	if a == nil {
		return
	}
	a.Error = m.Mask(a.Error)
	a.Cap()
}

// keepText is an error text as it may be recorded: secrets masked, length
// capped.
func keepText(m *hookbridge.Masker, s string) string {
	return hookbridge.CapText(m.Mask(s), hookbridge.MaxRecordedError)
}

// maskerFor hides the secrets of ep; nil (which hides nothing) when the
// endpoint is gone.
func (d *Dispatcher) maskerFor(ep *hookbridge.Endpoint) *hookbridge.Masker {
	if ep == nil {
		return nil
	}
	var info hookbridge.IntegrationInfo
	if integ, ok := d.planner.Integrations.Get(ep.Integration); ok {
		info = integ.Info()
	}
	return hookbridge.NewMasker(hookbridge.EndpointSecrets(info, ep)...)
}

// recordResponse puts what the destination answered into the attempt,
// and why, as the dispatcher judged it, the answer was not accepted.
func recordResponse(a *hookbridge.Attempt, resp Response, why string) {
	a.ResponseStatus, a.ResponseHeaders, a.ResponseBody, a.Duration = resp.Status, resp.Headers, resp.Body, resp.Duration
	a.Error = why
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
		a.Warnings = plan.Warnings()
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
// throws or returns nonsense, or a payload it cannot be given, fails for
// good (retrying runs the same code on the same event); one that ran out of time or was stopped by the
// process-wide memory watch (possibly for another run's allocation), or an
// unknown failure, is retried. A transformation that crashed the
// JavaScript runtime is retried once: crashing at two attempts in a row
// fails the delivery, so that one event cannot crash the runtime on every
// retry.
func (d *Dispatcher) planFailed(c *hookbridge.Claim, err error) hookbridge.Outcome {
	if errors.Is(err, hookbridge.ErrUndecodablePayload) {
		return d.final(c, err.Error(), nil)
	}
	var codeErr *hookbridge.CodeError
	if !errors.As(err, &codeErr) {
		return d.retryOrGiveUp(c, 0, err.Error(), nil)
	}
	switch codeErr.Kind {
	case "timeout", "memory":
		return d.retryOrGiveUp(c, 0, err.Error(), nil)
	case "crash":
		if strings.HasPrefix(c.Delivery.LastError, crashedOnce) {
			return d.final(c, crashedTwice+err.Error(), nil)
		}
		return d.retryOrGiveUp(c, 0, crashedOnce+err.Error(), nil)
	}
	return d.final(c, err.Error(), nil)
}

// crashedOnce starts the last error of a delivery whose transformation
// crashed the runtime at its latest attempt; crashedTwice starts it once a
// second crash in a row has failed the delivery.
const (
	crashedOnce  = "the transformation crashed the JavaScript runtime (a second crash in a row fails the delivery): "
	crashedTwice = "the transformation crashed the JavaScript runtime at two attempts in a row: "
)

// newAttempt starts the record of an attempt at c, naming the version of
// the endpoint's transformation that the request was planned with.
func (d *Dispatcher) newAttempt(c *hookbridge.Claim, req hookbridge.RecordedRequest, at time.Time) *hookbridge.Attempt {
	a := &hookbridge.Attempt{ID: hookbridge.NewID("att"), DeliveryID: c.Delivery.ID, Request: req, CreatedAt: at}
	if c.Endpoint != nil {
		a.TransformationVersion = c.Endpoint.Transformation.Version
	}
	return a
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

// complete records an attempt (if any) and the delivery's outcome, made
// fit to keep by keepable.
func (d *Dispatcher) complete(ctx context.Context, log *slog.Logger, c *hookbridge.Claim, a *hookbridge.Attempt, o hookbridge.Outcome) {
	d.keepable(c, a, &o)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	if err := d.completer.complete(ctx, hookbridge.Completion{Claim: c, Attempt: a, Outcome: o}); err != nil {
		log.Error("record delivery outcome", "err", err)
		return
	}
	if o.Status == hookbridge.DeliveryPending || o.Status == hookbridge.DeliveryFailed {
		// Rescheduled, or failing: the endpoint's health may have queued
		// operational events.
		d.inbox.postClaimable()
	}
	if o.Status == hookbridge.DeliveryPending {
		d.inbox.postDueAt(o.NextAttemptAt)
	}
	if o.Endpoint != nil {
		d.inbox.postDueAt(o.Endpoint.PauseUntil)
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
	d.inbox.postClaimable()
}

// holdBack hands deliveries back without an attempt: due again at until
// (shortly before their endpoint's rate limit has a turn), or at once when
// taking a turn was interrupted or failed. Until then the endpoint is also
// paused, so that claims leave its other deliveries alone instead of
// taking and handing them back.
func (d *Dispatcher) holdBack(ctx context.Context, log *slog.Logger, claims []*hookbridge.Claim, until time.Time, err error) {
	if err != nil && ctx.Err() == nil {
		log.Error("take a rate-limit turn", "err", err)
	}
	for _, c := range claims {
		if until.IsZero() {
			d.release(log, c)
			continue
		}
		d.complete(ctx, log, c, nil, hookbridge.Outcome{
			Status: hookbridge.DeliveryPending, NextAttemptAt: until, LastError: c.Delivery.LastError,
			Endpoint: &hookbridge.EndpointReport{At: d.clock.Now(), PauseUntil: until},
		})
	}
}
