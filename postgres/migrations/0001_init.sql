-- The hookbridge schema for PostgreSQL. It means the same as the SQLite
-- schema; the differences are of type only (timestamptz, bytea, text[]).
--
-- Sealed columns (sources.sealed_secrets, endpoints.sealed_credentials)
-- hold the output of the configured Cipher, never plain text. Payloads and recorded bodies are
-- bytea so that they come back byte for byte (jsonb would reorder keys, and
-- text refuses NUL bytes and invalid UTF-8).

CREATE TABLE apps (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL
);

-- A NULL app_id marks an admin token.
CREATE TABLE tokens (
    id         text PRIMARY KEY,
    app_id     text REFERENCES apps (id),
    name       text NOT NULL,
    hash       bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz,
    revoked_at timestamptz
);

CREATE INDEX tokens_by_app ON tokens (app_id, id);

CREATE TABLE sources (
    id             text PRIMARY KEY,
    app_id         text NOT NULL REFERENCES apps (id),
    name           text NOT NULL,
    -- Sealed JSON list of {secret, created_at, expires_at}.
    sealed_secrets bytea NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);

CREATE INDEX sources_by_app ON sources (app_id, id);

CREATE TABLE endpoints (
    id                     text PRIMARY KEY,
    app_id                 text NOT NULL REFERENCES apps (id),
    name                   text NOT NULL,
    integration            text NOT NULL,
    url                    text NOT NULL,
    -- Sealed JSON object of credential fields.
    sealed_credentials     bytea NOT NULL,
    -- Empty means every event type.
    event_types            text[] NOT NULL,
    transformation_code    text NOT NULL,
    transformation_enabled boolean NOT NULL,
    headers                jsonb NOT NULL,
    rate_limit             integer NOT NULL,
    disabled               boolean NOT NULL,
    version                integer NOT NULL,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL
);

CREATE INDEX endpoints_by_app ON endpoints (app_id, id);

CREATE TABLE messages (
    id         text PRIMARY KEY,
    app_id     text NOT NULL REFERENCES apps (id),
    event_type text NOT NULL,
    event_id   text NOT NULL,
    source_id  text NOT NULL,
    payload    bytea NOT NULL,
    created_at timestamptz NOT NULL,
    -- The idempotency key of ingest.
    CONSTRAINT messages_event_id_unique UNIQUE (app_id, event_id)
);

-- Listing newest first (ids sort by creation time).
CREATE INDEX messages_by_app ON messages (app_id, id);
CREATE INDEX messages_by_app_type ON messages (app_id, event_type, id);

-- endpoint_id has no foreign key: a delivery outlives its endpoint (it is
-- cancelled, and its attempts stay visible).
CREATE TABLE deliveries (
    id               text PRIMARY KEY,
    app_id           text NOT NULL REFERENCES apps (id),
    message_id       text NOT NULL REFERENCES messages (id),
    endpoint_id      text NOT NULL,
    event_type       text NOT NULL,
    status           text NOT NULL
        CHECK (status IN ('pending', 'succeeded', 'failed', 'skipped', 'cancelled')),
    attempts         integer NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    last_error       text NOT NULL,
    -- The worker lease: set by ClaimDeliveries, cleared when it ends.
    lease_id         text,
    lease_expires_at timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

-- Claiming walks only pending deliveries, earliest due first.
CREATE INDEX deliveries_due ON deliveries (next_attempt_at, id) WHERE status = 'pending';
-- An endpoint's deliveries by time: recovery of a window, cancellation.
CREATE INDEX deliveries_by_endpoint ON deliveries (endpoint_id, created_at);
CREATE INDEX deliveries_by_app ON deliveries (app_id, id);
CREATE INDEX deliveries_by_message ON deliveries (message_id);

CREATE TABLE attempts (
    id               text PRIMARY KEY,
    delivery_id      text NOT NULL REFERENCES deliveries (id),
    request_method   text NOT NULL,
    request_url      text NOT NULL,
    -- json, not jsonb: header values from the outside world may hold
    -- escapes (\u0000) that jsonb refuses.
    request_headers  json NOT NULL,
    request_body     bytea NOT NULL,
    response_status  integer NOT NULL,
    response_headers json NOT NULL,
    response_body    bytea NOT NULL,
    duration_ns      bigint NOT NULL,
    error            text NOT NULL,
    created_at       timestamptz NOT NULL
);

CREATE INDEX attempts_by_delivery ON attempts (delivery_id, created_at);
