-- The first schema of hookbridge on SQLite.
--
-- Times are INTEGER microseconds since the Unix epoch, UTC. Secrets
-- (endpoint credentials, source signing secrets) are BLOBs sealed by the
-- store's Cipher and never appear in plain text. Deliveries keep their
-- endpoint id without a foreign key, and messages their source id, so that
-- history outlives a deleted endpoint or source.

CREATE TABLE apps (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

-- app_id is NULL for admin tokens, which see every app.
CREATE TABLE tokens (
    id         TEXT PRIMARY KEY,
    app_id     TEXT REFERENCES apps (id),
    name       TEXT NOT NULL,
    hash       BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER
) STRICT;
CREATE INDEX tokens_by_app ON tokens (app_id);

CREATE TABLE sources (
    id             TEXT PRIMARY KEY,
    app_id         TEXT NOT NULL REFERENCES apps (id),
    name           TEXT NOT NULL,
    sealed_secrets BLOB NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX sources_by_app ON sources (app_id);

CREATE TABLE endpoints (
    id                     TEXT PRIMARY KEY,
    app_id                 TEXT NOT NULL REFERENCES apps (id),
    name                   TEXT NOT NULL,
    integration            TEXT NOT NULL,
    url                    TEXT NOT NULL,
    sealed_credentials     BLOB NOT NULL,
    event_types            TEXT NOT NULL, -- JSON array; empty means every type
    transformation_code    TEXT NOT NULL,
    transformation_enabled INTEGER NOT NULL,
    headers                TEXT NOT NULL, -- JSON object
    rate_limit             INTEGER NOT NULL,
    disabled               INTEGER NOT NULL,
    version                INTEGER NOT NULL,
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL
) STRICT;
CREATE INDEX endpoints_by_app ON endpoints (app_id);

CREATE TABLE messages (
    id         TEXT PRIMARY KEY,
    app_id     TEXT NOT NULL REFERENCES apps (id),
    event_type TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    source_id  TEXT NOT NULL,
    payload    TEXT NOT NULL, -- the bytes as they arrived
    created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX messages_by_event_id ON messages (app_id, event_id);
CREATE INDEX messages_by_app ON messages (app_id, id);

-- A delivery is leased to a worker while lease_id is set and
-- lease_expires_at lies ahead.
CREATE TABLE deliveries (
    id               TEXT PRIMARY KEY,
    app_id           TEXT NOT NULL REFERENCES apps (id),
    message_id       TEXT NOT NULL REFERENCES messages (id),
    endpoint_id      TEXT NOT NULL,
    event_type       TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    last_error       TEXT NOT NULL,
    lease_id         TEXT,
    lease_expires_at INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
) STRICT;
-- The workers' hot path: due pending deliveries, longest due first.
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at, id) WHERE status = 'pending';
-- Listings and recovery always name the app; leading with app_id lets the
-- planner prefer these over deliveries_by_app even before ANALYZE.
CREATE INDEX deliveries_by_app ON deliveries (app_id, id);
CREATE INDEX deliveries_by_message ON deliveries (app_id, message_id, id);
CREATE INDEX deliveries_by_endpoint ON deliveries (app_id, endpoint_id, id);
-- Recovery of failed deliveries in a time window; cancelling pending ones.
CREATE INDEX deliveries_by_endpoint_status ON deliveries (app_id, endpoint_id, status, created_at);

CREATE TABLE attempts (
    id               TEXT PRIMARY KEY,
    delivery_id      TEXT NOT NULL REFERENCES deliveries (id),
    request_method   TEXT NOT NULL,
    request_url      TEXT NOT NULL,
    request_headers  TEXT NOT NULL, -- JSON object, credentials masked
    request_body     TEXT NOT NULL,
    response_status  INTEGER NOT NULL,
    response_headers TEXT NOT NULL, -- JSON object
    response_body    TEXT NOT NULL,
    duration_ns      INTEGER NOT NULL,
    error            TEXT NOT NULL,
    created_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX attempts_by_delivery ON attempts (delivery_id, created_at, id);
