-- Delivery you can trust: per-app retry settings; per-endpoint burst,
-- timeout, batching, ordering and health; the ordering key of each
-- delivery; attempts that know their endpoint (for stats) and their batch;
-- and the shared state of endpoints' rate limits. Same meaning as the
-- SQLite migration of the same number.

-- Nanoseconds; empty means the default schedule.
ALTER TABLE apps ADD COLUMN retry_schedule bigint[] NOT NULL DEFAULT '{}';
-- Nanoseconds; 0 means the default (5 days).
ALTER TABLE apps ADD COLUMN disable_endpoint_after bigint NOT NULL DEFAULT 0;

ALTER TABLE endpoints
    ADD COLUMN burst integer NOT NULL DEFAULT 0,
    ADD COLUMN timeout_seconds integer NOT NULL DEFAULT 0,
    ADD COLUMN batching boolean NOT NULL DEFAULT false,
    ADD COLUMN ordering_enabled boolean NOT NULL DEFAULT false,
    ADD COLUMN ordering_key_path text NOT NULL DEFAULT '',
    ADD COLUMN operational boolean NOT NULL DEFAULT false,
    -- Health, kept by the dispatcher.
    ADD COLUMN failing_since timestamptz,
    ADD COLUMN paused_until timestamptz,
    ADD COLUMN disabled_at timestamptz,
    ADD COLUMN disabled_reason text NOT NULL DEFAULT '';

-- '' when the delivery is not ordered.
ALTER TABLE deliveries ADD COLUMN ordering_key text NOT NULL DEFAULT '';
-- Claiming, endpoint by endpoint: each endpoint's due deliveries in order.
CREATE INDEX deliveries_due_by_endpoint ON deliveries (endpoint_id, next_attempt_at, id) WHERE status = 'pending';
-- Counting each endpoint's deliveries in flight (leased).
CREATE INDEX deliveries_leased ON deliveries (endpoint_id) WHERE lease_id IS NOT NULL;
-- Finding an older pending delivery of the same endpoint and key.
CREATE INDEX deliveries_ordered ON deliveries (endpoint_id, ordering_key, created_at, id)
    WHERE status = 'pending' AND ordering_key <> '';

ALTER TABLE attempts
    ADD COLUMN endpoint_id text NOT NULL DEFAULT '',
    ADD COLUMN batch_size integer NOT NULL DEFAULT 0,
    ADD COLUMN batch_index integer NOT NULL DEFAULT 0;
UPDATE attempts a SET endpoint_id = d.endpoint_id FROM deliveries d WHERE d.id = a.delivery_id;
CREATE INDEX attempts_by_endpoint ON attempts (endpoint_id, created_at);

-- One row per rate-limited endpoint: the theoretical arrival time of its
-- next request (GCRA). Every worker of every node takes its slots here.
CREATE TABLE endpoint_throttle (
    endpoint_id text PRIMARY KEY,
    tat         timestamptz NOT NULL
);
