package httpapi

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/hookbridge/hookbridge"
)

// The audit log records every successful management change: who (the
// token), what (method, path, route and the resource's id) and when. Reads
// are not recorded, and neither are the calls that only post events or test
// a transformation, which are traffic rather than management. A
// credentials check (verify.go) is recorded with its result as the
// entry's outcome: it sends the credentials to the tool.

// unaudited are the changing routes that are not management changes.
var unaudited = map[string]bool{
	"POST /api/v1/apps/{app}/messages":             true,
	"POST /api/v1/apps/{app}/transformations/test": true,
}

// audited reports whether a request to pattern changes something worth
// recording.
func audited(method, pattern string) bool {
	return !safeMethod(method) && !unaudited[pattern]
}

// maxCapturedBody is how much of a creating call's answer is kept to find
// the new resource's id.
const maxCapturedBody = 64 << 10

// auditRecorder watches the answer to a management change: its status, and
// for a POST the start of the body, where a created resource's id is.
type auditRecorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
	keep   bool
	// outcome is what the call found, set by its handler (see
	// setAuditOutcome).
	outcome string
}

// setAuditOutcome keeps what an audited call found (a credentials check's
// result) in its audit entry; on an unaudited call it does nothing.
func setAuditOutcome(w http.ResponseWriter, outcome string) {
	if rec, ok := w.(*auditRecorder); ok {
		rec.outcome = outcome
	}
}

// auditWriter returns w, wrapped to record the answer when the request is
// audited.
func (s *Server) auditWriter(w http.ResponseWriter, r *http.Request) http.ResponseWriter {
	if !audited(r.Method, r.Pattern) {
		return w
	}
	return &auditRecorder{ResponseWriter: w, keep: r.Method == http.MethodPost}
}

func (a *auditRecorder) WriteHeader(code int) {
	a.status = cmp.Or(a.status, code)
	a.ResponseWriter.WriteHeader(code)
}

func (a *auditRecorder) Write(b []byte) (int, error) {
	a.status = cmp.Or(a.status, http.StatusOK)
	if a.keep && a.body.Len() < maxCapturedBody {
		a.body.Write(b[:min(len(b), maxCapturedBody-a.body.Len())])
	}
	return a.ResponseWriter.Write(b)
}

func (a *auditRecorder) Unwrap() http.ResponseWriter { return a.ResponseWriter }

// createdID reads the "id" of a created resource from the answer.
func (a *auditRecorder) createdID() string {
	var created struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(a.body.Bytes(), &created) != nil {
		return ""
	}
	return created.ID
}

// recordAudit appends the entry for a successful change. The change has
// happened, so a failure to record it is logged, not answered.
func (s *Server) recordAudit(r *http.Request, tok *hookbridge.Token, w http.ResponseWriter) {
	rec, ok := w.(*auditRecorder)
	if !ok || rec.status == 0 || rec.status >= 400 {
		return
	}
	entry := &hookbridge.AuditEntry{
		ID:         hookbridge.NewID("aud"),
		AppID:      r.PathValue("app"),
		TokenID:    tok.ID,
		TokenName:  tok.Name,
		Method:     r.Method,
		Path:       r.URL.Path,
		Route:      r.Pattern,
		ResourceID: r.PathValue("id"),
		Status:     rec.status,
		Outcome:    rec.outcome,
		RequestID:  requestIDOf(r),
		CreatedAt:  s.now().UTC(),
	}
	if created := rec.createdID(); created != "" {
		entry.ResourceID = cmp.Or(entry.ResourceID, created)
		entry.AppID = cmp.Or(entry.AppID, created) // POST /api/v1/apps
	}
	if entry.AppID == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Second)
	defer cancel()
	if err := s.store.AppendAudit(ctx, entry); err != nil {
		s.log.ErrorContext(ctx, "record audit entry", "route", entry.Route, "resource_id", entry.ResourceID, "err", err)
	}
}

func (s *Server) listAudit(w http.ResponseWriter, r *http.Request, app *hookbridge.App) error {
	q := r.URL.Query()
	var verr hookbridge.ValidationError
	f := hookbridge.AuditFilter{Before: q.Get("before"), Limit: parseLimit(q.Get("limit"), &verr)}
	if err := verr.Err(); err != nil {
		return err
	}
	entries, err := s.store.ListAudit(r.Context(), app.ID, f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page(entries, f.Limit, func(e *hookbridge.AuditEntry) string { return e.ID }))
}
