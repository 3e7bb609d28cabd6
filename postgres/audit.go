package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/hookbridge/hookbridge"
)

const auditColumns = `id, app_id, token_id, token_name, method, path, route, resource_id, status, request_id, created_at, outcome`

// AppendAudit stores an audit entry.
func (s *Store) AppendAudit(ctx context.Context, e *hookbridge.AuditEntry) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO audit_log (`+auditColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		e.ID, e.AppID, e.TokenID, e.TokenName, e.Method, e.Path, e.Route, e.ResourceID, e.Status, e.RequestID, utc(e.CreatedAt), e.Outcome)
	if err != nil {
		return dbError("append audit entry", err)
	}
	return nil
}

// ListAudit returns the audit entries of an app, newest (highest id) first.
func (s *Store) ListAudit(ctx context.Context, appID string, f hookbridge.AuditFilter) ([]*hookbridge.AuditEntry, error) {
	var limit *int
	if f.Limit > 0 {
		limit = &f.Limit
	}
	return queryAll(ctx, s.pool, "list audit log", scanAudit, `
		SELECT `+auditColumns+` FROM audit_log
		WHERE app_id = $1 AND ($2 = '' OR id < $2)
		ORDER BY id DESC LIMIT $3`, appID, f.Before, limit)
}

func scanAudit(row pgx.CollectableRow) (*hookbridge.AuditEntry, error) {
	var e hookbridge.AuditEntry
	err := row.Scan(&e.ID, &e.AppID, &e.TokenID, &e.TokenName, &e.Method, &e.Path, &e.Route,
		&e.ResourceID, &e.Status, &e.RequestID, &e.CreatedAt, &e.Outcome)
	return &e, err
}
