package httpapi

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/admission"
	"github.com/hookbridge/hookbridge/delivery"
)

// The preview replays a draft transformation over an endpoint's most
// recent real messages beside the live one: both run through the same plan
// step as a delivery (transformation, prepare, validate), nothing is sent,
// and each message's two requests are compared. It answers whether saving
// the draft would change, break or skip what the tool receives, before it
// is saved.

// Bounds of one preview.
const (
	defaultPreviewLimit = 100
	maxPreviewLimit     = 500
	// previewScanFactor bounds how many messages a preview reads to find
	// limit that the endpoint accepts.
	previewScanFactor = 10
	previewPage       = 200
	// maxPreviewDiff bounds the differences listed per message.
	maxPreviewDiff = 50
)

// previewInput is the body of POST …/endpoints/{id}/transformation/preview.
type previewInput struct {
	Code string `json:"code"`
	// Limit is how many messages to replay (default 100, at most 500).
	Limit int `json:"limit"`
	// Since keeps messages created at or after it.
	Since *time.Time `json:"since"`
	// EventTypes keeps messages of these types (of those the endpoint
	// accepts).
	EventTypes []string `json:"event_types"`
	// Before is the cursor of the next page: the answer's next_before.
	Before string `json:"before"`
}

// previewSide is what one version of the transformation does with one
// message.
type previewSide struct {
	// Outcome is "request" (a request would be sent), "invalid" (the
	// validator would stop it), "skipped" (nothing to send) or "error"
	// (the transformation failed).
	Outcome    string                      `json:"outcome"`
	Request    *hookbridge.RecordedRequest `json:"request,omitempty"`
	Problems   []hookbridge.Problem        `json:"problems"`
	SkipReason string                      `json:"skip_reason,omitempty"`
	Error      string                      `json:"error,omitempty"`
	// stopped marks a run the sandbox stopped at its time or memory limit.
	stopped bool
}

// previewItem compares the two versions on one message.
type previewItem struct {
	MessageID string    `json:"message_id"`
	EventType string    `json:"event_type"`
	CreatedAt time.Time `json:"created_at"`
	// Change is "unchanged", "changed", "newly_invalid", "newly_skipped",
	// "error" or "not_run" (an earlier run of the draft hit the sandbox's
	// limits, so it was not run again).
	Change string        `json:"change"`
	Live   previewSide   `json:"live"`
	Draft  *previewSide  `json:"draft,omitempty"`
	Diff   []requestDiff `json:"diff"`
}

// previewSummary counts the items by change.
type previewSummary struct {
	Unchanged    int `json:"unchanged"`
	Changed      int `json:"changed"`
	NewlyInvalid int `json:"newly_invalid"`
	NewlySkipped int `json:"newly_skipped"`
	Errors       int `json:"errors"`
	NotRun       int `json:"not_run"`
}

type previewAnswer struct {
	Summary previewSummary `json:"summary"`
	Items   []previewItem  `json:"items"`
	// NextBefore continues with older messages; "" when there are none.
	NextBefore string `json:"next_before,omitempty"`
}

func (s *Server) previewTransformation(w http.ResponseWriter, r *http.Request, live *hookbridge.Endpoint) error {
	var in previewInput
	if err := decodeJSON(w, r, s.maxBody, &in); err != nil {
		return err
	}
	if err := s.checkPreviewInput(live, &in); err != nil {
		return err
	}
	msgs, next, err := s.previewMessages(r.Context(), live, &in)
	if err != nil {
		return err
	}
	draft := *live
	draft.Transformation = hookbridge.Transformation{Code: in.Code, Enabled: true}
	answer := previewAnswer{Items: make([]previewItem, 0, len(msgs)), NextBefore: next}
	stopped := false
	for _, m := range msgs {
		item, err := s.previewOne(r.Context(), live, &draft, m, stopped)
		if err != nil {
			return notAdmitted(w, err)
		}
		stopped = stopped || (item.Draft != nil && item.Draft.stopped)
		answer.Summary.count(item.Change)
		answer.Items = append(answer.Items, item)
	}
	return writeJSON(w, http.StatusOK, answer)
}

// checkPreviewInput refuses a preview that cannot run, and applies the
// default limit.
func (s *Server) checkPreviewInput(ep *hookbridge.Endpoint, in *previewInput) error {
	switch {
	case in.Limit < 0 || in.Limit > maxPreviewLimit:
		return fieldError("limit", "must be between 1 and %d messages (0: %d)", maxPreviewLimit, defaultPreviewLimit)
	case in.Limit == 0:
		in.Limit = defaultPreviewLimit
	}
	for _, name := range in.EventTypes {
		if _, ok := s.eventByName[name]; !ok {
			return fieldError("event_types", "unknown event type %q; GET /api/v1/event-types lists them", name)
		}
	}
	var verr hookbridge.ValidationError
	probe := *ep
	probe.Transformation = hookbridge.Transformation{Code: in.Code, Enabled: true}
	integ, ok := s.integrations.Get(ep.Integration)
	if !ok {
		return fieldError("integration", "unknown integration %q", ep.Integration)
	}
	s.validateCode(&probe, integ.Info(), &verr)
	if err := verr.Err(); err != nil {
		return err
	}
	return nil
}

// previewMessages returns up to in.Limit of the endpoint's most recent
// messages that in selects, newest first, and the cursor of the next
// page. It reads at most previewScanFactor times the limit.
func (s *Server) previewMessages(ctx context.Context, ep *hookbridge.Endpoint, in *previewInput) ([]*hookbridge.Message, string, error) {
	f := hookbridge.MessageFilter{Before: in.Before, Limit: previewPage}
	if in.Since != nil {
		f.Since = *in.Since
	}
	if len(in.EventTypes) == 1 {
		f.EventType = in.EventTypes[0]
	}
	var out []*hookbridge.Message
	for scanned := 0; scanned < in.Limit*previewScanFactor; {
		page, err := s.store.ListMessages(ctx, ep.AppID, f)
		if err != nil {
			return nil, "", err
		}
		for _, m := range page {
			if ep.Accepts(m.EventType) && (len(in.EventTypes) == 0 || slices.Contains(in.EventTypes, m.EventType)) {
				out = append(out, m)
				if len(out) == in.Limit {
					return out, m.ID, nil
				}
			}
		}
		if len(page) < f.Limit {
			return out, "", nil
		}
		scanned += len(page)
		f.Before = page[len(page)-1].ID
	}
	return out, f.Before, nil
}

// previewOne runs both versions on one message and compares them; the
// draft is not run when skipDraft (an earlier run hit the sandbox's
// limits).
func (s *Server) previewOne(ctx context.Context, live, draft *hookbridge.Endpoint, m *hookbridge.Message, skipDraft bool) (previewItem, error) {
	item := previewItem{MessageID: m.ID, EventType: m.EventType, CreatedAt: m.CreatedAt, Diff: []requestDiff{}}
	in := delivery.Input{MessageID: m.ID, EventType: m.EventType, Payload: m.Payload, CreatedAt: m.CreatedAt}
	now := s.now()
	var err error
	in.CodeKey = live.CodeKey()
	if item.Live, err = s.previewSide(ctx, live, in, now); err != nil {
		return item, err
	}
	if skipDraft {
		item.Change = "not_run"
		return item, nil
	}
	in.CodeKey = "preview:" + live.ID
	d, err := s.previewSide(ctx, draft, in, now)
	if err != nil {
		return item, err
	}
	item.Draft = &d
	if item.Live.Request != nil && d.Request != nil {
		item.Diff = diffRequests(item.Live.Request, d.Request, maxPreviewDiff)
	}
	item.Change = compareSides(item.Live, d, len(item.Diff) == 0)
	return item, nil
}

// previewSide plans one delivery without sending it. Only an admission
// refusal or the end of ctx is an error: a failing transformation is an
// outcome.
func (s *Server) previewSide(ctx context.Context, ep *hookbridge.Endpoint, in delivery.Input, now time.Time) (previewSide, error) {
	plan, err := s.planner.Plan(ctx, ep, in, now)
	var codeErr *hookbridge.CodeError
	switch {
	case errors.As(err, &codeErr):
		return previewSide{Outcome: "error", Problems: []hookbridge.Problem{}, Error: capProblemText(codeErr.Error()),
			stopped: codeErr.Kind == "timeout" || codeErr.Kind == "memory"}, nil
	case ctx.Err() != nil:
		return previewSide{}, ctx.Err()
	case errors.Is(err, admission.ErrBusy):
		return previewSide{}, err
	case err != nil:
		return previewSide{Outcome: "error", Problems: []hookbridge.Problem{},
			Error: capProblemText(hookbridge.MaskSecrets(err.Error(), s.secretsOf(ep)))}, nil
	case plan.Skipped():
		return previewSide{Outcome: "skipped", Problems: []hookbridge.Problem{}, SkipReason: plan.SkipReason}, nil
	}
	rec := plan.Recorded()
	side := previewSide{Outcome: "request", Request: &rec, Problems: maskedProblems(plan)}
	if len(hookbridge.Blocking(plan.Problems)) > 0 {
		side.Outcome = "invalid"
	}
	return side, nil
}

// maskedProblems are a plan's problems with its secrets masked.
func maskedProblems(plan *delivery.Plan) []hookbridge.Problem {
	out := make([]hookbridge.Problem, len(plan.Problems))
	for i, p := range plan.Problems {
		p.Message = hookbridge.MaskSecrets(p.Message, plan.Secrets)
		p.Fix = hookbridge.MaskSecrets(p.Fix, plan.Secrets)
		out[i] = p
	}
	return out
}

// compareSides names how the draft's outcome differs from the live one's;
// sameRequests reports whether their requests, when both have one, do not
// differ (diffRequests found nothing).
func compareSides(live, draft previewSide, sameRequests bool) string {
	switch {
	case draft.Outcome == "error" && live.Outcome != "error":
		return "error"
	case draft.Outcome == "invalid" && live.Outcome != "invalid":
		return "newly_invalid"
	case draft.Outcome == "skipped" && live.Outcome != "skipped":
		return "newly_skipped"
	case draft.Outcome != live.Outcome:
		return "changed"
	case live.Request == nil:
		if draft.Error != live.Error || draft.SkipReason != live.SkipReason {
			return "changed"
		}
		return "unchanged"
	case sameRequests:
		return "unchanged"
	}
	return "changed"
}

func (c *previewSummary) count(change string) {
	switch change {
	case "unchanged":
		c.Unchanged++
	case "changed":
		c.Changed++
	case "newly_invalid":
		c.NewlyInvalid++
	case "newly_skipped":
		c.NewlySkipped++
	case "error":
		c.Errors++
	case "not_run":
		c.NotRun++
	}
}
