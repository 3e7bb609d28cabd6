-- The audit log of management changes: who (the API token), what (the
-- request and the resource's id) and when. Rows are only ever inserted.
-- app_id has no foreign key so that the log never stands in the way of
-- anything else.

CREATE TABLE audit_log (
    id          text PRIMARY KEY,
    app_id      text NOT NULL,
    token_id    text NOT NULL,
    token_name  text NOT NULL,
    method      text NOT NULL,
    path        text NOT NULL,
    route       text NOT NULL,
    resource_id text NOT NULL,
    status      integer NOT NULL,
    request_id  text NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE INDEX audit_log_by_app ON audit_log (app_id, id);
