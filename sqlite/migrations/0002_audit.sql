-- The audit log of management changes: who (the API token), what (the
-- request and the resource's id) and when. Rows are only ever inserted.
-- app_id has no foreign key so that the log never stands in the way.

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    app_id      TEXT NOT NULL,
    token_id    TEXT NOT NULL,
    token_name  TEXT NOT NULL,
    method      TEXT NOT NULL,
    path        TEXT NOT NULL,
    route       TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    status      INTEGER NOT NULL,
    request_id  TEXT NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_log_by_app ON audit_log (app_id, id);
