-- Delivery you can trust: per-app retry settings; per-endpoint burst,
-- timeout, batching, ordering and health; the ordering key of each
-- delivery; attempts that know their endpoint (for stats) and their batch;
-- and the shared state of endpoints' rate limits.

-- retry_schedule is a JSON array of nanoseconds; [] means the default.
ALTER TABLE apps ADD COLUMN retry_schedule TEXT NOT NULL DEFAULT '[]';
-- Nanoseconds; 0 means the default (5 days).
ALTER TABLE apps ADD COLUMN disable_endpoint_after INTEGER NOT NULL DEFAULT 0;

ALTER TABLE endpoints ADD COLUMN burst INTEGER NOT NULL DEFAULT 0;
ALTER TABLE endpoints ADD COLUMN timeout_seconds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE endpoints ADD COLUMN batching INTEGER NOT NULL DEFAULT 0;
ALTER TABLE endpoints ADD COLUMN ordering_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE endpoints ADD COLUMN ordering_key_path TEXT NOT NULL DEFAULT '';
ALTER TABLE endpoints ADD COLUMN operational INTEGER NOT NULL DEFAULT 0;
-- Health, kept by the dispatcher.
ALTER TABLE endpoints ADD COLUMN failing_since INTEGER;
ALTER TABLE endpoints ADD COLUMN paused_until INTEGER;
ALTER TABLE endpoints ADD COLUMN disabled_at INTEGER;
ALTER TABLE endpoints ADD COLUMN disabled_reason TEXT NOT NULL DEFAULT '';

-- '' when the delivery is not ordered.
ALTER TABLE deliveries ADD COLUMN ordering_key TEXT NOT NULL DEFAULT '';
-- Claiming, endpoint by endpoint: each endpoint's due deliveries in order.
CREATE INDEX deliveries_due_by_endpoint ON deliveries (endpoint_id, next_attempt_at, id) WHERE status = 'pending';
-- Counting each endpoint's deliveries in flight (leased).
CREATE INDEX deliveries_leased ON deliveries (endpoint_id) WHERE lease_id IS NOT NULL;
-- Finding an older pending delivery of the same endpoint and key.
CREATE INDEX deliveries_ordered ON deliveries (endpoint_id, ordering_key, created_at, id)
    WHERE status = 'pending' AND ordering_key <> '';

ALTER TABLE attempts ADD COLUMN endpoint_id TEXT NOT NULL DEFAULT '';
ALTER TABLE attempts ADD COLUMN batch_size INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN batch_index INTEGER NOT NULL DEFAULT 0;
UPDATE attempts SET endpoint_id = coalesce(
    (SELECT d.endpoint_id FROM deliveries d WHERE d.id = attempts.delivery_id), '');
CREATE INDEX attempts_by_endpoint ON attempts (endpoint_id, created_at);

-- One row per rate-limited endpoint: the theoretical arrival time of the
-- next request (GCRA), in microseconds. Every worker of every process
-- sharing the database takes its slots here.
CREATE TABLE endpoint_throttle (
    endpoint_id TEXT PRIMARY KEY,
    tat         INTEGER NOT NULL
) STRICT;
