package sqlite

import (
	"context"
	"fmt"

	"github.com/hookbridge/hookbridge"
)

const auditColumns = `id, app_id, token_id, token_name, method, path, route, resource_id, status, request_id, created_at, outcome`

// AppendAudit stores an audit entry. An empty ID or zero CreatedAt is
// filled in (and e updated).
func (s *Store) AppendAudit(ctx context.Context, e *hookbridge.AuditEntry) error {
	_, err := s.exec(ctx,
		`INSERT INTO audit_log (`+auditColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.AppID, e.TokenID, e.TokenName, e.Method, e.Path, e.Route, e.ResourceID, e.Status,
		e.RequestID, toMicros(e.CreatedAt), e.Outcome)
	if isUniqueViolation(err) {
		return fmt.Errorf("append audit entry %s: %w", e.ID, hookbridge.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("append audit entry %s: %w", e.ID, err)
	}
	return nil
}

// ListAudit returns the audit entries of an app, newest (highest id) first.
func (s *Store) ListAudit(ctx context.Context, appID string, f hookbridge.AuditFilter) ([]*hookbridge.AuditEntry, error) {
	var c conditions
	c.add("app_id = ?", appID)
	c.addIfSet("id < ?", f.Before)
	rows, err := s.read.QueryContext(ctx,
		`SELECT `+auditColumns+` FROM audit_log`+c.where()+` ORDER BY id DESC LIMIT ?`,
		append(c.args, sqlLimit(f.Limit))...)
	entries, err := collect(rows, err, scanAudit)
	if err != nil {
		return nil, fmt.Errorf("list audit log of app %s: %w", appID, err)
	}
	return entries, nil
}

func scanAudit(row scanner) (*hookbridge.AuditEntry, error) {
	var (
		e       hookbridge.AuditEntry
		created int64
	)
	err := row.Scan(&e.ID, &e.AppID, &e.TokenID, &e.TokenName, &e.Method, &e.Path, &e.Route,
		&e.ResourceID, &e.Status, &e.RequestID, &created, &e.Outcome)
	if err != nil {
		return nil, err
	}
	e.CreatedAt = fromMicros(created)
	return &e, nil
}
