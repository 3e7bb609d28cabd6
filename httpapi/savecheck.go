package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/delivery"
)

// The save check runs an endpoint's transformation, as it is about to be
// saved, on the catalogue sample of every event type the endpoint
// subscribes to: a dry run through the same plan step as a delivery and as
// POST …/transformations/test (the integration's prepare and validate),
// with nothing sent. A sample that would be refused by the validator
// ("invalid") or that makes the transformation fail ("error") stops the
// save with 422 transformation_rejected, unless the body says
// "force": true; then the endpoint is saved and the answer lists the same
// problems as warnings. Validator warnings and skipped samples (the
// handler cancels, or leaves an event type unchanged) pass.

// saveOptions are the fields of an endpoint's POST and PATCH body that
// govern the save check.
type saveOptions struct {
	// Force saves the endpoint even if the check finds problems.
	Force bool `json:"force"`
}

// saveProblem is one reason an event type's sample would not be delivered.
type saveProblem struct {
	EventType string `json:"event_type"`
	// Kind is "invalid" (the destination would refuse the request) or
	// "error" (the transformation failed).
	Kind string `json:"kind"`
	// Field is the part of the request the validator objects to.
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
	// stopped marks a run the sandbox stopped at its time or memory limit.
	stopped bool
}

// saveReport is what the save check found.
type saveReport struct {
	Problems []saveProblem `json:"problems"`
	// NotChecked lists the event types whose samples were not run because
	// an earlier sample was stopped by the sandbox's time or memory limit:
	// each further run could cost as much, and delay the deliveries that
	// share the sandbox.
	NotChecked []string `json:"not_checked,omitempty"`
}

func (r *saveReport) clean() bool { return len(r.Problems) == 0 }

// savedEndpoint is the answer to a create or update: the endpoint and,
// when a forced save had problems, those problems as warnings.
type savedEndpoint struct {
	endpointView
	Warnings   []saveProblem `json:"warnings,omitempty"`
	NotChecked []string      `json:"not_checked,omitempty"`
}

func withSaveReport(view endpointView, report *saveReport) savedEndpoint {
	out := savedEndpoint{endpointView: view}
	if report != nil {
		out.Warnings, out.NotChecked = report.Problems, report.NotChecked
	}
	return out
}

// checkUpdate runs the save check if the update changes what the
// transformation does to events: its code, whether it is enabled (or the
// template it came from), or the event types it receives. It returns nil
// when nothing needed checking.
func (s *Server) checkUpdate(ctx context.Context, before, after *hookbridge.Endpoint, opts saveOptions) (*saveReport, error) {
	if before.Transformation.SameAs(after.Transformation) && slices.Equal(before.EventTypes, after.EventTypes) {
		return nil, nil
	}
	return s.checkSave(ctx, after, opts)
}

// checkSave runs the save check on ep. Problems are an error (422
// transformation_rejected, listing them) unless opts.Force; forced, they
// come back in the report.
func (s *Server) checkSave(ctx context.Context, ep *hookbridge.Endpoint, opts saveOptions) (*saveReport, error) {
	report, err := s.runSaveCheck(ctx, ep)
	if err != nil {
		return nil, fmt.Errorf("check transformation before saving: %w", err)
	}
	if report.clean() || opts.Force {
		return report, nil
	}
	return nil, rejectedSave(report)
}

// runSaveCheck plans a delivery of each subscribed event type's sample.
func (s *Server) runSaveCheck(ctx context.Context, ep *hookbridge.Endpoint) (*saveReport, error) {
	report := &saveReport{Problems: []saveProblem{}}
	now := s.now()
	stopped := false
	for _, et := range s.eventTypes {
		if !ep.Accepts(et.Name) {
			continue
		}
		if stopped {
			report.NotChecked = append(report.NotChecked, et.Name)
			continue
		}
		problems, err := s.checkSample(ctx, ep, et, now)
		if err != nil {
			return nil, err
		}
		report.Problems = append(report.Problems, problems...)
		stopped = slices.ContainsFunc(problems, func(p saveProblem) bool { return p.stopped })
	}
	return report, nil
}

// checkSample plans the delivery of one event type's sample and returns
// what would stop it.
func (s *Server) checkSample(ctx context.Context, ep *hookbridge.Endpoint, et hookbridge.EventType, now time.Time) ([]saveProblem, error) {
	plan, err := s.planner.Plan(ctx, ep, delivery.Input{
		MessageID: hookbridge.NewID("msg"), EventType: et.Name, Payload: et.Sample, CreatedAt: now,
		CodeKey: saveCheckCodeKey(ep),
	}, now)
	var codeErr *hookbridge.CodeError
	switch {
	case errors.As(err, &codeErr):
		return []saveProblem{{
			EventType: et.Name, Kind: "error", Message: capProblemText(codeErr.Error()), Fix: codeErrorFix(codeErr),
			stopped: codeErr.Kind == "timeout" || codeErr.Kind == "memory",
		}}, nil
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		// The integration could not prepare the request the handler
		// returned (a URL it cannot move to its region host, …): a
		// delivery would fail the same way.
		secrets := s.secretsOf(ep)
		return []saveProblem{{EventType: et.Name, Kind: "error", Message: capProblemText(hookbridge.MaskSecrets(err.Error(), secrets))}}, nil
	case plan.Skipped():
		return nil, nil
	}
	var out []saveProblem
	for _, p := range hookbridge.Blocking(plan.Problems) {
		out = append(out, saveProblem{
			EventType: et.Name, Kind: "invalid", Field: p.Field,
			Message: capProblemText(hookbridge.MaskSecrets(p.Message, plan.Secrets)),
			Fix:     capProblemText(hookbridge.MaskSecrets(p.Fix, plan.Secrets)),
		})
	}
	return out, nil
}

// maxProblemText bounds each text of a save check's problem: user code
// controls an error's message, and an answer lists up to one problem per
// event type.
const maxProblemText = 2 << 10

func capProblemText(s string) string { return hookbridge.CapText(s, maxProblemText) }

// saveCheckCodeKey names the draft's compiled program in the sandbox's
// cache, one per endpoint, so that the samples of one check share a
// compilation and warm runtimes, and the next check replaces it.
func saveCheckCodeKey(ep *hookbridge.Endpoint) string {
	return "save-check:" + ep.ID
}

func (s *Server) secretsOf(ep *hookbridge.Endpoint) []string {
	integ, ok := s.integrations.Get(ep.Integration)
	if !ok {
		return nil
	}
	return hookbridge.SecretValues(integ.Info(), ep.Credentials)
}

func codeErrorFix(e *hookbridge.CodeError) string {
	switch e.Kind {
	case "timeout":
		return "make the handler finish within the time limit for this event type"
	case "memory":
		return "make the handler build smaller values for this event type"
	case "result":
		return "return the webhook object (or set webhook.cancel = true to skip the event)"
	default:
		return "fix the handler for this event type, or cancel it there (webhook.cancel = true); POST …/transformations/test shows the run"
	}
}

// rejectedSave is the 422 answer to a save whose check found problems.
func rejectedSave(report *saveReport) error {
	types := []string{}
	for _, p := range report.Problems {
		if !slices.Contains(types, p.EventType) {
			types = append(types, p.EventType)
		}
	}
	e := errorf(http.StatusUnprocessableEntity, "transformation_rejected",
		"the transformation would not deliver the sample of %d event type(s) (%s); fix it, or send \"force\": true to save it anyway",
		len(types), strings.Join(types, ", "))
	e.saveReport = report
	return e
}
