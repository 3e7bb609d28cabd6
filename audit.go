package hookbridge

import (
	"context"
	"time"
)

// AuditEntry records one management change: who made it (the API token),
// what it was (method, path, the resource's id) and when. Entries are
// written after the change succeeded and are never updated.
type AuditEntry struct {
	ID    string `json:"id"`
	AppID string `json:"app_id"`
	// TokenID and TokenName say who made the change.
	TokenID   string `json:"token_id"`
	TokenName string `json:"token_name"`
	// Method and Path are the HTTP request, such as PATCH
	// /api/v1/apps/acme/endpoints/ep_…; Route is the pattern it matched,
	// such as PATCH /api/v1/apps/{app}/endpoints/{id}.
	Method string `json:"method"`
	Path   string `json:"path"`
	Route  string `json:"route"`
	// ResourceID is the id of the resource changed or created.
	ResourceID string `json:"resource_id,omitempty"`
	// Status is the HTTP status of the answer.
	Status int `json:"status"`
	// Outcome is what the call found, for calls whose result is worth
	// keeping: a credentials check's result (valid, wrong_key,
	// wrong_region, cannot_check). Empty for the others.
	Outcome   string    `json:"outcome,omitempty"`
	RequestID string    `json:"request_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// AuditFilter selects audit entries for listing. Zero fields do not
// filter.
type AuditFilter struct {
	// Before is a cursor: only entries with an id lower than it.
	Before string
	Limit  int
}

// AuditStore keeps the audit log of management changes.
type AuditStore interface {
	// AppendAudit stores an entry as given: its ID and CreatedAt are the
	// caller's. An ID stored before is ErrConflict.
	AppendAudit(ctx context.Context, e *AuditEntry) error
	// ListAudit returns the entries of an app, newest first.
	ListAudit(ctx context.Context, appID string, f AuditFilter) ([]*AuditEntry, error)
}
