package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/admission"
)

// Planner turns a message and an endpoint into the request to send, or a
// reason not to send one. The test API and the dispatcher share it, so a
// test shows exactly what a delivery would do.
type Planner struct {
	Integrations *hookbridge.Integrations
	Transformer  hookbridge.Transformer
	// Admission admits every transformation run, as the endpoint's app's
	// in the endpoint's lane; nil admits all at once.
	Admission *admission.Gate
	// AdmissionWait bounds how long a run waits to be admitted before Plan
	// fails with an admission.ErrBusy error (0: until ctx ends).
	AdmissionWait time.Duration
}

// Plan is what a delivery would do.
type Plan struct {
	// Request is the request to send; nil when the delivery is skipped.
	Request *hookbridge.OutboundRequest
	// SkipReason says why nothing is sent, when Request is nil.
	SkipReason string
	// Problems are reasons the destination would reject or drop Request.
	Problems []hookbridge.Problem
	// Console is what the transformation logged.
	Console []string
	// TransformDuration is how long the transformation ran.
	TransformDuration time.Duration
	// Secrets are the endpoint's secret values (credentials and secret
	// headers) to mask wherever the request or its answer is shown or
	// recorded.
	Secrets []string
	// masker hides Secrets; made when first needed.
	masker *hookbridge.Masker
}

// Masker hides the plan's secrets (see hookbridge.Masker).
func (p *Plan) Masker() *hookbridge.Masker {
	if p.masker == nil {
		p.masker = hookbridge.NewMasker(p.Secrets...)
	}
	return p.masker
}

// Skipped reports whether the plan sends nothing.
func (p *Plan) Skipped() bool { return p.Request == nil }

// Warnings returns the problems the destination would not refuse the
// request for, secrets masked, as an attempt records them.
func (p *Plan) Warnings() []hookbridge.Problem {
	warnings := hookbridge.Warnings(p.Problems)
	for i := range warnings {
		warnings[i].Message = hookbridge.MaskSecrets(warnings[i].Message, p.Secrets)
		warnings[i].Fix = hookbridge.MaskSecrets(warnings[i].Fix, p.Secrets)
	}
	return warnings
}

// Recorded returns the request as it may be stored and shown, secrets
// masked (hookbridge.OutboundRequest.Record).
func (p *Plan) Recorded() hookbridge.RecordedRequest {
	if p.Request == nil {
		return hookbridge.RecordedRequest{}
	}
	return p.Request.RecordWith(p.Masker())
}

// Input is the event a plan is made for.
type Input struct {
	MessageID string
	EventType string
	Payload   json.RawMessage
	CreatedAt time.Time
	// CodeKey names the code version for caching; empty compiles afresh.
	CodeKey string
}

// Plan prepares the delivery of in to ep. A transformation failure is
// returned as a *hookbridge.CodeError; a transformation not admitted
// within AdmissionWait, as an admission.ErrBusy error.
func (p *Planner) Plan(ctx context.Context, ep *hookbridge.Endpoint, in Input, now time.Time) (*Plan, error) {
	integ, ok := p.Integrations.Get(ep.Integration)
	if !ok {
		return nil, fmt.Errorf("unknown integration %q", ep.Integration)
	}
	info := integ.Info()
	plan := &Plan{Secrets: hookbridge.EndpointSecrets(info, ep)}

	req, skip, err := p.transform(ctx, ep, info, in, plan)
	if err != nil || skip != "" {
		plan.SkipReason = skip
		return plan, err
	}
	sc := hookbridge.SendContext{
		IdempotencyKey: hookbridge.IdempotencyKey(in.MessageID, ep.ID, in.CreatedAt),
		MessageID:      in.MessageID,
		Now:            now,
	}
	if err := integ.Prepare(req, ep.Credentials, sc); err != nil {
		return nil, fmt.Errorf("prepare %s request: %w", info.Name, err)
	}
	plan.Request = req
	plan.Problems = integ.Validate(req, now)
	return plan, nil
}

// transform runs the endpoint's transformation, if any, and builds the
// unprepared request; or it says why nothing is to be sent.
func (p *Planner) transform(ctx context.Context, ep *hookbridge.Endpoint, info hookbridge.IntegrationInfo, in Input, plan *Plan) (*hookbridge.OutboundRequest, string, error) {
	url := info.DestinationURL(ep)
	req := &hookbridge.OutboundRequest{Method: "POST", URL: url, Headers: maps.Clone(ep.Headers), Body: in.Payload}
	if req.Headers == nil {
		req.Headers = map[string]string{}
	}
	if !ep.Transformation.Enabled || ep.Transformation.Code == "" {
		if info.RequiresTransformation {
			return nil, fmt.Sprintf("%s needs a transformation to shape events for its API, and this endpoint has none enabled", info.Name), nil
		}
		return req, "", nil
	}
	out, err := p.run(ctx, ep, in, url)
	if err != nil {
		return nil, "", err
	}
	plan.Console, plan.TransformDuration = out.Console, out.Duration
	switch {
	case out.Cancel:
		return nil, "the transformation cancelled this delivery (webhook.cancel = true)", nil
	case !out.Changed && info.RequiresTransformation:
		return nil, fmt.Sprintf("the transformation returned %s unchanged (its handler does not handle this event type), so nothing is sent to %s", in.EventType, info.Name), nil
	}
	req.Method, req.URL, req.Body = out.Method, out.URL, out.Payload
	mergeHeaders(req.Headers, out.Headers)
	return req, "", nil
}

// mergeHeaders sets each of set in headers, replacing a header of the same
// name in any letter case, in time linear in the headers of both. Names in
// set differ in more than case (the sandbox refuses them otherwise).
func mergeHeaders(headers, set map[string]string) {
	if len(set) == 0 {
		return
	}
	byLower := make(map[string][]string, len(headers))
	for name := range headers {
		lower := strings.ToLower(name)
		byLower[lower] = append(byLower[lower], name)
	}
	for name, value := range set {
		for _, old := range byLower[strings.ToLower(name)] {
			delete(headers, old)
		}
		headers[name] = value
	}
}

// run runs the endpoint's transformation once admitted.
func (p *Planner) run(ctx context.Context, ep *hookbridge.Endpoint, in Input, url string) (*hookbridge.TransformOutput, error) {
	done, err := p.Admission.Admit(ctx, ep.AppID, ep.ID, p.AdmissionWait)
	if err != nil {
		return nil, err
	}
	defer done()
	return p.Transformer.Transform(ctx, in.CodeKey, ep.Transformation.Code, hookbridge.TransformInput{
		EventType: in.EventType, Payload: in.Payload, URL: url, Method: "POST",
	})
}
