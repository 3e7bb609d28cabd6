-- Nodes and the leases they hold. Each running node records itself in
-- nodes and beats every two seconds (last_seen_at); a claim names its node
-- on the leases it takes (lease_node, meaningful only while lease_id is
-- set), so that the survivors take over the leases of a node that stopped
-- beating at once instead of waiting for them to run out. Adding a column
-- without a default rewrites nothing.

CREATE TABLE nodes (
    id           text PRIMARY KEY,
    hostname     text NOT NULL,
    pid          integer NOT NULL,
    started_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL
);

ALTER TABLE deliveries ADD COLUMN lease_node text;
