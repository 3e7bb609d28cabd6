-- Nodes and the leases they hold. Each running process records itself in
-- nodes and beats every two seconds (last_seen_at); a claim names its node
-- on the leases it takes (lease_node, meaningful only while lease_id is
-- set), so that the leases of a node that stopped beating are taken over at
-- once instead of running out. Times are microseconds since the epoch.

CREATE TABLE nodes (
    id           TEXT PRIMARY KEY,
    hostname     TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    started_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);

ALTER TABLE deliveries ADD COLUMN lease_node TEXT;
